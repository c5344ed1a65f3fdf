"""Signing up: a member from the app, a neighbour from the public page (never changing
or granting consent on an existing record), or someone an organizer adds."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from committees.access import Viewer
from lib.crypto import lookup_hash
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
    _lock_training,
    sign_up_refusal,
)


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

    The person is found by phone (then email) in the committee, or created as a
    contact without a membership. An existing record's name, language and contact are
    never changed from this anonymous form. Consent to reminders is recorded for each
    channel given, with the exact wording shown and its language. Someone already on
    the list is sent their status again (at most hourly) and nothing else changes.
    """
    now = now or timezone.now()
    training = _lock_training(training.pk)  # also serialises find-or-create per training
    if not training.is_public:
        raise PermissionDenied
    refusal = sign_up_refusal(training, now)
    if refusal:
        raise SignUpRefused(refusal)
    match = contact_find_or_create(
        committee=training.committee, name=name, phone=phone, email=email, language=language
    )
    person, new = match.person, match.created
    channels = _submitted_channels(person, phone=phone, email=email, new=new)
    _record_contact_consent(
        person,
        channels=channels,
        wording=consent_wording,
        language=wording_language,
        source=ConsentSource.WEB_FORM,
    )
    result = _allocate(training, person, source=Source.PUBLIC, now=now, channels=channels)
    if result.outcome == SignUpOutcome.ALREADY:
        messaging.send_status_again(result.registration, now=now, channels=channels)
    return result
