"""Hearings and check-ins: scheduling, moves (kept as history), outcomes, the deadline
chain that follows from each hearing, and reminders.

Deadlines (EOIR Immigration Court Practice Manual, Appendix C): filings 15 days before
a master calendar hearing, 30 days before an individual hearing; an appeal of a bond
decision to the BIA within 30 days; a change of address (EOIR-33) within 5 days of a
move. A filing counts when the court receives it, so `due_on` is the day it must arrive.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.access import Action, Viewer

from .. import messaging
from ..models import (
    Accompaniment,
    AccompanimentStatus,
    Case,
    DeadlineKind,
    DeadlineTask,
    Hearing,
    HearingChange,
    HearingKind,
    HearingStatus,
)
from .cases import _require

DEADLINES = {
    HearingKind.MASTER: (DeadlineKind.FILING_BEFORE_MASTER, -15),
    HearingKind.INDIVIDUAL: (DeadlineKind.FILING_BEFORE_INDIVIDUAL, -30),
    HearingKind.BOND: (DeadlineKind.BIA_APPEAL, 30),
}
CHANGE_OF_ADDRESS_DAYS = 5
MAX_DAYS_AHEAD = 3 * 365
# A past hearing may be recorded (what happened), but not one from a typo'd year.
MAX_DAYS_BACK = 5 * 365
HEARING_FIELDS = (
    "kind",
    "starts_at",
    "place",
    "judge",
    "meeting_point",
    "accompaniers_needed",
    "accompaniment_language",
)


def _validate(fields: dict, *, now: datetime) -> None:
    starts_at = fields.get("starts_at")
    if starts_at is not None and starts_at > now + timedelta(days=MAX_DAYS_AHEAD):
        raise ValidationError(_("That date is too far ahead. Check the year."))
    if starts_at is not None and starts_at < now - timedelta(days=MAX_DAYS_BACK):
        raise ValidationError(_("That date is too long ago. Check the year."))
    if "place" in fields and not (fields["place"] or "").strip():
        raise ValidationError(_("Say which court or ICE office."))
    if fields.get("kind") is not None and fields["kind"] not in HearingKind.values:
        raise ValidationError(_("Choose the type of hearing."))


def _local_date(moment: datetime, committee) -> date:
    from zoneinfo import ZoneInfo

    return timezone.localtime(moment, ZoneInfo(committee.timezone)).date()


def deadlines_compute(hearing: Hearing) -> None:
    """(Re)write the deadline that follows from this hearing; one done stays done."""
    rule = DEADLINES.get(hearing.kind)
    DeadlineTask.objects.filter(hearing=hearing, done_at__isnull=True).exclude(
        kind=rule[0] if rule else ""
    ).delete()
    if rule is None or hearing.status == HearingStatus.CANCELLED:
        return
    kind, days = rule
    due_on = _local_date(hearing.starts_at, hearing.case.committee) + timedelta(days=days)
    task = DeadlineTask.objects.filter(hearing=hearing, kind=kind).first()
    if task is None:
        DeadlineTask.objects.create(case=hearing.case, hearing=hearing, kind=kind, due_on=due_on)
    elif task.done_at is None and task.due_on != due_on:
        task.due_on = due_on
        task.save(update_fields=["due_on"])


@transaction.atomic
def hearing_create(*, actor: Viewer, case: Case, now=None, **fields) -> Hearing:
    _require(actor, Action.EDIT_CASE, case)
    now = now or timezone.now()
    fields = {k: v for k, v in fields.items() if k in HEARING_FIELDS}
    _validate(fields, now=now)
    hearing = Hearing.objects.create(case=case, **fields)
    deadlines_compute(hearing)
    return hearing


def people_to_tell(hearing: Hearing) -> list:
    """The client, the team and the accompaniers going: each person once."""
    people = {}
    case = hearing.case
    if case.textable(case.person):
        people[case.person.pk] = case.person
    for member in case.team_members.select_related("membership__person__committee"):
        people.setdefault(member.membership.person_id, member.membership.person)
    for accompaniment in hearing.accompaniments.filter(
        status=AccompanimentStatus.ACCEPTED
    ).select_related("person__committee"):
        people.setdefault(accompaniment.person_id, accompaniment.person)
    return list(people.values())


@transaction.atomic
def hearing_move(
    *, actor: Viewer | None, hearing: Hearing, starts_at: datetime, place: str = "", reason=""
) -> Hearing:
    """Move a hearing (a postponement or a new time or court): the old date is kept as
    a `HearingChange`, deadlines follow, reminders re-arm for the new date, and the
    person, the team and the accompaniers are told once each in their language."""
    if actor is not None:
        _require(actor, Action.EDIT_CASE, hearing.case)
    hearing = (
        Hearing.objects.select_for_update().select_related("case__committee").get(pk=hearing.pk)
    )
    place = (place or "").strip() or hearing.place
    _validate({"starts_at": starts_at, "place": place}, now=timezone.now())
    if starts_at == hearing.starts_at and place == hearing.place:
        return hearing
    HearingChange.objects.create(
        hearing=hearing,
        old_starts_at=hearing.starts_at,
        new_starts_at=starts_at,
        old_place=hearing.place,
        new_place=place,
        reason=(reason or "").strip()[:200],
        changed_by=getattr(actor, "person", None),
    )
    hearing.starts_at, hearing.place = starts_at, place
    hearing.status = HearingStatus.MOVED
    hearing.schedule_version += 1
    hearing.save()
    deadlines_compute(hearing)
    messaging.send_hearing_moved(hearing, people_to_tell(hearing))
    return hearing


@transaction.atomic
def hearing_update(*, actor: Viewer, hearing: Hearing, **fields) -> Hearing:
    """Fields other than the date and place (those go through hearing_move)."""
    _require(actor, Action.EDIT_CASE, hearing.case)
    fields = {
        k: v for k, v in fields.items() if k in HEARING_FIELDS and k not in ("starts_at", "place")
    }
    _validate(fields, now=timezone.now())
    for name, value in fields.items():
        setattr(hearing, name, value)
    hearing.save()
    deadlines_compute(hearing)
    return hearing


@transaction.atomic
def hearing_record_outcome(
    *, actor: Viewer | None, hearing: Hearing, status, outcome=""
) -> Hearing:
    if actor is not None:
        _require(actor, Action.EDIT_CASE, hearing.case)
    hearing.status = status
    hearing.outcome = outcome or hearing.outcome
    hearing.save(update_fields=["status", "outcome", "updated_at"])
    deadlines_compute(hearing)
    return hearing


@transaction.atomic
def deadline_done(*, actor: Viewer, task: DeadlineTask) -> DeadlineTask:
    _require(actor, Action.EDIT_CASE, task.case)
    if task.done_at is None:
        task.done_at, task.done_by = timezone.now(), actor.person
        task.save(update_fields=["done_at", "done_by"])
    return task


@transaction.atomic
def case_address_changed(*, actor: Viewer, case: Case, moved_on: date) -> DeadlineTask:
    """The person moved: the court must receive an EOIR-33 within 5 days."""
    _require(actor, Action.EDIT_CASE, case)
    if moved_on > timezone.localdate() + timedelta(days=60):
        raise ValidationError(_("That date is too far ahead. Check the year."))
    return DeadlineTask.objects.create(
        case=case,
        kind=DeadlineKind.CHANGE_OF_ADDRESS,
        due_on=moved_on + timedelta(days=CHANGE_OF_ADDRESS_DAYS),
    )


# --- Reminders ---------------------------------------------------------------------------


@dataclass(frozen=True)
class ReminderRule:
    name: str
    before: timedelta
    sent_field: str
    # A hearing closer than this gets the later reminder only (not both at once).
    not_within: timedelta = timedelta(0)


REMINDER_RULES = (
    ReminderRule("day_before", timedelta(hours=24), "day_before_sent_version", timedelta(hours=2)),
    ReminderRule("two_hours", timedelta(hours=2), "two_hours_sent_version"),
)


def reminders_send(*, now: datetime | None = None, limit: int = 500) -> int:
    """Remind the client and the accompaniers going, the day before and two hours
    before. The window is read from the hearing's *current* date at send time, and a
    reminder is marked sent per schedule version: one armed for a date that has since
    moved is never sent. Safe to run twice or late."""
    now = now or timezone.now()
    sent = 0
    for rule in REMINDER_RULES:
        due = (
            Hearing.objects.filter(
                status__in=(HearingStatus.SCHEDULED, HearingStatus.MOVED),
                starts_at__gt=now + rule.not_within,
                starts_at__lte=now + rule.before,
                case__purged_at__isnull=True,
            )
            .exclude(**{rule.sent_field: F("schedule_version")})
            .values_list("pk", flat=True)[:limit]
        )
        for hearing_id in list(due):
            sent += _remind(hearing_id, rule, now)
    return sent


@transaction.atomic
def _remind(hearing_id: int, rule: ReminderRule, now: datetime) -> int:
    hearing = (
        Hearing.objects.select_for_update(of=("self",))
        .select_related("case__committee", "case__person__committee", "case__request")
        .get(pk=hearing_id)
    )
    # Re-check under the lock: the hearing may have moved since the query above.
    if getattr(hearing, rule.sent_field) == hearing.schedule_version:
        return 0
    if not (now + rule.not_within < hearing.starts_at <= now + rule.before):
        return 0
    going = {
        a.person_id: a
        for a in Accompaniment.objects.filter(
            hearing=hearing, status=AccompanimentStatus.ACCEPTED
        ).select_related("person__committee")
    }
    client = hearing.case.person
    if hearing.case.textable(client) and client.pk not in going:
        messaging.send_reminder(hearing, client, reminder=rule.name)
    for accompaniment in going.values():
        # Two hours before, the accompanier can also answer "DETENIDO" by SMS.
        messaging.send_reminder(
            hearing,
            accompaniment.person,
            reminder=rule.name,
            accompaniment=accompaniment if rule.name == "two_hours" else None,
        )
    setattr(hearing, rule.sent_field, hearing.schedule_version)
    hearing.save(update_fields=[rule.sent_field])
    return len(going) + int(hearing.case.textable(client) and client.pk not in going)
