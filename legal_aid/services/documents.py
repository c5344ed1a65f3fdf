"""Documents: uploaded by the case's team, stored encrypted in the database, read only
through the audited, access-checked view."""

from __future__ import annotations

import base64

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from committees.access import Action, Viewer
from members import audit

from ..models import Case, Document
from .cases import _require

MAX_BYTES = 4 * 1024 * 1024
# What a phone's camera or a scanner makes; what the browser says is checked against
# the file's first bytes.
SIGNATURES = {
    "application/pdf": (b"%PDF-",),
    "image/jpeg": (b"\xff\xd8\xff",),
    "image/png": (b"\x89PNG\r\n\x1a\n",),
}
EXTENSIONS = {"application/pdf": "pdf", "image/jpeg": "jpg", "image/png": "png"}


def _sniff(head: bytes) -> str | None:
    for content_type, signatures in SIGNATURES.items():
        if any(head.startswith(s) for s in signatures):
            return content_type
    return None


@transaction.atomic
def document_upload(*, actor: Viewer, case: Case, upload) -> Document:
    _require(actor, Action.EDIT_CASE, case)
    if upload.size > MAX_BYTES:
        raise ValidationError(_("The file is too big (4 MB at most)."))
    raw = upload.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise ValidationError(_("The file is too big (4 MB at most)."))
    content_type = _sniff(raw[:16])
    if content_type is None:
        raise ValidationError(_("Upload a PDF, JPEG or PNG file."))
    name = (upload.name or "document").rsplit("/", 1)[-1][:150]
    document = Document.objects.create(
        case=case,
        filename=name,
        content_type=content_type,
        size=len(raw),
        content=base64.b64encode(raw).decode(),
        uploaded_by=actor.person,
    )
    audit.audit_record(
        viewer=actor, kind="legal_aid.document_uploaded", person=case.person, target=document
    )
    return document


def document_read(*, actor: Viewer, document: Document) -> tuple[bytes, str, str]:
    """The bytes, type and a safe file name; the read is written to the audit trail."""
    _require(actor, Action.VIEW_CASE_CONTENTS, document.case)
    audit.audit_record(
        viewer=actor,
        kind="legal_aid.document_viewed",
        person=document.case.person,
        target=document,
    )
    filename = f"document-{document.pk}.{EXTENSIONS.get(document.content_type, 'bin')}"
    return base64.b64decode(document.content), document.content_type, filename
