"""Accompaniment: trained, vetted volunteers who speak the person's language stand
beside them at a hearing or check-in (presence and logistics, never legal advice);
the "detained" escalation; and the court-watch report afterwards."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.access import Action, Viewer
from committees.roles import MembershipStatus
from members.models import TrainingKind
from trainings.selectors import people_trained_in

from .. import messaging
from ..models import (
    Accompaniment,
    AccompanimentStatus,
    Case,
    CourtWatchReport,
    Hearing,
    HearingOutcome,
    HearingStatus,
    Urgency,
    WatchResult,
)
from .cases import _require
from .hearings import hearing_move

MAX_OFFERS = 30


def eligible_accompaniers(hearing: Hearing):
    """Vetted people trained in court accompaniment who speak the hearing's language,
    not already asked, never the client."""
    committee = hearing.case.committee
    language = hearing.accompaniment_language
    people = people_trained_in(committee=committee, kind=TrainingKind.COURT_ACCOMPANIMENT)
    people = people.filter(membership__status=MembershipStatus.VETTED, erased_at__isnull=True)
    if language:
        people = people.filter(Q(language=language) | Q(other_languages__code=language))
    asked = Accompaniment.objects.filter(hearing=hearing).values("person_id")
    people = people.exclude(pk__in=asked)
    if hearing.case.person_id:
        people = people.exclude(pk=hearing.case.person_id)
    return people.distinct().order_by("pk")


@transaction.atomic
def accompaniment_offer(*, actor: Viewer, hearing: Hearing, limit: int = MAX_OFFERS) -> int:
    """Offer the hearing to eligible volunteers by SMS (a numbered reply) or email.

    Side effects: one Accompaniment (offered) per person, a conversation and a message
    each. Returns how many were asked."""
    _require(actor, Action.EDIT_CASE, hearing.case)
    if not hearing.is_upcoming:
        raise ValidationError(_("This hearing is not coming up: nobody can be asked."))
    if hearing.accompaniers_needed < 1:
        raise ValidationError(_("Say how many accompaniers are needed first."))
    hearing = (
        Hearing.objects.select_for_update().select_related("case__committee").get(pk=hearing.pk)
    )
    people = list(eligible_accompaniers(hearing).select_related("committee")[:limit])
    open_for = max(timedelta(hours=1), hearing.starts_at - timezone.now())
    for person in people:
        accompaniment = Accompaniment.objects.create(hearing=hearing, person=person)
        messaging.send_offer(accompaniment, open_for=min(open_for, timedelta(days=14)))
    return len(people)


def accepted_count(hearing: Hearing) -> int:
    return Accompaniment.objects.filter(
        hearing=hearing, status=AccompanimentStatus.ACCEPTED
    ).count()


class Answer:
    GOING = "going"
    FULL = "full"
    DECLINED = "declined"
    CLOSED = "closed"


@transaction.atomic
def accompaniment_answer(*, accompaniment: Accompaniment, accept: bool) -> str:
    """The volunteer says yes or no (a reply or a tap). Yes once enough people are
    going, or once the hearing has passed or moved away, is thanked and not counted."""
    hearing = Hearing.objects.select_for_update().get(pk=accompaniment.hearing_id)
    accompaniment = Accompaniment.objects.select_for_update().get(pk=accompaniment.pk)
    now = timezone.now()
    if not accept:
        if accompaniment.status in (AccompanimentStatus.OFFERED, AccompanimentStatus.ACCEPTED):
            accompaniment.status = AccompanimentStatus.DECLINED
            accompaniment.answered_at = now
            accompaniment.save(update_fields=["status", "answered_at"])
        return Answer.DECLINED
    if accompaniment.status == AccompanimentStatus.ACCEPTED:
        return Answer.GOING
    if not hearing.is_upcoming or accompaniment.status == AccompanimentStatus.CANCELLED:
        return Answer.CLOSED
    if accepted_count(hearing) >= hearing.accompaniers_needed:
        return Answer.FULL
    accompaniment.status = AccompanimentStatus.ACCEPTED
    accompaniment.answered_at = now
    accompaniment.save(update_fields=["status", "answered_at"])
    return Answer.GOING


def member_answer(*, viewer: Viewer, accompaniment: Accompaniment, accept: bool) -> str:
    if not viewer.can(Action.ACCOMPANY, accompaniment):
        raise PermissionDenied
    return accompaniment_answer(accompaniment=accompaniment, accept=accept)


def alert_people(case: Case, *, exclude_id=None) -> list:
    """The case's team and its emergency contact, each once."""
    people = {
        m.membership.person_id: m.membership.person
        for m in case.team_members.select_related("membership__person__committee")
    }
    if case.textable(case.contact):
        people.setdefault(case.contact_id, case.contact)
    people.pop(exclude_id, None)
    return list(people.values())


@transaction.atomic
def accompaniment_report_detained(
    *, accompaniment: Accompaniment, now: datetime | None = None
) -> int:
    """The accompanier saw the person detained: alert the team and the emergency
    contact at once, on the urgent queue. Reporting twice alerts once."""
    accompaniment = (
        Accompaniment.objects.select_for_update(of=("self",))
        .select_related("hearing__case__committee", "hearing__case__contact__committee")
        .get(pk=accompaniment.pk)
    )
    if accompaniment.status != AccompanimentStatus.ACCEPTED:
        raise ValidationError(_("Only someone going with the person can report this."))
    hearing, case = accompaniment.hearing, accompaniment.hearing.case
    if accompaniment.detained_reported_at is None:
        accompaniment.detained_reported_at = now or timezone.now()
        accompaniment.save(update_fields=["detained_reported_at"])
    hearing.outcome = HearingOutcome.DETAINED
    hearing.status = HearingStatus.HELD
    hearing.save(update_fields=["outcome", "status", "updated_at"])
    Case.objects.filter(pk=case.pk).update(urgency=Urgency.DETAINED)
    people = alert_people(case, exclude_id=accompaniment.person_id)
    messaging.send_detained_alert(accompaniment, people)
    return len(people)


def member_report_detained(*, viewer: Viewer, accompaniment: Accompaniment) -> int:
    if not viewer.can(Action.ACCOMPANY, accompaniment):
        raise PermissionDenied
    return accompaniment_report_detained(accompaniment=accompaniment)


WATCH_TO_OUTCOME = {
    WatchResult.HELD: (HearingStatus.HELD, HearingOutcome.NEXT_HEARING),
    WatchResult.POSTPONED: (HearingStatus.MOVED, HearingOutcome.POSTPONED),
    WatchResult.REMOVAL_ORDERED: (HearingStatus.HELD, HearingOutcome.REMOVAL_ORDERED),
    WatchResult.RELIEF_GRANTED: (HearingStatus.HELD, HearingOutcome.RELIEF_GRANTED),
    WatchResult.DETAINED: (HearingStatus.HELD, HearingOutcome.DETAINED),
}


@transaction.atomic
def court_watch_record(
    *,
    viewer: Viewer,
    hearing: Hearing,
    result: str,
    postponed_to: datetime | None = None,
    interpreter_provided: bool | None = None,
    notes: str = "",
) -> CourtWatchReport:
    """What happened at the hearing, from an accompanier (or the team). The hearing
    follows: a postponement with a date moves it (and tells everyone), a detention
    alerts the team."""
    accompaniment = Accompaniment.objects.filter(
        hearing=hearing, person=viewer.person, status=AccompanimentStatus.ACCEPTED
    ).first()
    on_team = viewer.can(Action.EDIT_CASE, hearing.case)
    if accompaniment is None and not on_team:
        raise PermissionDenied
    if result not in WatchResult.values:
        raise ValidationError(_("Say what happened."))
    if result == WatchResult.POSTPONED and postponed_to and postponed_to <= hearing.starts_at:
        raise ValidationError(_("The new date must be after the hearing."))
    report = CourtWatchReport.objects.create(
        hearing=hearing,
        reported_by=viewer.person,
        result=result,
        postponed_to=postponed_to,
        interpreter_provided=interpreter_provided,
        notes=(notes or "").strip() or None,
        language=viewer.person.language,
    )
    status, outcome = WATCH_TO_OUTCOME[result]
    if result == WatchResult.DETAINED and accompaniment is not None:
        accompaniment_report_detained(accompaniment=accompaniment)
    elif result == WatchResult.POSTPONED and postponed_to:
        hearing.outcome = outcome
        hearing.save(update_fields=["outcome"])
        hearing_move(actor=None, hearing=hearing, starts_at=postponed_to, reason=_("Postponed"))
    else:
        hearing.status, hearing.outcome = status, outcome
        hearing.save(update_fields=["status", "outcome", "updated_at"])
    return report
