"""Every change to trainings and registrations.

Concurrency: every service that gives or takes a seat locks the training row first
(`select_for_update`), then the registration rows, always in that order. Counting the
seats and writing the new registration happen under that lock, so fifty people
pressing "sign up" at once can never be given eleven of ten seats, and the waitlist
numbers are handed out in the order the lock was obtained.

Messages are queued through `trainings.messaging` inside the same transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.access import Action, Viewer
from lib.crypto import lookup_hash
from members import proofs
from members.consent import Channel, Consent, ConsentSource, Purpose, consent_record
from members.models import Person, TrainingRecord
from members.services import contact_find_or_create
from notifications.services import quiet_hours_end

from . import messaging
from .models import (
    ACTIVE_STATUSES,
    SEAT_STATUSES,
    CancelReason,
    Registration,
    RegistrationStatus,
    Source,
    Training,
    TrainingSeries,
)

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


class Outcome:
    REGISTERED = "registered"
    WAITLISTED = "waitlisted"
    ALREADY = "already"
    # The phone or email is someone's already: they were asked to confirm it was them,
    # and nothing else happens until they do (members.proofs).
    PROOF_REQUESTED = "proof_requested"


PUBLIC_SIGN_UP_PROOF = "trainings.public_sign_up"


@dataclass(frozen=True)
class SignUpResult:
    registration: Registration | None
    outcome: str
    # What a newcomer would have got at that moment: the public page shows this, so
    # that it never reveals whether a phone number was already signed up.
    public_outcome: str


# --- Locks and small helpers ----------------------------------------------------------


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
    return Registration.objects.filter(
        training=training, status=RegistrationStatus.WAITLISTED
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
    newcomer_outcome = Outcome.REGISTERED if free > 0 and not waiting else Outcome.WAITLISTED
    registration = (
        Registration.objects.select_for_update().filter(training=training, person=person).first()
    )
    if registration is not None and registration.status != RegistrationStatus.CANCELLED:
        return SignUpResult(_attach(registration, training), Outcome.ALREADY, newcomer_outcome)
    if registration is None:
        registration = Registration(training=training, person=person, source=source)
    registration.person = person
    _attach(registration, training)
    _reset_for_new_place(registration)
    if newcomer_outcome == Outcome.REGISTERED:
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
    while free > 0:
        following = (
            Registration.objects.select_for_update()
            .select_related("person__committee")
            .filter(training=training, status=RegistrationStatus.WAITLISTED)
            .order_by("waitlist_position", "id")
            .first()
        )
        if following is None:
            break
        _attach(following, training)
        following.status = RegistrationStatus.OFFERED
        following.offered_at = now
        following.offer_expires_at = offer_expiry(training, now)
        following.offer_count += 1
        following.save()
        messaging.send_offer(following, now=now)
        offered.append(following)
        free -= 1
    return offered


# --- Trainings --------------------------------------------------------------------------


def _validate_training(fields: dict, *, creating: bool, now: datetime) -> None:
    errors = {}
    if not (fields.get("title_en", "").strip() or fields.get("title_es", "").strip()):
        errors["title_es"] = _("Give the training a title, in Spanish or English.")
    if fields["ends_at"] <= fields["starts_at"]:
        errors["ends_at"] = _("The training must end after it starts.")
    if creating and fields["starts_at"] <= now:
        errors["starts_at"] = _("The training must start in the future.")
    elif fields["starts_at"] > now + timedelta(days=MAX_DAYS_AHEAD + 1):
        errors["starts_at"] = _("Choose a date between yesterday and two years from today.")
    if not (fields.get("place_name", "").strip() or fields.get("online_url", "").strip()):
        errors["place_name"] = _("Say where the training is, or give an online link.")
    if fields.get("capacity", 0) < 1:
        errors["capacity"] = _("A training needs at least one seat.")
    if errors:
        raise ValidationError(errors)


def _trainers_of(committee, trainers) -> list[Person]:
    trainers = list(trainers or [])
    if any(t.committee_id != committee.pk for t in trainers):
        raise PermissionDenied
    return trainers


@transaction.atomic
def training_create(
    *, actor: Viewer, trainers=(), weeks: int = 1, now: datetime | None = None, **fields
) -> list[Training]:
    """Create a training, or a weekly series of `weeks` sessions at the same local time.

    Each session keeps the committee's wall-clock time across daylight-saving changes.
    Side effects: the Training rows (and a TrainingSeries when weeks > 1).
    """
    actor.require(Action.MANAGE_TRAININGS)
    now = now or timezone.now()
    fields = {k: fields[k] for k in TRAINING_FIELDS if k in fields}
    _validate_training(fields, creating=True, now=now)
    if not 1 <= weeks <= MAX_SERIES_SESSIONS:
        raise ValidationError(
            {
                "weeks": _("A series has between 1 and %(max)s sessions.")
                % {"max": MAX_SERIES_SESSIONS}
            }
        )
    committee = actor.committee
    trainers = _trainers_of(committee, trainers)
    zone = ZoneInfo(committee.timezone)
    start_local = timezone.localtime(fields["starts_at"], zone).replace(tzinfo=None)
    duration = fields["ends_at"] - fields["starts_at"]
    series = (
        TrainingSeries.objects.create(committee=committee, created_by=actor.membership)
        if weeks > 1
        else None
    )
    created = []
    for week in range(weeks):
        starts_at = (start_local + timedelta(weeks=week)).replace(tzinfo=zone)
        training = Training.objects.create(
            committee=committee,
            series=series,
            created_by=actor.membership,
            **{**fields, "starts_at": starts_at, "ends_at": starts_at + duration},
        )
        training.trainers.set(trainers)
        created.append(training)
    return created


@transaction.atomic
def training_update(
    *, actor: Viewer, training: Training, trainers=None, now: datetime | None = None, **fields
) -> Training:
    """Change a training. A new time or place is announced to everyone with a seat, an
    offer or a waitlist place (once per change) and re-arms their reminders; more seats
    are offered to the waitlist at once."""
    actor.require(Action.MANAGE_TRAININGS)
    now = now or timezone.now()
    if training.committee_id != actor.committee.pk:
        raise PermissionDenied
    training = _lock_training(training.pk)
    fields = {k: fields[k] for k in TRAINING_FIELDS if k in fields}
    merged = {k: getattr(training, k) for k in TRAINING_FIELDS} | fields
    _validate_training(merged, creating=False, now=now)
    schedule_changed = any(merged[k] != getattr(training, k) for k in SCHEDULE_FIELDS)
    for name, value in fields.items():
        setattr(training, name, value)
    if schedule_changed:
        training.schedule_version += 1
    training.save()
    if trainers is not None:
        training.trainers.set(_trainers_of(training.committee, trainers))
    if schedule_changed and not training.cancelled_at and training.ends_at > now:
        people = list(
            Registration.objects.select_for_update()
            .select_related("person__committee")
            .filter(training=training, status__in=ACTIVE_STATUSES)
        )
        Registration.objects.filter(pk__in=[r.pk for r in people]).update(
            confirmed_at=None, day_before_sent_at=None, hour_before_sent_at=None
        )
        for registration in people:
            messaging.send_changed(_attach(registration, training))
    _fill_free_seats(training, now)
    return training


@transaction.atomic
def training_cancel(*, actor: Viewer, training: Training, now: datetime | None = None) -> Training:
    """Cancel a training and tell everyone who had a seat, an offer or a waitlist place."""
    actor.require(Action.MANAGE_TRAININGS)
    if training.committee_id != actor.committee.pk:
        raise PermissionDenied
    training = _lock_training(training.pk)
    if training.cancelled_at:
        return training
    training.cancelled_at = now or timezone.now()
    training.save(update_fields=["cancelled_at", "updated_at"])
    if training.ends_at > training.cancelled_at:
        for registration in (
            Registration.objects.select_related("person__committee")
            .filter(training=training, status__in=ACTIVE_STATUSES)
            .order_by("id")
        ):
            messaging.send_cancelled(_attach(registration, training))
    return training


# --- Sign-up ----------------------------------------------------------------------------


@transaction.atomic
def registration_sign_up(
    *, training: Training, person: Person, source: str = Source.MEMBER, now=None
) -> SignUpResult:
    """A seat if one is free, else a waitlist place; the same registration if they are
    already on the list. Raises SignUpRefused for a cancelled, started or closed training.
    Side effects: a Registration row; a confirmation or waitlist message."""
    now = now or timezone.now()
    training = _lock_training(training.pk)
    return _allocate(training, person, source=source, now=now)


def member_sign_up(*, viewer: Viewer, training: Training) -> SignUpResult:
    """One tap: any member of the committee, probationary members included (they need
    Know Your Rights too), for a public or members-only training of their committee."""
    if viewer.membership is None or training.committee_id != viewer.committee.pk:
        raise PermissionDenied
    return registration_sign_up(training=training, person=viewer.person, source=Source.MEMBER)


def _submitted_channels(person: Person, *, phone: str, email: str, new: bool) -> frozenset:
    """The channels whose address was typed in and belongs to `person`: every channel
    given for a person just created; for someone already known, only a channel whose
    typed address is the one on file (a stranger typing their own phone next to
    someone's email must not reach, or re-subscribe, the owner of that email)."""
    channels = set()
    if phone and (new or person.phone_hash == lookup_hash(phone)):
        channels.add(Channel.SMS)
    if email and (new or person.email_hash == lookup_hash(email)):
        channels.add(Channel.EMAIL)
    return frozenset(channels)


def _record_contact_consent(
    person: Person, *, channels, wording: str, language: str, source: str, by=None
) -> None:
    """Record consent to reminders on `channels`. An existing withdrawal (a STOP by
    text, an answer changed in the directory) is left as it is: only the person can
    take it back, through the same channel or the directory, never through this form."""
    withdrawn = set(
        Consent.objects.filter(person=person, purpose=Purpose.REMINDERS, granted=False).values_list(
            "channel", flat=True
        )
    )
    for channel in (Channel.SMS, Channel.EMAIL):
        if channel in channels and channel not in withdrawn:
            consent_record(
                person=person,
                purpose=Purpose.REMINDERS,
                channel=channel,
                granted=True,
                wording=wording,
                language=language,
                source=source,
                recorded_by=by,
            )


@transaction.atomic
def public_sign_up(
    *,
    training: Training,
    name: str,
    phone: str,
    email: str,
    language: str,
    consent_wording: str,
    wording_language: str,
    now: datetime | None = None,
) -> SignUpResult:
    """Sign up from the public page, without an account.

    A new phone or email makes a contact without a membership, with consent to
    reminders recorded for each channel given (the exact wording shown, its language),
    and a seat or waitlist place. A phone or email the committee already has proves
    nothing about who typed it: its owner is sent a "was it you?" link and nothing
    else happens (no consent, no change to their record, no other text) until they
    follow it (`public_sign_up_confirmed`). The page reads the same either way.
    """
    now = now or timezone.now()
    training = _lock_training(training.pk)  # also serialises find-or-create per training
    if not training.is_public:
        raise PermissionDenied
    refusal = sign_up_refusal(training, now)
    if refusal:
        raise SignUpRefused(refusal)
    match = contact_find_or_create(
        committee=training.committee,
        name=name,
        phone=phone,
        email=email,
        language=language,
        source="trainings.public_sign_up",
    )
    person, new = match.person, match.created
    if match.needs_proof:
        return _ask_for_proof(
            training,
            person,
            phone=phone,
            email=email,
            wording=consent_wording,
            wording_language=wording_language,
        )
    channels = _submitted_channels(person, phone=phone, email=email, new=new)
    return _sign_up_with_consent(
        training,
        person,
        channels=channels,
        wording=consent_wording,
        wording_language=wording_language,
        now=now,
    )


def _newcomer_outcome(training: Training) -> str:
    free = training.capacity - _seats_taken(training)
    return Outcome.REGISTERED if free > 0 and not _anyone_waiting(training) else Outcome.WAITLISTED


def _ask_for_proof(training, person, *, phone, email, wording, wording_language) -> SignUpResult:
    from members.services import ProofUnavailable, contact_proof_request

    channels = _submitted_channels(person, phone=phone, email=email, new=False)
    # Someone who withdrew (a STOP) is not texted because a stranger typed their number.
    withdrawn = set(
        Consent.objects.filter(person=person, purpose=Purpose.REMINDERS, granted=False).values_list(
            "channel", flat=True
        )
    )
    try:
        contact_proof_request(
            person=person,
            phone=phone if Channel.SMS not in withdrawn else "",
            email=email if Channel.EMAIL not in withdrawn else "",
            kind=PUBLIC_SIGN_UP_PROOF,
            payload={
                "training_id": training.pk,
                "channels": sorted(channels),
                "wording": wording,
                "wording_language": wording_language,
            },
        )
    except ProofUnavailable:
        pass  # the page must read the same: nothing is sent, nothing changes
    newcomer = _newcomer_outcome(training)
    return SignUpResult(None, Outcome.PROOF_REQUESTED, newcomer)


@proofs.on_confirm(PUBLIC_SIGN_UP_PROOF)
@transaction.atomic
def public_sign_up_confirmed(proof) -> SignUpResult | None:
    """The owner of the phone or email confirmed the sign-up made with it: record their
    consent on the channels they typed and give them a place (or their status again).
    None if the training is no longer open."""
    payload = proof.payload
    training = _lock_training(payload["training_id"])
    if training.committee_id != proof.committee_id or sign_up_refusal(training, timezone.now()):
        return None
    return _sign_up_with_consent(
        training,
        proof.person,
        channels=frozenset(payload["channels"]),
        wording=payload["wording"],
        wording_language=payload["wording_language"],
        now=timezone.now(),
    )


def _sign_up_with_consent(
    training, person, *, channels, wording, wording_language, now
) -> SignUpResult:
    _record_contact_consent(
        person,
        channels=channels,
        wording=wording,
        language=wording_language,
        source=ConsentSource.WEB_FORM,
    )
    result = _allocate(training, person, source=Source.PUBLIC, now=now, channels=channels)
    if result.outcome == Outcome.ALREADY:
        messaging.send_status_again(result.registration, now=now, channels=channels)
    return result


# --- Cancelling, offers, confirming -----------------------------------------------------


@transaction.atomic
def registration_cancel(
    *, registration: Registration, reason: str = CancelReason.BY_PERSON, now=None
) -> Registration:
    """Give up a seat, an offer or a waitlist place. A freed seat is offered at once to
    the next person on the waitlist. Cancelling twice changes nothing. Raises
    CancelRefused (with a kind message) once the training has started."""
    now = now or timezone.now()
    training = _lock_training(registration.training_id)
    registration = _attach(_lock_registration(registration.pk), training)
    if registration.status not in ACTIVE_STATUSES:
        return registration
    if reason == CancelReason.BY_PERSON and training.starts_at <= now:
        raise CancelRefused(_cancel_refusal())
    held_seat = registration.status in SEAT_STATUSES
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = now
    registration.cancel_reason = reason
    registration.offer_expires_at = None
    registration.save()
    if held_seat:
        _fill_free_seats(training, now)
    return registration


def member_cancel(*, viewer: Viewer, training: Training) -> Registration | None:
    registration = Registration.objects.filter(training=training, person=viewer.person).first()
    if registration is None:
        return None
    return registration_cancel(registration=registration)


def _cancel_refusal() -> str:
    return _(
        "This training has already started, so the place can no longer be given up. "
        "If you could not come, there is nothing else you need to do."
    )


def _lapse_message() -> str:
    return _(
        "Sorry: the time to claim this seat ran out and it was offered to the next person. "
        "You can sign up again to join the waitlist."
    )


def offer_claim(*, registration: Registration, now=None) -> Registration:
    """Take the offered seat. Raises OfferLapsed (with a kind message) after the offer's
    time ran out, or if the training was cancelled or has started. A lapsed offer the
    sweep had not reached yet is lapsed here, and the seat passed on, before refusing."""
    registration, refusal = _offer_claim(registration=registration, now=now or timezone.now())
    if refusal:
        raise OfferLapsed(refusal)
    return registration


@transaction.atomic
def _offer_claim(*, registration: Registration, now: datetime):
    training = _lock_training(registration.training_id)
    registration = _attach(_lock_registration(registration.pk), training)
    if registration.status in (RegistrationStatus.REGISTERED, RegistrationStatus.ATTENDED):
        return registration, None
    if registration.status != RegistrationStatus.OFFERED:
        return registration, _lapse_message()
    if training.cancelled_at:
        return registration, _("Sorry: this training was cancelled.")
    if registration.offer_expires_at <= now or training.starts_at <= now:
        _lapse(registration, now)
        _fill_free_seats(training, now)
        return registration, _lapse_message()
    _seat(registration, now)
    registration.save()
    messaging.send_confirmation(registration)
    return registration, None


def _lapse(registration: Registration, now: datetime) -> None:
    registration.status = RegistrationStatus.CANCELLED
    registration.cancel_reason = CancelReason.OFFER_LAPSED
    registration.cancelled_at = now
    registration.offer_expires_at = None
    registration.save()


def offer_decline(*, registration: Registration, now=None) -> Registration:
    return registration_cancel(
        registration=registration, reason=CancelReason.OFFER_DECLINED, now=now
    )


@transaction.atomic
def registration_confirm(*, registration: Registration, now=None) -> Registration:
    """They replied that they are coming."""
    registration = _lock_registration(registration.pk)
    if registration.status == RegistrationStatus.REGISTERED and not registration.confirmed_at:
        registration.confirmed_at = now or timezone.now()
        registration.save(update_fields=["confirmed_at", "updated_at"])
    return registration


# --- Sweeps (periodic: every few minutes) --------------------------------------------


def offers_expire(*, now: datetime | None = None, limit: int = 500) -> int:
    """Lapse the offers whose time ran out and offer those seats to the next people.
    Safe to run twice or concurrently: each training is re-read under its lock."""
    now = now or timezone.now()
    training_ids = list(
        Registration.objects.filter(
            status=RegistrationStatus.OFFERED,
            offer_expires_at__lte=now,
            training__cancelled_at__isnull=True,
        )
        .order_by("offer_expires_at")
        .values_list("training_id", flat=True)[:limit]
    )
    lapsed = 0
    for training_id in dict.fromkeys(training_ids):
        with transaction.atomic():
            training = _lock_training(training_id)
            for registration in Registration.objects.select_for_update().filter(
                training=training, status=RegistrationStatus.OFFERED, offer_expires_at__lte=now
            ):
                _lapse(registration, now)
                lapsed += 1
            _fill_free_seats(training, now)
    return lapsed


@dataclass(frozen=True)
class ReminderRule:
    field: str  # the registration's "sent" mark
    lead: timedelta  # sent once the start is this close...
    latest: timedelta  # ...and no later than this before the start (a late sweep skips it)
    send: object  # (registrations, now): queue the reminder to all of them


REMINDER_RULES = {
    "day_before": ReminderRule(
        "day_before_sent_at",
        timedelta(hours=24),
        timedelta(hours=3),
        lambda registrations, now: messaging.send_reminders(
            registrations, reminder="day_before", now=now
        ),
    ),
    "hour_before": ReminderRule(
        "hour_before_sent_at",
        timedelta(hours=1),
        timedelta(minutes=10),
        lambda registrations, now: messaging.send_reminders(
            registrations, reminder="hour_before", now=now
        ),
    ),
}
# Reminders claimed and queued per transaction. A batch keeps its trainings locked until
# it commits (a second or so for a thousand), and sign-ups to them wait that long.
REMINDER_BATCH = 1000


def reminders_send(
    *, now: datetime | None = None, limit: int = 10_000, batch_size: int = REMINDER_BATCH
) -> dict[str, int]:
    """Queue the day-before and hour-before reminders that are due, at most `limit` of
    each kind (the rest go at the next sweep). Returns how many of each were claimed.

    Each batch is one transaction: `_claim_due` claims up to `batch_size` due
    registrations, and their outbox rows are written in the same transaction by
    `messaging.send_reminders`; a batch takes a dozen statements whatever its size.
    A claimed registration is marked with the reminder and its message has a
    deterministic idempotency key, so a sweep running twice, concurrently or late
    never queues one twice; a sweep that dies mid-batch rolls the claim back with the
    messages. A reminder whose window has passed (the sweep was down) is not sent
    late. People who got their seat after a window opened just
    had a confirmation: they skip that one.
    """
    now = now or timezone.now()
    sent = {}
    for kind, rule in REMINDER_RULES.items():
        count = 0
        while count < limit:
            size = min(batch_size, limit - count)
            with transaction.atomic():
                claimed = _claim_due(rule, now=now, limit=size)
                if claimed:
                    rule.send(_reminded(claimed), now)
            count += len(claimed)
            if len(claimed) < size:
                break
        sent[kind] = count
    return sent


def _reminded(registration_ids: list[int]) -> list[Registration]:
    """The claimed registrations with their people, sharing one training object (and
    its committee) per training: two queries, and no copy of a training per person."""
    registrations = list(
        Registration.objects.filter(pk__in=registration_ids)
        .select_related("person")
        # What the reminders need (the address fields are decrypted on load: no others).
        .only(
            "training_id",
            "status",
            "person__committee_id",
            "person__language",
            "person__phone",
            "person__email",
        )
        .order_by("training__starts_at", "id")
    )
    trainings = Training.objects.select_related("committee").in_bulk(
        {r.training_id for r in registrations}
    )
    for registration in registrations:
        registration.training = trainings[registration.training_id]
        if registration.person.committee_id == registration.training.committee_id:
            registration.person.committee = registration.training.committee
    return registrations


def _claim_due(rule: ReminderRule, *, now: datetime, limit: int) -> list[int]:
    """Mark up to `limit` due registrations with `rule`'s reminder; return their ids.

    Two statements. The first locks the trainings that have reminders due, in id
    order, as every service does before touching their registrations: a cancellation
    or a change of time in progress is waited for, and until this transaction ends no
    one can cancel or move them. The second, which sees what those committed, re-checks
    the training (not cancelled, still inside the window) with the registration and
    marks them in one `UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) RETURNING`:
    rows another sweep is claiming at that moment are skipped, and one it has claimed
    no longer matches. So a training cancelled or moved while the sweep runs gets no
    reminder for its old time, and no reminder is claimed twice.
    """
    window = {
        "cancelled_at__isnull": True,
        "starts_at__gt": now + rule.latest,
        "starts_at__lte": now + rule.lead,
    }
    due = Registration.objects.filter(
        status=RegistrationStatus.REGISTERED,
        registered_at__lte=F("training__starts_at") - rule.lead,
        **{f"{rule.field}__isnull": True},
    )
    trainings = list(
        Training.objects.select_for_update(no_key=True)
        .filter(Exists(due.filter(training=OuterRef("pk"))), **window)
        .order_by("id")
        .values_list("id", flat=True)
    )
    if not trainings:
        return []
    claimable = (
        due.filter(
            training_id__in=trainings, **{f"training__{name}": v for name, v in window.items()}
        )
        .select_for_update(skip_locked=True, of=("self",))
        .order_by("training__starts_at", "id")
        .values_list("id", flat=True)[:limit]
    )
    select, params = claimable.query.sql_with_params()
    quote = connection.ops.quote_name
    table = quote(Registration._meta.db_table)
    mark = quote(Registration._meta.get_field(rule.field).column)
    # Names from the model, values as parameters: no outside text in this SQL.
    update = (
        f"UPDATE {table} SET {mark} = %s WHERE {quote('id')} IN ({select}) "  # noqa: S608
        f"RETURNING {quote('id')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(update, (now, *params))
        return [row[0] for row in cursor.fetchall()]


# --- Attendance --------------------------------------------------------------------------


def _require_runner(actor: Viewer, training: Training) -> None:
    actor.require(Action.RUN_TRAINING)
    if training.committee_id != actor.committee.pk:
        raise PermissionDenied


def _check_in_refusal(training: Training, now: datetime) -> str | None:
    if training.cancelled_at:
        return _("This training was cancelled.")
    if now < training.starts_at - CHECK_IN_OPENS:
        return _("Check-in opens two hours before the start.")
    return None


def person_mark_trained(*, registration: Registration, now: datetime) -> None:
    """The one place where attending makes a person trained for the training's kind.

    The attended registration is the record (see selectors.trained_kinds and
    people_trained_in); this is where a people-record entry is written as well.
    """
    registration.status = RegistrationStatus.ATTENDED
    registration.attended_at = now
    TrainingRecord.objects.get_or_create(
        person_id=registration.person_id,
        kind=registration.training.kind,
        source=TrainingRecord.Source.SESSION,
        completed_at=registration.training.starts_at,
    )


def person_unmark_trained(*, registration: Registration) -> None:
    """Undo `person_mark_trained` (a check-in tapped by mistake)."""
    registration.status = RegistrationStatus.REGISTERED
    registration.attended_at = None
    TrainingRecord.objects.filter(
        person_id=registration.person_id,
        kind=registration.training.kind,
        source=TrainingRecord.Source.SESSION,
        completed_at=registration.training.starts_at,
    ).delete()


@transaction.atomic
def registration_check_in(
    *, actor: Viewer, registration: Registration, attended: bool = True, now=None
) -> Registration:
    """Tap to mark someone attended (which marks them trained), or tap again to undo.
    Anyone on the roster may be checked in: people on the waitlist sometimes just come."""
    now = now or timezone.now()
    training = _lock_training(registration.training_id)
    _require_runner(actor, training)
    refusal = _check_in_refusal(training, now)
    if refusal:
        raise ValidationError(refusal)
    registration = _attach(_lock_registration(registration.pk), training)
    if attended and registration.status != RegistrationStatus.ATTENDED:
        person_mark_trained(registration=registration, now=now)
        registration.save()
    elif not attended and registration.status in (
        RegistrationStatus.ATTENDED,
        RegistrationStatus.NO_SHOW,
    ):
        person_unmark_trained(registration=registration)
        registration.save()
    return registration


@transaction.atomic
def registration_mark_no_show(
    *, actor: Viewer, registration: Registration, now=None
) -> Registration:
    now = now or timezone.now()
    training = _lock_training(registration.training_id)
    _require_runner(actor, training)
    if training.starts_at > now:
        raise ValidationError(_("Mark people as not coming only once the training has started."))
    registration = _attach(_lock_registration(registration.pk), training)
    if registration.status in (RegistrationStatus.REGISTERED, RegistrationStatus.ATTENDED):
        registration.status = RegistrationStatus.NO_SHOW
        registration.attended_at = None
        registration.save()
    return registration


@transaction.atomic
def training_close_attendance(*, actor: Viewer, training: Training, now=None) -> int:
    """After the training: everyone with a seat who was not checked in did not come."""
    now = now or timezone.now()
    training = _lock_training(training.pk)
    _require_runner(actor, training)
    if training.starts_at > now:
        raise ValidationError(_("Mark people as not coming only once the training has started."))
    return Registration.objects.filter(
        training=training, status__in=[RegistrationStatus.REGISTERED, RegistrationStatus.OFFERED]
    ).update(status=RegistrationStatus.NO_SHOW, offer_expires_at=None, updated_at=now)


@transaction.atomic
def registration_note(*, actor: Viewer, registration: Registration, notes: str) -> Registration:
    training = Training.objects.get(pk=registration.training_id)
    _require_runner(actor, training)
    registration = _lock_registration(registration.pk)
    registration.notes = notes.strip() or None
    registration.save(update_fields=["notes", "updated_at"])
    return registration


@transaction.atomic
def walk_in_add(
    *,
    actor: Viewer,
    training: Training,
    name: str,
    phone: str = "",
    email: str = "",
    language: str,
    consent_wording: str,
    wording_language: str,
    now=None,
) -> Registration:
    """Someone came without signing up: add them, checked in, with the consent they gave
    aloud (recorded with the wording the trainer read, and by whom). A person the
    committee already knows (same phone or email) is not duplicated."""
    now = now or timezone.now()
    training = _lock_training(training.pk)
    _require_runner(actor, training)
    refusal = _check_in_refusal(training, now)
    if refusal:
        raise ValidationError(refusal)
    match = contact_find_or_create(
        committee=training.committee, name=name, phone=phone, email=email, language=language
    )
    person, new = match.person, match.created
    _record_contact_consent(
        person,
        channels=_submitted_channels(person, phone=phone, email=email, new=new),
        wording=consent_wording,
        language=wording_language,
        source=ConsentSource.SPOKEN,
        by=actor.person,
    )
    registration = (
        Registration.objects.select_for_update().filter(training=training, person=person).first()
    )
    if registration is None:
        registration = Registration(training=training, person=person, source=Source.WALK_IN)
    _attach(registration, training)
    if registration.status != RegistrationStatus.ATTENDED:
        person_mark_trained(registration=registration, now=now)
    registration.save()
    return registration


def roster_export_log(*, actor: Viewer, training: Training, rows: int) -> None:
    """Audit-log who exported which roster, when (never the data itself)."""
    from auditlog.models import LogEntry

    from members.audit import AuditEvent, audit_record

    audit_record(viewer=actor, kind=AuditEvent.Kind.EXPORTED, row_count=rows, target=training)

    LogEntry.objects.log_create(
        training,
        force_log=True,
        action=LogEntry.Action.ACCESS,
        actor=actor.user,
        changes={"roster_export": ["", f"{rows} rows"]},
        additional_data={"export": "roster.csv", "rows": rows},
    )
