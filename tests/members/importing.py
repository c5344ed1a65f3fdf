"""Helpers for the CSV import tests: a CSV of people, uploading it, confirming it."""

import csv
import io

from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from members.models import Person

HEADER = ["name", "phone", "email", "language", "zone", "skills"]


def people_csv(rows, header=HEADER, bom=False, delimiter=","):
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=delimiter)
    writer.writerow(header)
    writer.writerows(rows)
    return ("\ufeff" if bom else "") + buffer.getvalue()


def thousand_rows():
    return [
        [
            f"Vecina {n}",
            f"(424) 555-{n:04d}",
            f"vecina{n}@example.org",
            "Spanish" if n % 2 else "English",
            "Zone 3" if n % 3 else "Zone 1",
            "interpreter; driver" if n % 5 == 0 else "",
        ]
        for n in range(1000)
    ]


def upload(client, text, name="people.csv"):
    data = text.encode() if isinstance(text, str) else text
    return client.post(
        reverse("members:import_upload"), {"file": SimpleUploadedFile(name, data, "text/csv")}
    )


def confirm(client, batch_id, **extra):
    data = {"existing": "update", "wording_language": "en", **extra}
    return client.post(reverse("members:import_detail", args=[batch_id]), data)


def imported_people(committee):
    return Person.objects.filter(committee=committee, preferred_name__startswith="Vecina")
