"""Who looked at or took away a training's list: each roster view and export is one
entry in the one audit trail (`members.audit`), never the data itself."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.access import Action, Viewer
from members.audit import audit_record

from .. import selectors
from ..models import Registration, Training

ROSTER_VIEWED = "trainings.roster_viewed"
ROSTER_EXPORTED = "trainings.roster_exported"


def roster_view_record(*, actor: Viewer, training: Training, rows: int) -> None:
    """Record that `actor` opened the roster (who is on it; contact details if their
    role shows them)."""
    audit_record(viewer=actor, kind=ROSTER_VIEWED, target=training, row_count=rows)


@transaction.atomic
def roster_export(*, actor: Viewer, training: Training) -> tuple[list[str], list[list]]:
    """The roster as a header and rows for a CSV, in the reader's language and the
    committee's time zone; phone and email only for a role that may see contact
    details. Organizers only; recorded in the audit trail with the row count."""
    actor.require(Action.MANAGE_TRAININGS)
    if training.committee_id != actor.committee.pk:
        raise PermissionDenied
    with_contact = actor.can(Action.VIEW_CONTACT_DETAILS)
    registrations = list(selectors.roster(training=training))
    audit_record(viewer=actor, kind=ROSTER_EXPORTED, target=training, row_count=len(registrations))
    header = [_("Name"), _("Status"), _("Language"), _("Source"), _("Waitlist number")]
    if with_contact:
        header += [_("Mobile phone"), _("Email")]
    header += [_("Confirmed"), _("Checked in"), _("Notes")]
    zone = ZoneInfo(training.committee.timezone)

    def when(moment):
        return timezone.localtime(moment, zone).strftime("%Y-%m-%d %H:%M") if moment else ""

    return header, [_row(r, with_contact=with_contact, when=when) for r in registrations]


def _row(registration: Registration, *, with_contact: bool, when) -> list:
    person = registration.person
    row = [
        person.preferred_name,
        registration.get_status_display(),
        person.get_language_display(),
        registration.get_source_display(),
        registration.waitlist_position or "",
    ]
    if with_contact:
        row += [person.phone or "", person.email or ""]
    return row + [
        when(registration.confirmed_at),
        when(registration.attended_at),
        registration.notes,
    ]
