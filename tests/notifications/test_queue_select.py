"""`message_queue_select`: a zone's alert written by INSERT … SELECT — the outbox's own
rules (consent, opt-outs, bad numbers, the committee), each person's own number and
language, a conversation per person for the replies, constant statements, idempotent."""

from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.test import Client
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from members.consent import Purpose
from members.models import Person
from notifications import routing, services
from notifications.models import Conversation, InboundMessage, Message, NumberFlag, Status, Urgency

from ..factories import PersonFactory
from .conftest import bulk_consenting_people, consenting_person, inbound_params, signed_post

KIND = "test.alert"


@pytest.fixture
def answers():
    """A reply handler without reply numbers (like a raid alert's YES / NO)."""
    saved = dict(routing.HANDLERS)
    seen = []

    @routing.handler(KIND, urgent=True)
    def answer(conversation, text, choice):
        seen.append((conversation.person_id, conversation.object_id, choice))
        return None

    yield seen
    routing.HANDLERS.clear()
    routing.HANDLERS.update(saved)


def queue(committee, people, *, object_id=7, **extra):
    now = timezone.now()
    with transaction.atomic():
        return services.message_queue_select(
            people=people,
            committee=committee,
            purpose=Purpose.RAID_ALERTS,
            template="check",
            context={},
            key_prefix=f"test:alert:{object_id}:",
            urgency=Urgency.URGENT,
            conversation_kind=KIND,
            conversation_object_id=object_id,
            open_until=now + timedelta(minutes=30),
            valid_until=now + timedelta(minutes=30),
            **extra,
        )


def test_only_people_the_outbox_may_reach_get_a_row_with_their_own_number_and_language(
    open_committee, other_committee, answers, django_capture_on_commit_callbacks
):
    ana = consenting_person(open_committee, language="es", purposes=[Purpose.RAID_ALERTS])
    bob = consenting_person(open_committee, language="en", purposes=[Purpose.RAID_ALERTS])
    stopped = consenting_person(open_committee, purposes=[Purpose.RAID_ALERTS])
    NumberFlag.objects.create(
        committee=open_committee,
        phone_hash=stopped.phone_hash,
        kind=NumberFlag.Kind.OPTED_OUT,
        active=True,
        source=NumberFlag.Source.KEYWORD,
    )
    reminders_only = consenting_person(open_committee, purposes=[Purpose.REMINDERS])
    no_phone = PersonFactory(committee=open_committee, contact__phone="")
    elsewhere = consenting_person(other_committee, purposes=[Purpose.RAID_ALERTS])
    with django_capture_on_commit_callbacks(execute=True):
        written = queue(open_committee, Person.objects.all())
    assert [person for person, _message in written] == sorted([ana.pk, bob.pk])
    messages = {m.person_id: m for m in Message.objects.all()}
    assert set(messages) == {ana.pk, bob.pk}
    for person in (ana, bob):
        message = messages[person.pk]
        assert message.to_address == str(person.phone)  # the ciphertext, copied, decrypts
        assert message.to_hash == person.phone_hash
        assert message.language == person.language
        assert message.urgency == Urgency.URGENT and message.expires_at is not None
        assert message.idempotency_key == f"test:alert:7:{person.pk}"
        assert message.conversation.person_id == person.pk
        assert message.conversation.kind == KIND and message.conversation.object_id == 7
    assert "test message" in messages[bob.pk].body
    assert "mensaje de prueba" in messages[ana.pk].body
    # Handed over on commit (locmem backend: sent at once).
    assert set(Message.objects.values_list("status", flat=True)) == {Status.SENT}
    for person in (stopped, reminders_only, no_phone, elsewhere):
        assert not Conversation.objects.filter(person=person).exists()

    # The reply reaches the conversation's handler.
    response = signed_post(
        Client(), "/sms/inbound/", inbound_params(from_number=str(bob.phone), body="YES")
    )
    assert response.status_code == 200
    assert answers == [(bob.pk, 7, 1)]
    assert InboundMessage.objects.get().outcome == InboundMessage.Outcome.ROUTED


def test_same_statements_for_ten_or_two_hundred_and_a_second_call_writes_nothing(
    open_committee, answers
):
    counts = {}
    for size, first in ((10, 0), (200, 100)):
        people = bulk_consenting_people(
            open_committee, size, purposes=[Purpose.RAID_ALERTS], first=first
        )
        chosen = Person.objects.filter(pk__in=[p.pk for p in people])
        with CaptureQueriesContext(connection) as captured:
            written = queue(open_committee, chosen, object_id=size)
        assert len(written) == size
        counts[size] = len(captured.captured_queries)
        assert queue(open_committee, chosen, object_id=size) == []  # same keys: nothing
    assert counts[10] == counts[200]
    assert Message.objects.count() == Conversation.objects.count() == 210
