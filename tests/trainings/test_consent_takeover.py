"""The anonymous public form (and a walk-in) must not re-subscribe someone who
withdrew, nor grant consent for, or send to, an address the person did not type."""

import pytest

from members.consent import Channel, Consent, ConsentSource, Purpose, consent_record
from notifications.models import Message
from trainings import services

from .factories import consenting, make_training

pytestmark = pytest.mark.django_db

OWNER_PHONE = "+12135550111"
OWNER_EMAIL = "owner@example.org"


def sign_up(training, **overrides):
    values = {
        "training": training,
        "name": "Stranger",
        "phone": "",
        "email": "",
        "language": "es",
        "consent_wording": "Acepto...",
        "wording_language": "es",
    }
    values.update(overrides)
    return services.public_sign_up(**values)


def answer(person, channel):
    row = Consent.objects.filter(person=person, purpose=Purpose.REMINDERS, channel=channel).first()
    return None if row is None else row.granted


def test_public_form_does_not_turn_a_stop_back_into_consent(committee):
    owner = consenting(committee, contact__phone=OWNER_PHONE, contact__email=OWNER_EMAIL)
    consent_record(
        person=owner,
        purpose=Purpose.REMINDERS,
        channel=Channel.SMS,
        granted=False,
        wording="STOP",
        language="es",
        source=ConsentSource.SMS_KEYWORD,
    )
    training = make_training(committee)
    result = sign_up(training, phone=OWNER_PHONE)
    # A known phone: the sign-up waits for its owner's proof (issue 11, point 3); the
    # proof request itself respects their STOP.
    assert result.outcome == services.SignUpOutcome.PROOF_REQUESTED
    assert answer(owner, Channel.SMS) is False
    assert (
        not Message.objects.filter(person=owner, channel=Channel.SMS)
        .exclude(status="skipped")
        .exists()
    )


def test_stranger_email_next_to_someones_phone_gets_no_consent_and_no_sms(committee):
    owner = consenting(
        committee, channels=(), contact__phone=OWNER_PHONE, contact__email=OWNER_EMAIL
    )
    training = make_training(committee)
    sign_up(training, phone=OWNER_PHONE, email="stranger@example.org")
    # The phone is theirs: the SMS answer may be recorded; the stranger's email never.
    assert answer(owner, Channel.EMAIL) is None


def test_stranger_phone_next_to_someones_email_records_nothing_and_texts_nobody(committee):
    owner = consenting(
        committee, channels=(Channel.SMS,), contact__phone=OWNER_PHONE, contact__email=OWNER_EMAIL
    )
    training = make_training(committee)
    result = sign_up(training, phone="+12135550999", email=OWNER_EMAIL)
    assert result.outcome == services.SignUpOutcome.PROOF_REQUESTED
    # The typed phone is not the one on file: no SMS consent recorded from it, and the
    # owner's number (which the stranger did not type) is never texted.
    assert not owner.consent_events.filter(channel=Channel.SMS, wording="Acepto...").exists()
    assert not Message.objects.filter(person=owner, channel=Channel.SMS).exists()
    # The email was theirs: only a proof request goes there; consent waits for it.
    assert answer(owner, Channel.EMAIL) is None
    assert list(Message.objects.filter(person=owner).values_list("channel", "template")) == [
        (Channel.EMAIL, "contact_proof")
    ]


def test_walk_in_records_consent_only_for_the_address_on_file(committee, coordinator):
    from datetime import timedelta

    from committees.access import load_viewer

    owner = consenting(
        committee, channels=(), contact__phone=OWNER_PHONE, contact__email=OWNER_EMAIL
    )
    training = make_training(committee, starts_in=timedelta(minutes=30))
    services.walk_in_add(
        actor=load_viewer(coordinator.person.user),
        training=training,
        name="X",
        phone=OWNER_PHONE,
        email="someone-else@example.org",
        language="es",
        consent_wording="ok",
        wording_language="es",
    )
    assert answer(owner, Channel.SMS) is True
    assert answer(owner, Channel.EMAIL) is None
