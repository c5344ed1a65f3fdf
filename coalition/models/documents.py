from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class Document(models.Model):
    """An uploaded file (a signed pledge, an official's letter), encrypted at rest.

    The bytes never touch the file system or a public URL: they are kept encrypted in
    the database and served only by `coalition.views.documents`, which checks access
    and writes an audit event for every download.
    """

    committee_path = "committee"

    committee = models.ForeignKey(
        "committees.Committee", on_delete=models.CASCADE, related_name="coalition_documents"
    )
    filename = models.CharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField(_("size"))
    # Fernet token of the base64 of the file (lib.crypto.encrypt_text).
    ciphertext = models.TextField(editable=False)
    uploaded_by = models.ForeignKey(
        "committees.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")

    def __str__(self):
        return self.filename
