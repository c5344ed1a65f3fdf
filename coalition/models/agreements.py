from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AgreementType(models.TextChoices):
    JAIL = "jail", _("Jail enforcement (screening, detainers)")
    WARRANT_SERVICE = "warrant_service", _("Warrant service officer")
    TASK_FORCE = "task_force", _("Task force (arrests in the field)")


class AgreementStatus(models.TextChoices):
    ACTIVE = "active", _("Active")
    SUPERSEDED = "superseded", _("Superseded")
    REMOVED = "removed", _("Removed")


class AgreementImport(models.Model):
    """One upload of the public 287(g) list: what was read, refused and changed."""

    committee_path = "committee"

    committee = models.ForeignKey(
        "committees.Committee", on_delete=models.CASCADE, related_name="agreement_imports"
    )
    uploaded_by = models.ForeignKey(
        "committees.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)
    filename = models.CharField(max_length=200, blank=True)
    rows_read = models.PositiveIntegerField(default=0)
    rows_imported = models.PositiveIntegerField(default=0)
    # [{"row": 3, "error": "..."}]: public data, no one's personal details.
    errors = models.JSONField(default=list, blank=True)
    # {"added": [ids], "changed": [{"id", "field", "old", "new"}], "removed": [ids]}
    changes = models.JSONField(default=dict, blank=True)

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self):
        return f"287(g) import #{self.pk}"

    @property
    def is_first(self) -> bool:
        return bool(self.changes.get("first"))


class Agreement287g(models.Model):
    """One agreement from ICE's published list (or a tracker's export of it), kept by
    its stable id across imports."""

    committee_path = "committee"

    committee = models.ForeignKey(
        "committees.Committee", on_delete=models.CASCADE, related_name="agreements_287g"
    )
    external_id = models.CharField(_("id"), max_length=64)
    agency_name = models.CharField(_("agency"), max_length=200)
    state = models.CharField(_("state"), max_length=2)
    county = models.CharField(_("county"), max_length=100, blank=True)
    type = models.CharField(_("type"), max_length=16, choices=AgreementType.choices)
    status = models.CharField(_("status"), max_length=12, choices=AgreementStatus.choices)
    signed_on = models.DateField(_("signed"), null=True, blank=True)
    last_import = models.ForeignKey(
        AgreementImport, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("287(g) agreement")
        verbose_name_plural = _("287(g) agreements")
        ordering = ["state", "county", "agency_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "external_id"], name="one_agreement_per_external_id"
            )
        ]

    def __str__(self):
        return f"{self.external_id} {self.agency_name}"
