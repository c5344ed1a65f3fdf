"""Opt-out, opt-in and help keywords in English and Spanish (must show 4).

The app's Twilio backend talks to the fake Twilio; webhooks are posted signed, and
delivery runs in-process (eager), so every count below is a real HTTP request.
"""

import pytest
from django.db import transaction
from django.test import Client

from lib.crypto import lookup_hash
from members.consent import Channel, ConsentEvent, ConsentSource, Purpose, may_contact
from notifications import services
from notifications.keywords import KeywordKind, recognise
from notifications.models import InboundMessage, Kind, Message, NumberFlag, Status

from ..factories import PersonFactory
from .conftest import COMMITTEE_NUMBER, consenting_person, inbound_params, signed_post

TWILIO_DEFAULTS = ["STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "START", "HELP"]


def text_in(person, body, capture, **extra):
    with capture(execute=True):
        response = signed_post(
            Client(),
            "/sms/inbound/",
            inbound_params(from_number=str(person.phone), body=body, **extra),
        )
    assert response.status_code == 200
    return InboundMessage.objects.order_by("-id").first()


def send_reminder(person, key, capture, **kwargs):
    with capture(execute=True), transaction.atomic():
        return services.message_queue(
            person=person,
            purpose=Purpose.REMINDERS,
            template="check",
            idempotency_key=key,
            **kwargs,
        )


@pytest.fixture
def maria(open_committee):
    return consenting_person(open_committee, language="es", purposes=list(Purpose))


@pytest.mark.parametrize("word", ["STOP", "baja", "Baja ", "PARAR", "No  más", "¡alto!"])
def test_opt_out_keyword_stops_every_later_text(
    word, maria, fake_twilio, settings, django_capture_on_commit_callbacks
):
    settings.SMS_PROVIDER_ANSWERED_KEYWORDS = TWILIO_DEFAULTS  # as in production
    phone = str(maria.phone)
    inbound = text_in(maria, word, django_capture_on_commit_callbacks)

    assert inbound.outcome == InboundMessage.Outcome.OPT_OUT
    assert NumberFlag.objects.get(phone_hash=maria.phone_hash).active
    for purpose in Purpose:
        assert not may_contact(person=maria, purpose=purpose, channel=Channel.SMS)
        # Email consent is not touched by an SMS keyword.
        assert may_contact(person=maria, purpose=purpose, channel=Channel.EMAIL)
    withdrawal = ConsentEvent.objects.filter(person=maria, granted=False).first()
    assert withdrawal.source == ConsentSource.SMS_KEYWORD
    assert inbound.keyword in withdrawal.wording

    # One confirmation: Twilio's own for STOP, ours (in Spanish) for the Spanish words.
    confirmations = fake_twilio.messages_to(phone)
    if word == "STOP":
        assert confirmations == []
    else:
        assert len(confirmations) == 1
        assert "ALTA" in confirmations[0].body  # how to opt back in, in her language
    calls_before = fake_twilio.attempts_to(phone)

    # A text is refused; a message whose channel is left to the outbox goes by email,
    # which she still agrees to.
    capture = django_capture_on_commit_callbacks
    reminder = send_reminder(maria, f"after-{word}", capture, channel=Channel.SMS)
    assert reminder.status == Status.SKIPPED
    assert reminder.status_reason == "opted out"
    assert send_reminder(maria, f"any-{word}", capture).channel == Channel.EMAIL
    assert fake_twilio.attempts_to(phone) == calls_before  # zero calls to Twilio


def test_queued_message_is_not_sent_after_an_opt_out_arrives(
    maria, fake_twilio, django_capture_on_commit_callbacks
):
    with transaction.atomic():  # queued, its task not run yet
        message = services.message_queue(
            person=maria, purpose=Purpose.REMINDERS, template="check", idempotency_key="early"
        )
    text_in(maria, "BAJA", django_capture_on_commit_callbacks)
    calls = fake_twilio.attempts_to(str(maria.phone))
    assert services.message_deliver(message_id=message.pk) == Status.SKIPPED
    assert fake_twilio.attempts_to(str(maria.phone)) == calls


def test_start_opts_back_in_and_restores_what_the_opt_out_withdrew(
    open_committee, fake_twilio, django_capture_on_commit_callbacks
):
    # She agreed to reminders and news by SMS, never to fundraising.
    person = consenting_person(
        open_committee, language="es", purposes=[Purpose.REMINDERS, Purpose.NEWS]
    )
    text_in(person, "BAJA", django_capture_on_commit_callbacks)
    assert not may_contact(person=person, purpose=Purpose.REMINDERS, channel=Channel.SMS)

    inbound = text_in(person, "START", django_capture_on_commit_callbacks)
    assert inbound.outcome == InboundMessage.Outcome.OPT_IN
    assert not NumberFlag.objects.get(phone_hash=person.phone_hash).active
    assert may_contact(person=person, purpose=Purpose.REMINDERS, channel=Channel.SMS)
    assert may_contact(person=person, purpose=Purpose.NEWS, channel=Channel.SMS)
    assert not may_contact(person=person, purpose=Purpose.FUNDRAISING, channel=Channel.SMS)

    before = fake_twilio.attempts_to(str(person.phone))
    reminder = send_reminder(person, "after-start", django_capture_on_commit_callbacks)
    reminder.refresh_from_db()
    assert reminder.status == Status.SENT
    assert fake_twilio.attempts_to(str(person.phone)) == before + 1


def test_ayuda_gets_the_spanish_help_text_with_the_committee_name(
    maria, fake_twilio, django_capture_on_commit_callbacks
):
    inbound = text_in(maria, "Ayuda", django_capture_on_commit_callbacks)
    assert inbound.outcome == InboundMessage.Outcome.HELP
    [answer] = fake_twilio.messages_to(str(maria.phone))
    assert maria.committee.name in answer.body
    assert "BAJA" in answer.body and "mensaje" in answer.body
    assert answer.from_ == COMMITTEE_NUMBER  # from the committee's own number
    # HELP changes nobody's consent.
    assert may_contact(person=maria, purpose=Purpose.REMINDERS, channel=Channel.SMS)


def test_help_answer_is_sent_even_without_any_consent(
    open_committee, fake_twilio, django_capture_on_commit_callbacks
):
    stranger = PersonFactory(committee=open_committee, language="en")  # never agreed to texts
    text_in(stranger, "help", django_capture_on_commit_callbacks)
    [answer] = fake_twilio.messages_to(str(stranger.phone))
    assert "STOP" in answer.body
    assert Message.objects.get(kind=Kind.COMPLIANCE).status == Status.SENT


def test_opt_out_from_a_number_we_do_not_know_is_kept_and_confirmed_in_its_language(
    open_committee, fake_twilio, django_capture_on_commit_callbacks
):
    number = "+13105550199"
    with django_capture_on_commit_callbacks(execute=True):
        signed_post(Client(), "/sms/inbound/", inbound_params(from_number=number, body="cancelar"))
    flag = NumberFlag.objects.get(phone_hash=lookup_hash(number))
    assert flag.active and flag.reason == "CANCELAR"
    [confirmation] = fake_twilio.messages_to(number)
    assert "ALTA" in confirmation.body
    # A person added later with that number is not texted.
    later = consenting_person(open_committee, contact__phone=number)
    assert send_reminder(later, "later", django_capture_on_commit_callbacks).status == (
        Status.SKIPPED
    )


def test_a_retried_webhook_is_handled_once(maria, fake_twilio, django_capture_on_commit_callbacks):
    params = inbound_params(from_number=str(maria.phone), body="BAJA", sid="SMsame")
    for _ in range(3):
        with django_capture_on_commit_callbacks(execute=True):
            assert signed_post(Client(), "/sms/inbound/", params).status_code == 200
    assert InboundMessage.objects.count() == 1
    assert len(fake_twilio.messages_to(str(maria.phone))) == 1  # one confirmation


def test_keyword_handled_by_advanced_opt_out_is_recorded_without_a_second_answer(
    maria, fake_twilio, django_capture_on_commit_callbacks
):
    """Twilio's Advanced Opt-Out answered a custom keyword and says so with OptOutType."""
    inbound = text_in(maria, "DETENER", django_capture_on_commit_callbacks, OptOutType="STOP")
    assert inbound.outcome == InboundMessage.Outcome.OPT_OUT
    assert NumberFlag.objects.get(phone_hash=maria.phone_hash).active
    assert fake_twilio.messages_to(str(maria.phone)) == []


def test_opt_out_covers_every_record_with_that_number(
    open_committee, fake_twilio, django_capture_on_commit_callbacks
):
    shared = "+13105550123"
    mother = consenting_person(open_committee, contact__phone=shared)
    son = consenting_person(open_committee, contact__phone=shared)
    text_in(mother, "STOP", django_capture_on_commit_callbacks)
    for person in (mother, son):
        assert not may_contact(person=person, purpose=Purpose.REMINDERS, channel=Channel.SMS)


@pytest.mark.parametrize(
    ("text", "kind"),
    [
        ("STOP", KeywordKind.OPT_OUT),
        ("  stop. ", KeywordKind.OPT_OUT),
        ("StopAll", KeywordKind.OPT_OUT),
        ("Baja", KeywordKind.OPT_OUT),
        ("no más", KeywordKind.OPT_OUT),
        ("NO MAS", KeywordKind.OPT_OUT),
        ("Cancelar", KeywordKind.OPT_OUT),
        ("revoke", KeywordKind.OPT_OUT),
        ("optout", KeywordKind.OPT_OUT),
        ("Alta", KeywordKind.OPT_IN),
        ("reanudar", KeywordKind.OPT_IN),
        ("unstop", KeywordKind.OPT_IN),
        ("INFO", KeywordKind.HELP),
        ("ayúda", KeywordKind.HELP),
        ("Stop texting me about the meeting", None),
        ("bajamos mañana", None),
        ("SÍ", None),
    ],
)
def test_keywords_are_whole_messages_case_and_accent_insensitive(text, kind):
    found = recognise(text)
    assert (found.kind if found else None) == kind
