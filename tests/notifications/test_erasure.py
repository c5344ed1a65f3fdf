"""Erasing a person removes their messages, replies and conversations."""

from datetime import timedelta

from django.db import transaction

from committees.access import load_viewer
from committees.roles import Role
from members import services as member_services
from members.consent import Purpose
from notifications import services
from notifications.models import Conversation, InboundMessage, Message

from ..factories import make_member
from .conftest import COMMITTEE_NUMBER, consenting_person


def test_erasing_a_person_deletes_their_messages_and_replies(open_committee, settings):
    coordinator = make_member(open_committee, roles=[Role.COORDINATOR])
    person = consenting_person(open_committee)
    with transaction.atomic():
        conversation = services.conversation_open(
            person=person, kind="test.question", object_id=1, open_for=timedelta(hours=1)
        )
        services.message_queue(
            person=person,
            purpose=Purpose.REMINDERS,
            template="check",
            idempotency_key="erase-me",
            conversation=conversation,
        )
    services.inbound_receive(
        provider_id="SMerase",
        from_number=str(person.phone),
        to_number=COMMITTEE_NUMBER,
        body="hola",
    )
    assert Message.objects.filter(person=person).exists()
    assert InboundMessage.objects.filter(person=person).exists()

    member_services.person_erase(actor=load_viewer(coordinator.person.user), person=person)

    assert not Message.objects.filter(person=person).exists()
    assert not InboundMessage.objects.filter(person=person).exists()
    assert not Conversation.objects.filter(person=person).exists()
