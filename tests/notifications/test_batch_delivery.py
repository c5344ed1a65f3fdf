"""Paced messages are delivered in batches (a `deliver_batch` task): a few claimed in one
statement, each sent at its own pacing slot, the answers Twilio accepted recorded in one
statement. Each is still sent once, a late batch record never moves a message back,
and a batch that meets no free slot gives back what it claimed and hands the rest over."""

import math

import pytest
from django.db import connection, transaction

from members.consent import Purpose
from notifications import services, tasks
from notifications.backends import locmem
from notifications.models import Message, Status, Urgency
from notifications.services import delivery, handover, pacing

from ..helpers import count_queries
from .conftest import bulk_consenting_people


def queued(committee, count, *, first=0, urgency=Urgency.BULK):
    """`count` queued SMS, written without being handed over (no commit in these tests)."""
    people = bulk_consenting_people(committee, count, first=first)
    with transaction.atomic():
        messages = services.message_queue_many(
            purpose=Purpose.REMINDERS,
            template="check",
            urgency=urgency,
            recipients=[
                services.Recipient(person=p, idempotency_key=f"batch:{p.pk}") for p in people
            ],
        )
    assert {m.status for m in messages} == {Status.QUEUED}
    return people, [m.pk for m in messages]


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the one-statement claim is PostgreSQL's; SQLite claims through the ORM",
)
def test_a_batch_sends_each_once_in_a_few_statements_per_claim(open_committee):
    people, ids = queued(open_committee, 23)
    made = count_queries(lambda: services.messages_deliver(message_ids=ids))
    # The heads, then per CLAIM_BATCH messages one claim and one record of the answers.
    assert made == 1 + 2 * math.ceil(23 / delivery.CLAIM_BATCH)
    assert sorted(sms.to for sms in locmem.outbox) == sorted(str(p.phone) for p in people)
    sent = Message.objects.filter(pk__in=ids)
    assert {(m.status, m.attempts) for m in sent} == {(Status.SENT, 1)}
    assert {m.provider_id for m in sent} == {f"locmem-{pk}" for pk in ids}
    assert all(m.sent_at and m.claimed_at for m in sent)

    # The same batch again (a task delivered twice): nothing more is sent.
    assert services.messages_deliver(message_ids=ids) == {"not-claimed": 23}
    assert len(locmem.outbox) == 23


def test_a_status_callback_before_the_batch_records_its_answers_is_kept(
    open_committee, monkeypatch
):
    _people, ids = queued(open_committee, 3)
    real = locmem.LocmemSmsBackend.send

    def send(self, sms):
        if sms.message_id == ids[1]:  # Twilio has already reported on the first one
            services.message_status_record(
                provider_id=f"locmem-{ids[0]}", provider_status="delivered", message_id=ids[0]
            )
        return real(self, sms)

    monkeypatch.setattr(locmem.LocmemSmsBackend, "send", send)
    services.messages_deliver(message_ids=ids)
    first, *others = Message.objects.filter(pk__in=ids).order_by("pk")
    assert (first.status, first.provider_id) == (Status.DELIVERED, f"locmem-{ids[0]}")
    assert first.sent_at is not None
    assert [(m.status, m.provider_id) for m in others] == [
        (Status.SENT, f"locmem-{m.pk}") for m in others
    ]


def test_no_slot_soon_gives_back_the_claimed_and_hands_the_rest_over(open_committee, monkeypatch):
    _people, ids = queued(open_committee, 8)
    slots = iter([pacing.Slot(True, 0.0), pacing.Slot(True, 0.0), pacing.Slot(False, 1.5)])
    monkeypatch.setattr(pacing, "acquire", lambda **kwargs: next(slots))
    handed = []
    monkeypatch.setattr(
        handover,
        "enqueue_batch",
        lambda message_ids, *, urgency, countdown=None: handed.append(
            (message_ids, urgency, countdown)
        ),
    )
    outcome = services.messages_deliver(message_ids=ids)
    assert outcome == {"not-claimed": 0, Status.SENT: 2, delivery.PACED: 6}
    rest, urgency, countdown = handed[0]
    assert (rest, urgency, len(handed)) == (ids[2:], Urgency.BULK, 1)
    assert 1.5 <= countdown <= 2.5
    messages = Message.objects.filter(pk__in=ids).order_by("pk")
    assert [(m.status, m.attempts) for m in messages] == [(Status.SENT, 1)] * 2 + [
        (Status.QUEUED, 0)
    ] * 6  # claimed with the first ones, then given back untouched
    assert len(locmem.outbox) == 2


def test_at_250_a_second_paced_messages_go_in_batches_alerts_one_by_one(
    open_committee, settings, monkeypatch
):
    settings.NOTIFICATIONS_SMS_PER_SECOND = 250
    _people, bulk = queued(open_committee, 60)
    _people, urgent = queued(open_committee, 2, first=100, urgency=Urgency.URGENT)
    published = []
    for task in (tasks.deliver, tasks.deliver_batch):
        monkeypatch.setattr(
            task, "apply_async", lambda task=task, **kwargs: published.append((task, kwargs))
        )
    rows = [(pk, Urgency.URGENT) for pk in urgent] + [(pk, Urgency.BULK) for pk in bulk]
    assert handover.enqueue_many(rows) == 62
    size = handover.send_batch_size()
    assert size == 5  # a fiftieth of a second's worth
    assert [(task.name, kwargs["queue"], kwargs["args"]) for task, kwargs in published] == [
        ("notifications.tasks.deliver", "urgent", [urgent[0]]),
        ("notifications.tasks.deliver", "urgent", [urgent[1]]),
        *(
            ("notifications.tasks.deliver_batch", "bulk", [bulk[start : start + size]])
            for start in range(0, 60, size)
        ),
    ]
    assert not Message.objects.filter(pk__in=bulk + urgent, enqueued_at__isnull=True).exists()
