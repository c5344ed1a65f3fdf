"""Must show 3: a raw dump of the database holds no A-number, facility, note or
document in plaintext (the fields are encrypted; the A-number field is `a_number`)."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from committees.access import load_viewer
from legal_aid import services
from legal_aid.models import Case, CourtWatchReport

from ..factories import make_case, make_hearing

pytestmark = pytest.mark.django_db

A_NUMBER = "087654321"
FACILITY = "Otay Mesa Detention Center"
NOTE = "Client fears return because of threats by a cartel"
DOCUMENT = b"%PDF-1.4 NOTICE TO APPEAR Zacarias Quintanilla"


def raw_dump() -> str:
    """Every row of every table, as the database returns it (no model decryption)."""
    chunks = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 (introspected names)
            for row in cursor.fetchall():
                chunks.append(" ".join(str(v) for v in row))
    return "\n".join(chunks)


def test_raw_dump_has_no_a_number_facility_note_or_document(committee, legal_member):
    assert "a_number" in {f.name for f in Case._meta.get_fields()}
    case = make_case(committee, team=[legal_member])
    lawyer = load_viewer(legal_member.person.user)
    case = Case.objects.prefetch_related("team_members").get(pk=case.pk)
    services.case_update(
        actor=lawyer, case=case, a_number="87654321", detention_facility=FACILITY, notes=NOTE
    )
    services.document_upload(
        actor=lawyer,
        case=case,
        upload=SimpleUploadedFile("nta.pdf", DOCUMENT, content_type="application/pdf"),
    )
    CourtWatchReport.objects.create(hearing=make_hearing(case), result="held", notes=NOTE)

    assert Case.objects.get(pk=case.pk).a_number == A_NUMBER  # padded, and readable
    dump = raw_dump()
    for secret in (A_NUMBER, "87654321", FACILITY, NOTE, "Zacarias", "nta.pdf"):
        assert secret not in dump, secret
