"""Must show 2: a 287(g) list import with one bad row reports the row and imports the
rest; a second import reports what changed."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from coalition.models import Agreement287g, AgreementImport

pytestmark = pytest.mark.django_db

FIRST = """id,state,agency,county,type,status,signed
TX-001,TX,Harris County Sheriff's Office,Harris,Jail Enforcement Model,active,2025-02-10
TX-002,TX,Eastside Police Department,Eastside,Task Force Model,active,2025-03-01
TX-003,TX,Eastside County Sheriff,Eastside,Warrant Service Officer,active,04/15/2025
TX-004,TX,Nowhere Constable,,Dance Party Model,active,2025-05-01
TX-005,TX,Lakeside Sheriff,Lakeside,Jail Enforcement Model,active,2025-05-02
"""

SECOND = """id,state,agency,county,type,status,signed
TX-001,TX,Harris County Sheriff's Office,Harris,Jail Enforcement Model,superseded,2025-02-10
TX-002,TX,Eastside Police Department,Eastside,Task Force Model,active,2025-03-01
TX-003,TX,Eastside County Sheriff,Eastside,Task Force Model,active,04/15/2025
TX-006,TX,Westside Sheriff,Westside,Jail Enforcement Model,active,2025-11-20
"""


def upload(client, text, name="287g.csv"):
    return client.post(
        reverse("coalition:agreement_import"),
        {"upload": SimpleUploadedFile(name, text.encode(), "text/csv")},
        follow=True,
    )


def test_bad_row_is_reported_and_the_rest_imported_then_changes_are_shown(
    committee, coordinator, client_for
):
    client = client_for(coordinator)

    response = upload(client, FIRST)
    assert response.status_code == 200
    body = response.content.decode()
    assert "Row 5" in body and "Dance Party Model" in body
    assert set(Agreement287g.objects.values_list("external_id", flat=True)) == {
        "TX-001",
        "TX-002",
        "TX-003",
        "TX-005",
    }
    first = AgreementImport.objects.get()
    assert first.rows_read == 5 and first.rows_imported == 4
    assert first.errors == [{"row": 5, "error": first.errors[0]["error"]}]

    response = upload(client, SECOND)
    body = response.content.decode()
    second = AgreementImport.objects.latest("id")
    assert second.errors == []
    assert second.changes["added"] == ["TX-006"]
    assert second.changes["removed"] == ["TX-005"]
    changed = {(c["id"], c["field"], c["old"], c["new"]) for c in second.changes["changed"]}
    assert changed == {
        ("TX-001", "status", "active", "superseded"),
        ("TX-003", "type", "warrant_service", "task_force"),
    }
    assert "New: TX-006" in body
    assert "TX-005" in body and "marked removed" in body
    assert "changed from “active” to “superseded”" in body
    assert Agreement287g.objects.get(external_id="TX-005").status == "removed"
    assert Agreement287g.objects.get(external_id="TX-001").status == "superseded"
    # The stable ids kept their rows: nothing was duplicated.
    assert Agreement287g.objects.count() == 5


def test_ice_list_without_ids_keeps_stable_ids_across_imports(committee, coordinator, client_for):
    client = client_for(coordinator)
    ice = (
        "STATE,LAW ENFORCEMENT AGENCY,SUPPORT TYPE,SIGNED\n"
        "FL,Bay County Sheriff,Task Force Model,2025-02-20\n"
    )
    upload(client, ice)
    upload(client, ice)
    assert Agreement287g.objects.count() == 1
    assert AgreementImport.objects.latest("id").changes["changed"] == []


def test_a_file_that_is_not_the_list_is_refused_without_saving(committee, coordinator, client_for):
    client = client_for(coordinator)
    response = upload(client, "name,phone\nRosa,555\n")
    assert response.status_code == 400
    assert "agency, state and type" in response.content.decode()
    assert not AgreementImport.objects.exists()
    response = upload(client, "\x00\x01binary")
    assert response.status_code == 400


def test_only_coordinators_import_and_other_committees_see_nothing(
    committee, vetted_member, outsider, coordinator, client_for
):
    assert client_for(vetted_member).get(reverse("coalition:agreement_import")).status_code in (
        403,
        404,
    )
    upload(client_for(coordinator), FIRST)
    batch = AgreementImport.objects.get()
    assert (
        client_for(outsider).get(reverse("coalition:import_detail", args=[batch.pk])).status_code
        == 404
    )
    assert (
        "Harris"
        not in client_for(outsider).get(reverse("coalition:agreement_list")).content.decode()
    )
