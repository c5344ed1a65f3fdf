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

    @handlers("trainings.day_before")
    def confirm(conversation, text):
        seen.append((conversation.object_id, text, translation.get_language()))
        return gettext("Cancelled") if text.strip().upper() == "NO" else None

    with transaction.atomic():
        conversation = services.conversation_open(
            person=person, kind="trainings.day_before", object_id=42, open_for=timedelta(hours=20)
        )
    inbound = reply(person, "no", django_capture_on_commit_callbacks)

    assert seen == [(42, "no", "es")]
    assert inbound.outcome == InboundMessage.Outcome.ROUTED
    assert inbound.conversation == conversation
    answer = Message.objects.get(kind=Kind.REPLY)
    assert answer.conversation == conversation and answer.status == Status.SENT
    assert locmem.outbox[-1].body == f"{open_committee.name}: {gettext_in_spanish('Cancelled')}"


def test_handler_without_an_answer_sends_nothing(
    open_committee, handlers, django_capture_on_commit_callbacks
):
    person = consenting_person(open_committee)
    handlers("alerts.going")(lambda conversation, text: None)
    services.conversation_open(
        person=person, kind="alerts.going", object_id=1, open_for=timedelta(hours=1)
    )
    assert reply(person, "SÍ", django_capture_on_commit_callbacks).outcome == "routed"
    assert locmem.outbox == []


def test_reply_to_a_closed_conversation_waits_for_a_coordinator(
    open_committee, handlers, django_capture_on_commit_callbacks
):
    person = consenting_person(open_committee)
    handlers("trainings.day_before")(lambda conversation, text: "ok")
    conversation = services.conversation_open(
        person=person, kind="trainings.day_before", object_id=1, open_for=timedelta(hours=1)
    )
    Conversation.objects.filter(pk=conversation.pk).update(
        open_until=timezone.now() - timedelta(minutes=1)
    )
    inbound = reply(person, "Sí voy", django_capture_on_commit_callbacks)
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

    @handlers("broken")
    def broken(conversation, text):
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
    handlers("alerts.going")(lambda conversation, text: "Gracias")
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


def test_latest_open_conversation_wins(
    open_committee, handlers, django_capture_on_commit_callbacks
):
    person = consenting_person(open_committee)
    got = []
    handlers("first")(lambda conversation, text: got.append("first"))
    handlers("second")(lambda conversation, text: got.append("second"))
    services.conversation_open(person=person, kind="first", object_id=1, open_for=timedelta(1))
    services.conversation_open(person=person, kind="second", object_id=2, open_for=timedelta(1))
    reply(person, "ok", django_capture_on_commit_callbacks)
    assert got == ["second"]


def gettext_in_spanish(text):
    with translation.override("es"):
        translated = gettext(text)
    assert translated != text
    return translated
