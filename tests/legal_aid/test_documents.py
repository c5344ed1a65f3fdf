"""Documents: uploaded by the case team within size and type limits, stored encrypted,
served only through the access-checked view, and every read is audited."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from legal_aid.models import Document
from members.audit import AuditEvent

from ..factories import make_case

pytestmark = pytest.mark.django_db

PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 64


@pytest.fixture
def case(committee, legal_member):
    return make_case(committee, team=[legal_member])


def upload(client, case, name, content):
    return client.post(
        reverse("legal_aid:document_upload", args=[case.pk]),
        {"upload": SimpleUploadedFile(name, content, content_type="application/pdf")},
    )


def test_team_uploads_and_reads_a_document_with_an_audit_trail(case, legal_member, client_for):
    client = client_for(legal_member)
    assert upload(client, case, "photo.png", PNG).status_code == 302
    document = Document.objects.get()
    assert (document.content_type, document.size) == ("image/png", len(PNG))
    response = client.get(reverse("legal_aid:document", args=[document.pk]))
    assert response.status_code == 200 and response.content == PNG
    assert response["Content-Type"] == "image/png"
    assert "photo" not in response["Content-Disposition"]  # no name that says who it is
    assert response["Cache-Control"] == "no-store"
    kinds = list(AuditEvent.objects.order_by("id").values_list("kind", "target_id"))
    assert kinds == [
        ("legal_aid.document_uploaded", document.pk),
        ("legal_aid.document_viewed", document.pk),
    ]


@pytest.mark.parametrize(
    "name, content",
    [
        ("script.pdf", b"<script>alert(1)</script>"),  # says PDF, is not
        ("big.pdf", b"%PDF-" + b"0" * (4 * 1024 * 1024)),
        ("empty.pdf", b""),
    ],
)
def test_wrong_type_or_too_big_is_refused(case, legal_member, client_for, name, content):
    response = upload(client_for(legal_member), case, name, content)
    assert response.status_code == 400
    assert not Document.objects.exists()


def test_only_the_team_reads_documents(
    case, legal_member, other_legal_member, coordinator, outsider, client_for
):
    upload(client_for(legal_member), case, "nta.pdf", b"%PDF-1.4 notice")
    url = reverse("legal_aid:document", args=[Document.objects.get().pk])
    for member in (other_legal_member, coordinator, outsider):
        assert client_for(member).get(url).status_code == 404
    assert not AuditEvent.objects.filter(kind="legal_aid.document_viewed").exists()
    assert upload(client_for(other_legal_member), case, "x.pdf", b"%PDF-").status_code == 404
