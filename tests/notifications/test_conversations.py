"""Replies reach the part that asked the question; anything else waits for a coordinator."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone, translation
from django.utils.translation import gettext

from committees.models import Zone
from members.consent import Purpose
from notifications import routing, services
from notifications.backends import locmem
from notifications.models import Conversation, InboundMessage, Kind, Message, Status

from ..factories import PersonFactory
from .conftest import consenting_person, inbound_params, signed_post


@pytest.fixture
def handlers():
    """Register handlers for this test only."""
    saved = dict(routing.HANDLERS)
    yield routing.handler
    routing.HANDLERS.clear()
    routing.HANDLERS.update(saved)


def reply(person, body, capture):
    with capture(execute=True):
        response = signed_post(
            Client(), "/sms/inbound/", inbound_params(from_number=str(person.phone), body=body)
        )
    assert response.status_code == 200
    return InboundMessage.objects.order_by("-id").first()


def test_reply_goes_to_the_open_conversation_and_its_answer_is_sent_in_their_language(
    open_committee, handlers, django_capture_on_commit_callbacks
):
    person = consenting_person(open_committee, language="es")
    seen = []

    @handlers("test.question", choices=2)
    def confirm(conversation, text, choice):
        seen.append((conversation.object_id, text, choice, translation.get_language()))
        return gettext("Cancelled") if choice == 2 else None

    with transaction.atomic():
        conversation = services.conversation_open(
            person=person, kind="test.question", object_id=42, open_for=timedelta(hours=20)
        )
    assert conversation.codes == (1, 2)
    inbound = reply(person, "2", django_capture_on_commit_callbacks)

    assert seen == [(42, "2", 2, "es")]
    assert inbound.outcome == InboundMessage.Outcome.ROUTED
    assert inbound.conversation == conversation
    answer = Message.objects.get(kind=Kind.REPLY)
    assert answer.conversation == conversation and answer.status == Status.SENT
    assert locmem.outbox[-1].body == f"{open_committee.name}: {gettext_in_spanish('Cancelled')}"


def test_handler_without_an_answer_sends_nothing(
    open_committee, handlers, django_capture_on_commit_callbacks
):
    person = consenting_person(open_committee)
    handlers("alerts.going", urgent=True)(lambda conversation, text, choice: None)
    services.conversation_open(
        person=person, kind="alerts.going", object_id=1, open_for=timedelta(hours=1)
    )
    assert reply(person, "SÍ", django_capture_on_commit_callbacks).outcome == "routed"
    assert locmem.outbox == []


def test_reply_to_a_closed_conversation_waits_for_a_coordinator(
    open_committee, handlers, django_capture_on_commit_callbacks
):
    person = consenting_person(open_committee)
    handlers("test.question", choices=2)(lambda conversation, text, choice: "ok")
    conversation = services.conversation_open(
        person=person, kind="test.question", object_id=1, open_for=timedelta(hours=1)
    )
    Conversation.objects.filter(pk=conversation.pk).update(
        open_until=timezone.now() - timedelta(minutes=1)
    )
    inbound = reply(person, "1", django_capture_on_commit_callbacks)
    assert inbound.outcome == InboundMessage.Outcome.UNMATCHED
    assert inbound.person == person
    assert locmem.outbox == []


def test_reply_from_an_unknown_number_waits_for_a_coordinator(
    open_committee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        signed_post(
            Client(),
            "/sms/inbound/",
            inbound_params(from_number="+13105550777", body="Hay agentes en la esquina"),
        )
    inbound = InboundMessage.objects.get()
    assert (inbound.person, inbound.outcome) == (None, InboundMessage.Outcome.UNMATCHED)
    assert inbound.body == "Hay agentes en la esquina"


def test_a_failing_handler_rolls_back_its_writes_and_keeps_the_reply(
    open_committee, handlers, django_capture_on_commit_callbacks
):
    person = consenting_person(open_committee)

    @handlers("broken", accepts=lambda text: True)
    def broken(conversation, text, choice):
        Zone.objects.create(committee=open_committee, name="half-written")
        raise RuntimeError(text)

    services.conversation_open(person=person, kind="broken", object_id=1, open_for=timedelta(1))
    inbound = reply(person, "hola", django_capture_on_commit_callbacks)
    assert inbound.outcome == InboundMessage.Outcome.UNMATCHED
    assert not Zone.objects.filter(name="half-written").exists()


def test_answer_to_someone_without_consent_for_its_purpose_is_skipped(
    open_committee, handlers, django_capture_on_commit_callbacks
):
    person = PersonFactory(committee=open_committee)  # agreed to nothing
    handlers("alerts.going", urgent=True)(lambda conversation, text, choice: "Gracias")
    services.conversation_open(
        person=person,
        kind="alerts.going",
        object_id=1,
        open_for=timedelta(hours=1),
        purpose=Purpose.RAID_ALERTS,
    )
    reply(person, "SI", django_capture_on_commit_callbacks)
    answer = Message.objects.get(kind=Kind.REPLY)
    assert (answer.status, answer.purpose) == (Status.SKIPPED, Purpose.RAID_ALERTS)
    assert locmem.outbox == []


def test_newest_free_form_conversation_that_accepts_the_text_wins(
    open_committee, handlers, django_capture_on_commit_callbacks
):
    person = consenting_person(open_committee)
    got = []
    handlers("first", accepts=lambda text: True)(lambda c, text, choice: got.append("first"))
    handlers("second", accepts=lambda text: True)(lambda c, text, choice: got.append("second"))
    handlers("picky", accepts=lambda text: text == "never")(lambda c, t, ch: got.append("picky"))
    services.conversation_open(person=person, kind="first", object_id=1, open_for=timedelta(1))
    services.conversation_open(person=person, kind="second", object_id=2, open_for=timedelta(1))
    services.conversation_open(person=person, kind="picky", object_id=3, open_for=timedelta(1))
    reply(person, "ok", django_capture_on_commit_callbacks)
    assert got == ["second"]


def test_two_handlers_for_one_kind_are_refused(handlers):
    handlers("twice", choices=2)(lambda conversation, text, choice: None)
    with pytest.raises(ValueError, match="already registered"):
        handlers("twice", choices=2)(lambda conversation, text, choice: "other")
    with pytest.raises(ValueError, match="exactly one"):
        handlers("vague")


def gettext_in_spanish(text):
    with translation.override("es"):
        translated = gettext(text)
    assert translated != text
    return translated
