"""Documents: encrypted on the way in, decrypted only for an access-checked download
that is written to the audit trail."""

from __future__ import annotations

import base64

from django.core.exceptions import ValidationError
from django.db import transaction
from django.template.defaultfilters import filesizeformat
from django.utils.text import get_valid_filename
from django.utils.translation import gettext as _

from committees.access import Action, Viewer
from lib.crypto import decrypt_text, encrypt_text
from members import audit

from ..models import Document

MAX_DOCUMENT_BYTES = 5 * 1024 * 1024
# What a signed letter or a photo of one looks like; the first bytes decide, not the name.
SIGNATURES = {
    b"%PDF-": "application/pdf",
    b"\x89PNG\r\n\x1a\n": "image/png",
    b"\xff\xd8\xff": "image/jpeg",
}
DOWNLOADED = "coalition.document_downloaded"


def _content_type(head: bytes) -> str | None:
    return next((kind for magic, kind in SIGNATURES.items() if head.startswith(magic)), None)


@transaction.atomic
def document_store(*, actor: Viewer, upload) -> Document:
    """Encrypt and keep an uploaded PDF, PNG or JPEG (5 MB at most)."""
    actor.require(Action.MANAGE_COALITION)
    data = upload.read(MAX_DOCUMENT_BYTES + 1)
    if len(data) > MAX_DOCUMENT_BYTES:
        raise ValidationError(
            _("The file is too large. The limit is %(size)s.")
            % {"size": filesizeformat(MAX_DOCUMENT_BYTES)}
        )
    content_type = _content_type(data[:8])
    if content_type is None:
        raise ValidationError(_("Upload a PDF, or a photo of the document (PNG or JPEG)."))
    filename = get_valid_filename((upload.name or "document").rsplit("/", 1)[-1])[:200]
    return Document.objects.create(
        committee=actor.committee,
        filename=filename or "document",
        content_type=content_type,
        size=len(data),
        ciphertext=encrypt_text(base64.b64encode(data).decode()),
        uploaded_by=actor.membership,
    )


def document_read(document: Document) -> bytes:
    return base64.b64decode(decrypt_text(document.ciphertext))


def document_download_log(*, viewer: Viewer, document: Document, target) -> None:
    """One audit event per download: who, when, and which commitment or pledge."""
    audit.audit_record(viewer=viewer, kind=DOWNLOADED, target=target)
