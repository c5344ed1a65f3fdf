"""Who looked at or moved people's data, and when — never the data itself.

Opening a person's contact details or coordinator notes, exporting, importing,
merging and erasing each write one `AuditEvent`. `details` holds only what cannot
identify anyone (filter names, zone and skill ids, counts).

This is the one audit trail of sensitive reads for every part of the app. A part
registers its own kinds in its `AppConfig.ready()` and records them with an optional
`target` (the case, document... that was seen: its type and id, never its contents):

    audit.register_kind("legal_aid.case_viewed", _("Viewed a legal case"))
    audit.audit_record(viewer=viewer, kind="legal_aid.case_viewed", person=p, target=case)
"""

from __future__ import annotations

from django.contrib.contenttypes.models import ContentType
from django.db import connection, models
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
    # Not `choices=`: other parts register their kinds (KIND_LABELS) without a migration.
    kind = models.CharField(_("what"), max_length=64)
    at = models.DateTimeField(_("when"), default=timezone.now)
    row_count = models.PositiveIntegerField(_("rows"), null=True, blank=True)
    details = models.JSONField(default=dict, blank=True)
    target_type = models.ForeignKey(
        ContentType, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    target_id = models.BigIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("audit event")
        verbose_name_plural = _("audit events")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["committee", "-at"])]

    def __str__(self):
        return f"{self.kind} #{self.person_id or '-'} by #{self.actor_id or '-'}"

    def get_kind_display(self) -> str:
        return str(KIND_LABELS.get(self.kind, self.kind))


KIND_LABELS: dict[str, object] = dict(AuditEvent.Kind.choices)


def register_kind(kind: str, label) -> None:
    """Name a kind of sensitive read or move (`<app>.<what>`), shown on the audit page."""
    if len(kind) > 64:
        raise ValueError(f"audit kind {kind!r} is longer than 64 characters")
    if kind in KIND_LABELS and KIND_LABELS[kind] != label:
        raise ValueError(f"audit kind {kind!r} is registered twice")
    KIND_LABELS[kind] = label


def audit_record(
    *, viewer, kind: str, person=None, row_count=None, details=None, target=None
) -> AuditEvent:
    if kind not in KIND_LABELS:
        raise ValueError(f"unknown audit kind {kind!r}: register it with audit.register_kind")
    return AuditEvent.objects.create(
        committee=viewer.committee,
        actor=viewer.person,
        person=person,
        kind=kind,
        row_count=row_count,
        details=details or {},
        target_type=ContentType.objects.get_for_model(target) if target is not None else None,
        target_id=target.pk if target is not None else None,
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


def audit_directory_contacts(*, viewer, rows) -> None:
    """The directory's table shows phones and emails: one event per person on the page
    whose contact details it showed (one query, whatever the page size). On PostgreSQL
    the rows are one INSERT of the page's ids (building an AuditEvent per row and
    handing them to bulk_create cost more than the rest of the view's Python)."""
    me = viewer.person.pk if viewer.person else None
    shown = [row.pk for row in rows if (row.phone or row.email) and row.pk != me]
    if not shown:
        return
    if connection.vendor != "postgresql":
        AuditEvent.objects.bulk_create(
            [
                AuditEvent(
                    committee=viewer.committee,
                    actor=viewer.person,
                    person_id=pk,
                    kind=AuditEvent.Kind.VIEWED_CONTACT,
                )
                for pk in shown
            ]
        )
        return
    with connection.cursor() as cursor:
        cursor.execute(
            f"""INSERT INTO {AuditEvent._meta.db_table}
                    (committee_id, actor_id, person_id, kind, at, details)
                SELECT %s, %s, person_id, %s, %s, '{{}}'::jsonb
                  FROM unnest(%s::bigint[]) AS person_id""",  # noqa: S608 (a table name)
            [viewer.committee.pk, me, AuditEvent.Kind.VIEWED_CONTACT.value, timezone.now(), shown],
        )


def mask_entirely(value) -> str:
    """django-auditlog mask: record that a personal field changed, never its value."""
    return "***"


def audit_record_many(*, viewer, kind: str, targets) -> None:
    """`audit_record` for many (person, target) pairs in one query: a page that shows
    several sensitive rows writes one event per row."""
    if kind not in KIND_LABELS:
        raise ValueError(f"unknown audit kind {kind!r}: register it with audit.register_kind")
    targets = list(targets)
    if not targets:
        return
    content_type = ContentType.objects.get_for_model(targets[0][1])
    AuditEvent.objects.bulk_create(
        [
            AuditEvent(
                committee=viewer.committee,
                actor=viewer.person,
                person=person,
                kind=kind,
                target_type=content_type,
                target_id=target.pk,
            )
            for person, target in targets
        ]
    )
