"""What every trainings service shares: limits, refusals, outcomes, the locks, and
handing out a seat or a waitlist place (`_allocate`) and offering freed seats in order."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone
from django.utils.translation import gettext as _

from members.models import Person
from notifications.services import quiet_hours_end

from .. import messaging
from ..models import (
    SEAT_STATUSES,
    Registration,
    RegistrationStatus,
    Training,
)
from ..reach import reachability

# How long a waitlisted person has to claim a freed seat, and the least we give.
OFFER_WINDOW = timedelta(hours=12)
MIN_OFFER_WINDOW = timedelta(minutes=15)
# Check-in opens this long before the start (a tap a week early must not mark anyone trained).
CHECK_IN_OPENS = timedelta(hours=2)
MAX_SERIES_SESSIONS = 26
# A training is planned at most this far ahead (a typo like 9999-12-31 is refused).
MAX_DAYS_AHEAD = 2 * 365
# Fields whose change people with a seat or on the waitlist must hear about.
SCHEDULE_FIELDS = ("starts_at", "ends_at", "place_name", "address", "online_url")
TRAINING_FIELDS = (
    "kind",
    "title_en",
    "title_es",
    "description_en",
    "description_es",
    "language",
    "starts_at",
    "ends_at",
    "place_name",
    "address",
    "address_private",
    "online_url",
    "capacity",
    "visibility",
    "signup_closed",
)


class SignUpRefused(ValidationError):
    """The training cannot take sign-ups (cancelled, started, closed)."""


class CancelRefused(ValidationError):
    """The training has started: the place can no longer be given up."""


class OfferLapsed(ValidationError):
    """The seat offer is no longer valid; the message says so kindly."""


class SignUpOutcome(enum.StrEnum):
    """What a sign-up gave the person (a seat, a waitlist place, or what they had)."""

    REGISTERED = "registered"
    WAITLISTED = "waitlisted"
    ALREADY = "already"
    # The phone or email is someone's already: they were asked to confirm it was them,
    # and nothing else happens until they do (members.proofs).
    PROOF_REQUESTED = "proof_requested"


@dataclass(frozen=True)
class SignUpResult:
    registration: Registration | None
    outcome: SignUpOutcome
    # What a newcomer would have got at that moment: the public page shows this, so
    # that it never reveals whether a phone number was already signed up.
    public_outcome: SignUpOutcome


def _lock_training(training_id: int) -> Training:
    return Training.objects.select_for_update().select_related("committee").get(pk=training_id)


def _lock_registration(registration_id: int) -> Registration:
    return (
        Registration.objects.select_for_update()
        .select_related("person__committee")
        .get(pk=registration_id)
    )


def _seats_taken(training: Training) -> int:
    return Registration.objects.filter(training=training, status__in=SEAT_STATUSES).count()


def _anyone_waiting(training: Training) -> bool:
    """Is anyone we can reach waiting? (People passed over do not hold a free seat back.)"""
    return Registration.objects.filter(
        training=training, status=RegistrationStatus.WAITLISTED, passed_over_at__isnull=True
    ).exists()


def sign_up_refusal(training: Training, now: datetime | None = None) -> str | None:
    """Why nobody can sign up for `training` now, in the reader's language, or None."""
    now = now or timezone.now()
    if training.cancelled_at:
        return _("This training was cancelled.")
    if training.starts_at <= now:
        return _("This training has already started or taken place, so sign-up is closed.")
    if training.signup_closed:
        return _("Sign-up for this training is closed.")
    return None


def offer_expiry(training: Training, now: datetime) -> datetime:
    """12 hours to claim a seat; less close to the start (a quarter of the time left,
    at least 15 minutes), and never past the start. An offer made during the
    committee's quiet hours is texted when they end: the clock starts then."""
    sent_at = quiet_hours_end(training.committee, now) or now
    remaining = training.starts_at - sent_at
    window = min(OFFER_WINDOW, max(MIN_OFFER_WINDOW, remaining / 4))
    return min(sent_at + window, training.starts_at)


def _attach(registration: Registration, training: Training) -> Registration:
    # The locked training (with its committee) is what messages render.
    registration.training = training
    return registration


def _reset_for_new_place(registration: Registration) -> None:
    registration.cancelled_at = None
    registration.cancel_reason = ""
    registration.confirmed_at = None
    registration.offered_at = None
    registration.offer_expires_at = None
    registration.day_before_sent_at = None
    registration.hour_before_sent_at = None
    registration.attended_at = None


def _seat(registration: Registration, now: datetime) -> None:
    registration.status = RegistrationStatus.REGISTERED
    registration.registered_at = now
    registration.offer_expires_at = None
    registration.cancelled_at = None
    registration.cancel_reason = ""


def _allocate(
    training: Training, person: Person, *, source: str, now: datetime, channels=None
) -> SignUpResult:
    """Give `person` a seat or a waitlist place at the (locked) `training`. `channels`,
    when given, are the only ones the confirmation may use (see public_sign_up)."""
    if person.committee_id != training.committee_id:
        raise PermissionDenied
    refusal = sign_up_refusal(training, now)
    if refusal:
        raise SignUpRefused(refusal)
    free = training.capacity - _seats_taken(training)
    waiting = _anyone_waiting(training)
    newcomer_outcome = (
        SignUpOutcome.REGISTERED if free > 0 and not waiting else SignUpOutcome.WAITLISTED
    )
    registration = (
        Registration.objects.select_for_update().filter(training=training, person=person).first()
    )
    if registration is not None and registration.status != RegistrationStatus.CANCELLED:
        return SignUpResult(
            _attach(registration, training), SignUpOutcome.ALREADY, newcomer_outcome
        )
    if registration is None:
        registration = Registration(training=training, person=person, source=source)
    registration.person = person
    _attach(registration, training)
    _reset_for_new_place(registration)
    if newcomer_outcome == SignUpOutcome.REGISTERED:
        _seat(registration, now)
        registration.waitlist_position = None
        registration.save()
        messaging.send_confirmation(registration, channels=channels)
    else:
        training.waitlist_counter += 1
        training.save(update_fields=["waitlist_counter", "updated_at"])
        registration.status = RegistrationStatus.WAITLISTED
        registration.waitlist_position = training.waitlist_counter
        registration.save()
        messaging.send_waitlisted(registration, channels=channels)
        if free > 0:
            # Seats free while others wait (a capacity change raced us): offer them in order.
            _fill_free_seats(training, now)
    return SignUpResult(registration, newcomer_outcome, newcomer_outcome)


def _fill_free_seats(training: Training, now: datetime) -> list[Registration]:
    """Offer each free seat of the (locked) training to the next person on its waitlist."""
    if training.cancelled_at or training.starts_at <= now:
        return []
    offered = []
    free = training.capacity - _seats_taken(training)
    passed: set[int] = set()
    while free > 0:
        following = (
            Registration.objects.select_for_update()
            .select_related("person__committee")
            .filter(training=training, status=RegistrationStatus.WAITLISTED)
            .exclude(pk__in=passed)
            .order_by("waitlist_position", "id")
            .first()
        )
        if following is None:
            break
        # An offer nobody can receive would hold the seat until it lapses: the seat goes
        # to the next person we can reach, and this one keeps their place (and is told
        # why on the roster) in case they turn messages on.
        unreachable = reachability(following.person)
        if unreachable:
            passed.add(following.pk)
            if following.passed_over_reason != unreachable or not following.passed_over_at:
                following.passed_over_at = now
                following.passed_over_reason = unreachable
                following.save(update_fields=["passed_over_at", "passed_over_reason", "updated_at"])
            continue
        _attach(following, training)
        following.passed_over_at = None
        following.passed_over_reason = ""
        following.status = RegistrationStatus.OFFERED
        following.offered_at = now
        following.offer_expires_at = offer_expiry(training, now)
        following.offer_count += 1
        following.save()
        messaging.send_offer(following, now=now)
        offered.append(following)
        free -= 1
    return offered
