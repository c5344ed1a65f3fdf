"""Who looked at or moved people's data, and when — never the data itself.

Opening a person's contact details or coordinator notes, exporting, importing,
merging and erasing each write one `AuditEvent`. `details` holds only what cannot
identify anyone (filter names, zone and skill ids, counts).
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AuditEvent(models.Model):
    committee_path = "committee"

    class Kind(models.TextChoices):
        VIEWED_CONTACT = "viewed_contact", _("Viewed contact details")
        VIEWED_NOTES = "viewed_notes", _("Viewed coordinator notes")
        EXPORTED = "exported", _("Exported a list")
        IMPORTED = "imported", _("Imported a list")
        MERGED = "merged", _("Merged two records")
        ERASED = "erased", _("Erased a person")

    committee = models.ForeignKey(
        "committees.Committee", on_delete=models.CASCADE, related_name="+"
    )
    actor = models.ForeignKey(
        "members.Person", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    person = models.ForeignKey(
        "members.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    kind = models.CharField(_("what"), max_length=16, choices=Kind.choices)
    at = models.DateTimeField(_("when"), default=timezone.now)
    row_count = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["committee", "-at"])]

    def __str__(self):
        return f"{self.kind} #{self.person_id or '-'} by #{self.actor_id or '-'}"


def audit_record(*, viewer, kind: str, person=None, row_count=None, details=None) -> AuditEvent:
    return AuditEvent.objects.create(
        committee=viewer.committee,
        actor=viewer.person,
        person=person,
        kind=kind,
        row_count=row_count,
        details=details or {},
    )


def audit_person_viewed(*, viewer, person, contact: bool, notes: bool) -> None:
    """Record that `viewer` saw this person's contact details and/or notes (one query)."""
    if viewer.is_self(person):
        return
    kinds = [AuditEvent.Kind.VIEWED_CONTACT] * contact + [AuditEvent.Kind.VIEWED_NOTES] * notes
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(committee=viewer.committee, actor=viewer.person, person=person, kind=kind)
            for kind in kinds
        ]
    )


def mask_entirely(value) -> str:
    """django-auditlog mask: record that a personal field changed, never its value."""
    return "***"
