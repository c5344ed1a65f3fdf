"""Working an incident: claiming it, asking confirmers to look, moving its status.

Status moves unverified -> probable -> confirmed, or to false alarm (with a reason).
A confirmer's "I see agents" confirms; only a confirmed incident may be alerted.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.access import Action
from members.consent import Purpose
from notifications.models import Urgency
from notifications.services import conversation_open, message_queue

from ..models import ConfirmerRequest, FalseAlarmReason, Incident, IncidentStatus, LogEntry
from .common import dispatch_settings, log

CONFIRM_CONVERSATION = "rapid_response.confirm"
CONFIRM_OPEN_FOR = timedelta(hours=2)
CONFIRM_VALID_FOR = timedelta(minutes=30)
MAX_CONFIRMERS = 10

# Which status may follow which, by a dispatcher's hand.
MOVES = {
    IncidentStatus.UNVERIFIED: {
        IncidentStatus.PROBABLE,
        IncidentStatus.CONFIRMED,
        IncidentStatus.FALSE_ALARM,
    },
    IncidentStatus.PROBABLE: {
        IncidentStatus.UNVERIFIED,
        IncidentStatus.CONFIRMED,
        IncidentStatus.FALSE_ALARM,
    },
    IncidentStatus.CONFIRMED: {IncidentStatus.FALSE_ALARM},
    IncidentStatus.FALSE_ALARM: {IncidentStatus.UNVERIFIED},
}


class ClaimRefused(ValidationError):
    pass


def _locked(incident) -> Incident:
    return (
        Incident.objects.select_for_update(of=("self",))
        .select_related("committee", "zone", "claimed_by__person__committee")
        .get(pk=incident.pk)
    )


@transaction.atomic
def incident_claim(*, actor, incident) -> Incident:
    """The actor owns the incident. A claim older than the committee's setting may be
    taken over; a fresh claim by someone else is refused. Logged."""
    actor.require(Action.DISPATCH)
    incident = _locked(incident)
    now = timezone.now()
    mine = actor.membership
    if incident.claimed_by_id == mine.pk:
        return incident
    kind = LogEntry.Kind.CLAIMED
    if incident.claimed_by_id is not None:
        stale_after = timedelta(minutes=dispatch_settings(incident.committee).claim_stale_minutes)
        if incident.claimed_at and incident.claimed_at > now - stale_after:
            raise ClaimRefused(
                _(
                    "%(name)s is working on this incident. You can take it over after "
                    "%(minutes)s minutes without activity."
                )
                % {
                    "name": incident.claimed_by.person.preferred_name,
                    "minutes": int(stale_after.total_seconds() // 60),
                }
            )
        kind = LogEntry.Kind.TAKEN_OVER
    incident.claimed_by, incident.claimed_at = mine, now
    incident.save(update_fields=["claimed_by", "claimed_at"])
    log(incident, kind, actor=actor)
    return incident


def _touch_claim(incident, actor) -> None:
    """Activity by the claimer keeps the claim fresh."""
    if incident.claimed_by_id == actor.membership.pk:
        incident.claimed_at = timezone.now()
        incident.save(update_fields=["claimed_at"])


@transaction.atomic
def incident_release(*, actor, incident) -> Incident:
    actor.require(Action.DISPATCH)
    incident = _locked(incident)
    if incident.claimed_by_id == actor.membership.pk:
        incident.claimed_by, incident.claimed_at = None, None
        incident.save(update_fields=["claimed_by", "claimed_at"])
        log(incident, LogEntry.Kind.RELEASED, actor=actor)
    return incident


def _move(incident, status, *, actor=None, person=None, reason="", note="") -> None:
    now = timezone.now()
    incident.status = status
    fields = ["status", "false_alarm_reason"]
    incident.false_alarm_reason = reason if status == IncidentStatus.FALSE_ALARM else ""
    if status == IncidentStatus.CONFIRMED and incident.verified_at is None:
        incident.verified_at = now
        fields.append("verified_at")
    incident.save(update_fields=fields)
    log(incident, LogEntry.Kind.STATUS, actor=actor, person=person, status=status, note=note)


@transaction.atomic
def incident_status_set(*, actor, incident, status: str, reason: str = "", note: str = ""):
    """A dispatcher moves the incident. A false alarm needs a reason. Logged."""
    actor.require(Action.DISPATCH)
    incident = _locked(incident)
    if status not in MOVES.get(incident.status, set()):
        raise ValidationError(_("This incident cannot be moved to that status now."))
    if status == IncidentStatus.FALSE_ALARM and reason not in FalseAlarmReason.values:
        raise ValidationError(_("Say why it was a false alarm."))
    if (
        status == IncidentStatus.FALSE_ALARM
        and incident.alerts.filter(
            all_clear_at__isnull=True, retracted_at__isnull=True, expires_at__gt=timezone.now()
        ).exists()
    ):
        raise ValidationError(_("Stand the responders down first: an alert is still active."))
    _move(incident, status, actor=actor, reason=reason, note=note.strip()[:1000])
    _touch_claim(incident, actor)
    return incident


@transaction.atomic
def incident_note_add(*, actor, incident, note: str) -> None:
    actor.require(Action.DISPATCH)
    note = (note or "").strip()[:1000]
    if not note:
        raise ValidationError(_("Write a note first."))
    log(incident, LogEntry.Kind.NOTE, actor=actor, note=note)
    _touch_claim(incident, actor)


@transaction.atomic
def incident_zone_set(*, actor, incident, zone) -> Incident:
    """A text report named no zone: the dispatcher sets it after talking to the sender."""
    actor.require(Action.DISPATCH)
    incident = _locked(incident)
    if zone.committee_id != incident.committee_id:
        raise ValidationError(_("Choose a zone of this committee."))
    incident.zone = zone
    incident.save(update_fields=["zone"])
    incident.reports.filter(zone__isnull=True).update(zone=zone)
    log(incident, LogEntry.Kind.NOTE, actor=actor, note=zone.name)
    return incident


@transaction.atomic
def incident_close(*, actor, incident) -> Incident:
    actor.require(Action.DISPATCH)
    incident = _locked(incident)
    if incident.closed_at is None:
        incident.closed_at = timezone.now()
        incident.save(update_fields=["closed_at"])
        log(incident, LogEntry.Kind.CLOSED, actor=actor)
    return incident


def confirmer_candidates(incident):
    """Vetted, trained responders of the incident's zone who may be asked to go and look."""
    from .. import selectors

    if incident.zone_id is None:
        return selectors.trained_responders(incident.committee, zone_ids=[]).none()
    asked = ConfirmerRequest.objects.filter(incident=incident, person=OuterRef("pk"))
    return (
        selectors.trained_responders(incident.committee, zone_ids=[incident.zone_id])
        .annotate(already_asked=Exists(asked))
        .order_by("preferred_name", "id")
    )


@transaction.atomic
def confirmers_ask(*, actor, incident, person_ids) -> int:
    """Text the chosen confirmers (urgent) to go and look; their numbered reply comes
    back to `confirmer_reply`. Returns how many were asked now."""
    actor.require(Action.DISPATCH)
    incident = _locked(incident)
    if incident.closed_at or incident.status in (
        IncidentStatus.CONFIRMED,
        IncidentStatus.FALSE_ALARM,
    ):
        raise ValidationError(_("This incident is not waiting for verification."))
    people = list(
        confirmer_candidates(incident)
        .filter(pk__in=list(person_ids)[: MAX_CONFIRMERS * 2], already_asked=False)
        .select_related("committee")[:MAX_CONFIRMERS]
    )
    if not people:
        raise ValidationError(_("Choose at least one confirmer who has not been asked yet."))
    latest = incident.reports.order_by("-received_at", "-id").first()
    where = (latest.cross_streets or "") if latest else ""
    now = timezone.now()
    for person in people:
        request = ConfirmerRequest.objects.create(
            incident=incident, person=person, asked_by=actor.membership, asked_at=now
        )
        conversation = conversation_open(
            person=person,
            kind=CONFIRM_CONVERSATION,
            object_id=request.pk,
            open_for=CONFIRM_OPEN_FOR,
            purpose=Purpose.RAID_ALERTS,
        )
        message_queue(
            person=person,
            purpose=Purpose.RAID_ALERTS,
            template="rapid_response_confirm",
            context={"zone": incident.zone.name, "where": where, "codes": conversation.codes},
            idempotency_key=f"rapid:confirm:{incident.pk}:{person.pk}",
            urgency=Urgency.URGENT,
            conversation=conversation,
            valid_until=now + CONFIRM_VALID_FOR,
        )
    log(incident, LogEntry.Kind.ASKED, actor=actor, note=str(len(people)))
    _touch_claim(incident, actor)
    return len(people)


@transaction.atomic
def confirmer_reply(*, request_id: int, seen: bool) -> ConfirmerRequest | None:
    """A confirmer answered. "I see agents" confirms an unverified or probable incident;
    "nothing there" is logged for the dispatcher to decide. Idempotent."""
    request = (
        ConfirmerRequest.objects.select_for_update()
        .select_related("incident", "person")
        .filter(pk=request_id)
        .first()
    )
    if request is None:
        return None
    answer = ConfirmerRequest.Answer.SEEN if seen else ConfirmerRequest.Answer.NOT_SEEN
    if request.answer == answer:
        return request
    request.answer, request.answered_at = answer, timezone.now()
    request.save(update_fields=["answer", "answered_at"])
    incident = _locked(request.incident)
    log(
        incident,
        LogEntry.Kind.SEEN if seen else LogEntry.Kind.NOT_SEEN,
        person=request.person,
    )
    waiting = (IncidentStatus.UNVERIFIED, IncidentStatus.PROBABLE)
    if seen and incident.closed_at is None and incident.status in waiting:
        _move(incident, IncidentStatus.CONFIRMED, person=request.person)
        _tell_dispatchers_confirmed(incident)
    return request


def _tell_dispatchers_confirmed(incident) -> None:
    """The claimer (or, if nobody claimed it, the dispatchers on call) is texted at once:
    the zone can be alerted now."""
    from notifications.services import Recipient, message_queue_many

    from .intake import on_call

    if incident.claimed_by_id:
        people = [incident.claimed_by.person]
    else:
        people = list(on_call(incident.committee))
    link = settings.PUBLIC_BASE_URL + reverse("rapid_response:alert_new", args=[incident.pk])
    context = {"zone": incident.zone.name if incident.zone else "", "link": link}
    message_queue_many(
        purpose=Purpose.RAID_ALERTS,
        template="rapid_response_confirmed",
        urgency=Urgency.URGENT,
        recipients=[
            Recipient(
                person=person,
                idempotency_key=f"rapid:confirmed:{incident.pk}:{person.pk}",
                context=context,
            )
            for person in people
        ],
    )
