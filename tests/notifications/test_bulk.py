"""`message_queue_many` applies to each person exactly what `message_queue` would, in a
constant number of queries, and a key already used writes and sends nothing more."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db import transaction
from freezegun import freeze_time

from members.consent import Channel, Purpose
from notifications import services
from notifications.models import Message, NumberFlag, Status, Urgency

from ..factories import PersonFactory
from ..helpers import count_queries
from .conftest import consenting_person

LA = ZoneInfo("America/Los_Angeles")
COMPARED = ("channel", "status", "status_reason", "language", "body", "subject", "not_before")


def people_of_every_kind(committee):
    opted_out, bad_number = consenting_person(committee), consenting_person(committee)
    for person, kind in ((opted_out, "opted_out"), (bad_number, "invalid")):
        NumberFlag.objects.create(
            committee=committee, phone_hash=person.phone_hash, kind=kind, source="keyword"
        )
    lifted = consenting_person(committee)
    NumberFlag.objects.create(
        committee=committee,
        phone_hash=lifted.phone_hash,
        kind="opted_out",
        source="keyword",
        active=False,
    )
    return [
        consenting_person(committee, language="es"),
        consenting_person(committee, language="en"),
        PersonFactory(committee=committee),  # no consent
        opted_out,
        bad_number,
        lifted,
        consenting_person(committee, contact__phone="", contact__email=""),
    ]


def queue_each(people, prefix, **kwargs):
    with transaction.atomic():
        return [
            services.message_queue(
                person=p, idempotency_key=f"{prefix}:{p.pk}", template="check", **kwargs
            )
            for p in people
        ]


def queue_many(people, prefix, valid_until=None, **kwargs):
    with transaction.atomic():
        return services.message_queue_many(
            template="check",
            recipients=[
                services.Recipient(
                    person=p, idempotency_key=f"{prefix}:{p.pk}", valid_until=valid_until
                )
                for p in people
            ],
            **kwargs,
        )


def outcome(messages):
    # An empty subject is stored as NULL (encrypted fields keep no empty string).
    return [tuple(getattr(m, name) or None for name in COMPARED) for m in messages]


@freeze_time(datetime(2026, 11, 23, 10, 0, tzinfo=LA))
def test_many_at_once_gives_each_person_what_one_by_one_gives(committee):
    people = people_of_every_kind(committee)
    alone = queue_each(people, "alone", purpose=Purpose.REMINDERS)
    together = queue_many(people, "together", purpose=Purpose.REMINDERS)
    assert outcome(together) == outcome(alone)
    assert [m.status_reason for m in together] == [
        "",
        "",
        "no consent",
        "opted out",
        "number cannot receive texts",
        "",
        "no email address",
    ]
    # Written as they were returned.
    assert outcome(Message.objects.filter(pk__in=[m.pk for m in together]).order_by("id")) == (
        outcome(together)
    )


@freeze_time(datetime(2026, 11, 23, 22, 0, tzinfo=LA))  # quiet hours until 08:00
def test_quiet_hours_and_validity_as_one_by_one(committee):
    people = [consenting_person(committee) for _ in range(2)]
    for valid_until in (None, datetime(2026, 11, 24, 7, 0, tzinfo=LA)):
        alone = queue_each(people, f"a{valid_until}", purpose="reminders", valid_until=valid_until)
        together = queue_many(
            people, f"t{valid_until}", purpose="reminders", valid_until=valid_until
        )
        assert outcome(together) == outcome(alone)
        assert [m.expires_at for m in together] == [m.expires_at for m in alone]
    assert {m.status_reason for m in together} == {"quiet hours outlast its validity"}
    assert {m.status_reason for m in queue_many(people, "t", purpose="reminders")} == {""}


@freeze_time(datetime(2026, 11, 23, 10, 0, tzinfo=LA))
def test_a_key_already_used_writes_nothing_and_returns_the_first_row(committee):
    person, other = consenting_person(committee), consenting_person(committee)
    first = queue_many([person], "k", purpose=Purpose.REMINDERS)
    again = queue_many([person, other, other], "k", purpose=Purpose.REMINDERS)
    assert [m.pk for m in again][0] == first[0].pk
    assert len(again) == 2  # the repeated key within the call counts once
    assert Message.objects.count() == 2


@freeze_time(datetime(2026, 11, 23, 10, 0, tzinfo=LA))
def test_queries_do_not_grow_with_the_people(committee):
    few = [consenting_person(committee) for _ in range(3)]
    many = [consenting_person(committee) for _ in range(30)]
    assert count_queries(lambda: queue_many(few, "few", purpose=Purpose.REMINDERS)) == (
        count_queries(lambda: queue_many(many, "many", purpose=Purpose.REMINDERS))
    )


@freeze_time(datetime(2026, 11, 23, 10, 0, tzinfo=LA))
def test_one_fan_out_task_hands_over_every_message(
    committee, django_capture_on_commit_callbacks, monkeypatch
):
    from notifications import tasks

    people = [consenting_person(committee) for _ in range(3)]
    published = []
    monkeypatch.setattr(
        tasks.deliver_many, "apply_async", lambda **kwargs: published.append(kwargs)
    )
    with django_capture_on_commit_callbacks(execute=True):
        messages = queue_many(people, "k", purpose=Purpose.REMINDERS, urgency=Urgency.BULK)
    assert published == [
        {
            "args": [[m.pk for m in messages]],
            "queue": "bulk",
            "retry": True,
            "retry_policy": published[0]["retry_policy"],
        }
    ]


def test_person_without_any_address_is_recorded_as_skipped(committee):
    """The address column cannot be empty-but-not-null: such a row used to fail to save
    and the caller (the reminder sweep) with it."""
    person = consenting_person(committee, contact__phone="", contact__email="")
    with transaction.atomic():
        message = services.message_queue(
            person=person, purpose=Purpose.REMINDERS, template="check", idempotency_key="k"
        )
    message.refresh_from_db()
    assert (message.status, message.status_reason) == (Status.SKIPPED, "no email address")
    assert message.channel == Channel.EMAIL and not message.to_address


def test_deferred_message_is_handed_over_with_its_countdown(committee, monkeypatch):
    from notifications import tasks

    person = consenting_person(committee)
    message = queue_many([person], "k", purpose=Purpose.REMINDERS)[0]
    Message.objects.filter(pk=message.pk).update(
        not_before=message.created_at + timedelta(minutes=3)
    )
    published = []
    monkeypatch.setattr(tasks.deliver, "apply_async", lambda **kwargs: published.append(kwargs))
    assert services.messages_hand_over(message_ids=[message.pk]) == 1
    assert 0 < published[0]["countdown"] <= 180


def test_bulk_insert_keeps_every_value_exactly(committee):
    """The fast PostgreSQL path quotes values itself: quotes, %, accents, emoji survive."""
    from django.utils import timezone

    from lib.bulk import bulk_insert
    from notifications.models import Conversation

    person = PersonFactory(committee=committee)
    tricky = ['it\'s 100% "free"', "Mañana 10:00 — ¿vienes? 🙂", "\\x00 %s %(a)s ;--", ""]
    messages = bulk_insert(
        [
            Message(
                committee=committee,
                person=person,
                channel="sms",
                template="t",
                language="es",
                to_address=f"+1310555{n:04d}",
                to_hash=f"h{n}",
                body=text or "x",
                subject=text or None,
                idempotency_key=f"tricky:{n}",
                created_at=timezone.now(),
            )
            for n, text in enumerate(tricky)
        ]
    )
    for n, (message, text) in enumerate(zip(messages, tricky, strict=True)):
        stored = Message.objects.get(pk=message.pk)
        assert stored.idempotency_key == f"tricky:{n}"
        assert (stored.body, stored.subject) == (text or "x", text or None)
        assert stored.to_address == f"+1310555{n:04d}"
    conversations = bulk_insert(
        [
            Conversation(
                committee=committee,
                person=person,
                kind="k",
                object_id=n,
                open_until=timezone.now(),
            )
            for n in range(3)
        ]
    )
    assert [Conversation.objects.get(pk=c.pk).object_id for c in conversations] == [0, 1, 2]
