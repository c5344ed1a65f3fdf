"""Signing up: a member from the app, a neighbour from the public page (never changing
or granting consent on an existing record), or someone an organizer adds."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from committees.access import Action, Viewer
from lib.crypto import lookup_hash
from members import proofs
from members.consent import Channel, Consent, ConsentSource, Purpose, consent_record
from members.models import Person
from members.services import contact_find_or_create

from .. import messaging
from ..models import (
    Source,
    Training,
)
from .common import (
    SignUpOutcome,
    SignUpRefused,
    SignUpResult,
    _allocate,
    _anyone_waiting,
    _lock_training,
    _seats_taken,
    sign_up_refusal,
)

# The proof-of-control kind that completes a public sign-up (members.proofs).
PUBLIC_SIGN_UP_PROOF = "trainings.public_sign_up"


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


@transaction.atomic
def registrations_add(
    *, actor: Viewer, training: Training, people: list[Person], now=None
) -> dict[str, int]:
    """An organizer puts people chosen in the directory on a training's list: a seat each
    while seats last, then the waitlist, in the order given; someone already on the list
    keeps their place. Each gets the usual confirmation or waitlist message (with their
    consent). Returns how many of each outcome. Raises SignUpRefused for a cancelled,
    started or closed training."""
    actor.require(Action.MANAGE_TRAININGS)
    now = now or timezone.now()
    training = _lock_training(training.pk)
    if training.committee_id != actor.committee.pk:
        raise PermissionDenied
    counts = {SignUpOutcome.REGISTERED: 0, SignUpOutcome.WAITLISTED: 0, SignUpOutcome.ALREADY: 0}
    for person in people:
        result = _allocate(training, person, source=Source.ADDED, now=now)
        counts[result.outcome] += 1
    return counts


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
    Raises lib.throttle.Throttled when this phone or email was sent more than five
    times in the hour (counted before anything else, refused or not).
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
    return (
        SignUpOutcome.REGISTERED
        if free > 0 and not _anyone_waiting(training)
        else SignUpOutcome.WAITLISTED
    )


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
    return SignUpResult(None, SignUpOutcome.PROOF_REQUESTED, newcomer)


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
    if result.outcome == SignUpOutcome.ALREADY:
        messaging.send_status_again(result.registration, now=now, channels=channels)
    return result
