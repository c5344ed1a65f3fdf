"""The reminder sweep writes its messages in bulk: the number of SQL statements does not
grow with the number of reminders due, every person still gets the outbox's rules
(consent, opt-outs, bad numbers, no address, quiet hours, the start as the limit), in
their language and with their own link, and a sweep that dies or meets a broker that is
down loses and doubles nothing."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.db import connection
from freezegun import freeze_time

from lib import dates
from members.consent import Channel, ConsentSource, Purpose, consent_record
from notifications import services as outbox
from notifications import tasks as outbox_tasks
from notifications.backends import locmem
from notifications.models import Conversation, Message, NumberFlag, Status
from notifications.rendering import render
from trainings import messaging, services
from trainings.links import registration_url
from trainings.models import Registration

from ..factories import PersonFactory
from ..helpers import count_queries
from .factories import consenting, make_training, seat

pytestmark = pytest.mark.django_db

LA = ZoneInfo("America/Los_Angeles")
STARTS = datetime(2026, 11, 26, 18, 0, tzinfo=LA)  # Thursday 18:00
DAY_BEFORE = STARTS - timedelta(hours=23)  # Wednesday 19:00: outside quiet hours
SIGNED_UP = STARTS - timedelta(days=3)


def seated(training, people):
    for person in people:
        seat(training, person, registered_at=SIGNED_UP)


def sweep(**kwargs):
    return services.reminders_send(now=DAY_BEFORE, **kwargs)


def day_before(person):
    return Message.objects.get(person=person, template="trainings_day_before")


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite takes at most 999 values per statement, so Django splits bulk inserts "
    "there (CI runs on PostgreSQL)",
)
def test_sweep_makes_as_many_statements_for_200_reminders_as_for_10(committee):
    def statements(count):
        training = make_training(committee, starts_at=STARTS, capacity=count)
        seated(
            training, [consenting(committee, language=("es", "en")[i % 2]) for i in range(count)]
        )
        with freeze_time(DAY_BEFORE):
            made = count_queries(lambda: sweep())
        assert (
            Message.objects.filter(person__training_registrations__training=training)
            .filter(template="trainings_day_before")
            .count()
            == count
        )
        return made

    few, many = statements(10), statements(200)
    assert many == few, f"{few} statements for 10 reminders but {many} for 200"


def test_each_person_gets_the_outbox_rules_and_the_reason_is_recorded(committee):
    training = make_training(committee, starts_at=STARTS, capacity=10)
    texted = consenting(committee, language="es")
    mailed = consenting(committee, language="en", channels=[Channel.EMAIL])
    no_consent = PersonFactory(committee=committee)
    opted_out = consenting(committee)
    bad_number = consenting(committee)
    no_address = consenting(committee, contact__phone="", contact__email="")
    for person, kind in ((opted_out, "opted_out"), (bad_number, "invalid")):
        NumberFlag.objects.create(
            committee=committee, phone_hash=person.phone_hash, kind=kind, source="keyword"
        )
    people = [texted, mailed, no_consent, opted_out, bad_number, no_address]
    seated(training, people)

    with freeze_time(DAY_BEFORE):
        assert sweep() == {"day_before": 6, "hour_before": 0}

    outcome = {
        person.pk: (m.channel, m.status, m.status_reason)
        for person in people
        for m in [day_before(person)]
    }
    assert outcome == {
        texted.pk: ("sms", Status.QUEUED, ""),
        mailed.pk: ("email", Status.QUEUED, ""),
        no_consent.pk: ("sms", Status.SKIPPED, "no consent"),
        opted_out.pk: ("sms", Status.SKIPPED, "opted out"),
        bad_number.pk: ("sms", Status.SKIPPED, "number cannot receive texts"),
        no_address.pk: ("email", Status.SKIPPED, "no email address"),
    }
    queued = day_before(texted)
    assert queued.expires_at == training.starts_at  # never delivered after the start
    assert queued.enqueued_at is not None and queued.not_before is None
    # Every claimed person is marked, sent or skipped: the next sweep writes nothing.
    with freeze_time(DAY_BEFORE + timedelta(minutes=5)):
        assert sweep() == {"day_before": 0, "hour_before": 0}
    assert Message.objects.filter(template="trainings_day_before").count() == 6


@pytest.mark.parametrize("channel", [Channel.SMS, Channel.EMAIL])
@pytest.mark.parametrize("language", ["es", "en"])
def test_bulk_text_is_the_text_each_person_would_get_alone(committee, channel, language):
    """The text is rendered once per training and language, with each person's link put
    in: it must be what rendering it for that person alone gives."""
    training = make_training(committee, starts_at=STARTS, capacity=10)
    people = [consenting(committee, language=language, channels=[channel]) for _ in range(3)]
    seated(training, people)
    with freeze_time(DAY_BEFORE):
        sweep()
    with freeze_time(STARTS - timedelta(minutes=40)):
        services.reminders_send()
    for person in people:
        registration = Registration.objects.select_related("training__committee").get(person=person)
        for template in ("trainings_day_before", "trainings_hour_before"):
            alone = render(
                template=template,
                channel=channel,
                language=language,
                context={
                    "committee": committee,
                    "person": person,
                    "training": registration.training,
                    "registration": registration,
                    "when": dates.format_when(training.starts_at, committee, language),
                    "start_time": dates.format_time(training.starts_at, committee, language),
                    "link": registration_url(registration),
                    "yes": "1",
                    "no": "2",
                },
            )
            message = Message.objects.get(person=person, template=template)
            assert (message.subject or "", message.body) == (alone.subject, alone.body)
            assert (message.encoding, message.segments) == (alone.encoding, alone.segments)
        assert registration_url(registration) in day_before(person).body


def test_day_before_opens_a_conversation_for_each_so_replies_work(committee):
    training = make_training(committee, starts_at=STARTS, capacity=10)
    people = [consenting(committee) for _ in range(3)]
    seated(training, people)
    with freeze_time(DAY_BEFORE):
        sweep()
    for person in people:
        message = day_before(person)
        registration = Registration.objects.get(person=person)
        assert message.conversation.kind == messaging.DAY_BEFORE_CONVERSATION
        assert message.conversation.object_id == registration.pk
        assert message.conversation.person_id == person.pk
        assert message.conversation.open_until == training.starts_at
    assert Conversation.objects.count() == 3


def test_reminder_in_quiet_hours_waits_for_them_to_end_but_not_past_the_start(committee):
    early = make_training(committee, starts_at=datetime(2026, 11, 26, 7, 0, tzinfo=LA))
    late = make_training(committee, starts_at=datetime(2026, 11, 26, 22, 30, tzinfo=LA))
    waits, too_late = consenting(committee), consenting(committee)
    seat(early, too_late, registered_at=SIGNED_UP)
    seat(late, waits, registered_at=SIGNED_UP)
    with freeze_time(datetime(2026, 11, 25, 23, 0, tzinfo=LA)):  # quiet hours until 08:00
        services.reminders_send()
    waiting = day_before(waits)
    assert waiting.status == Status.QUEUED
    assert waiting.not_before == datetime(2026, 11, 26, 8, 0, tzinfo=LA)
    assert waiting.enqueued_at is None  # the outbox sweep hands it over at 08:00
    assert (day_before(too_late).status, day_before(too_late).status_reason) == (
        Status.SKIPPED,
        "quiet hours outlast its validity",
    )


def test_limit_and_batches(committee):
    training = make_training(committee, starts_at=STARTS, capacity=10)
    people = [consenting(committee) for _ in range(7)]
    seated(training, people)
    with freeze_time(DAY_BEFORE):
        assert sweep(limit=5, batch_size=2) == {"day_before": 5, "hour_before": 0}
        assert sweep(limit=5, batch_size=2) == {"day_before": 2, "hour_before": 0}
        assert sweep(limit=5, batch_size=2) == {"day_before": 0, "hour_before": 0}
    assert Message.objects.filter(template="trainings_day_before").count() == 7


def test_a_sweep_that_dies_mid_way_loses_and_doubles_nothing(committee, monkeypatch):
    training = make_training(committee, starts_at=STARTS, capacity=10)
    people = [consenting(committee) for _ in range(5)]
    seated(training, people)
    real = messaging.message_queue_many
    batches = []

    def dies_on_the_second_batch(**kwargs):
        batches.append(1)
        if len(batches) == 2:
            raise SystemExit("worker killed")
        return real(**kwargs)

    monkeypatch.setattr(messaging, "message_queue_many", dies_on_the_second_batch)
    with freeze_time(DAY_BEFORE), pytest.raises(SystemExit):
        sweep(batch_size=2)
    # The first batch committed; the second rolled back with its claim.
    assert Message.objects.filter(template="trainings_day_before").count() == 2
    assert Registration.objects.filter(day_before_sent_at__isnull=False).count() == 2
    monkeypatch.setattr(messaging, "message_queue_many", real)
    with freeze_time(DAY_BEFORE + timedelta(minutes=5)):
        assert sweep(batch_size=2) == {"day_before": 3, "hour_before": 0}
    assert sorted(
        Message.objects.filter(template="trainings_day_before").values_list("person", flat=True)
    ) == sorted(p.pk for p in people)


def test_a_key_already_used_sends_nothing_more(committee):
    """Someone who gave up their seat after the reminder and took it again has the same
    registration and key: they are not reminded twice."""
    training = make_training(committee, starts_at=STARTS, capacity=10)
    person = consenting(committee)
    seated(training, [person])
    with freeze_time(DAY_BEFORE):
        sweep()
    Registration.objects.filter(person=person).update(day_before_sent_at=None)
    with freeze_time(DAY_BEFORE + timedelta(minutes=5)):
        assert sweep() == {"day_before": 1, "hour_before": 0}
    assert Message.objects.filter(person=person, template="trainings_day_before").count() == 1


def test_messages_are_handed_over_by_one_fan_out_task_on_commit(
    committee, django_capture_on_commit_callbacks
):
    training = make_training(committee, starts_at=STARTS, capacity=10)
    people = [consenting(committee) for _ in range(4)]
    seated(training, people)
    with freeze_time(DAY_BEFORE), django_capture_on_commit_callbacks(execute=True) as hooks:
        sweep()
    assert len(hooks) == 1  # one fan-out for the batch, not one task per message
    assert {day_before(p).status for p in people} == {Status.SENT}  # eager in tests
    assert sorted(sms.to for sms in locmem.outbox) == sorted(str(p.phone) for p in people)


def test_broker_down_at_commit_leaves_reminders_for_the_outbox_sweep(
    committee, django_capture_on_commit_callbacks, monkeypatch
):
    training = make_training(committee, starts_at=STARTS, capacity=10)
    people = [consenting(committee) for _ in range(3)]
    seated(training, people)

    def broker_down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    with monkeypatch.context() as patch:
        patch.setattr(outbox_tasks.deliver_many, "apply_async", broker_down)
        with freeze_time(DAY_BEFORE), django_capture_on_commit_callbacks(execute=True):
            assert sweep() == {"day_before": 3, "hour_before": 0}  # the sweep still commits
    messages = Message.objects.filter(template="trainings_day_before")
    assert [(m.status, m.enqueued_at) for m in messages] == [(Status.QUEUED, None)] * 3
    assert locmem.outbox == []
    with freeze_time(DAY_BEFORE + timedelta(minutes=1)):
        assert outbox.outbox_sweep() == 3
    assert {m.status for m in messages.all()} == {Status.SENT}
    assert len(locmem.outbox) == 3


def test_fan_out_that_meets_a_broker_down_leaves_the_rest_for_the_outbox_sweep(
    committee, monkeypatch
):
    training = make_training(committee, starts_at=STARTS, capacity=10)
    seated(training, [consenting(committee) for _ in range(3)])
    with freeze_time(DAY_BEFORE):
        sweep()
    ids = list(Message.objects.values_list("pk", flat=True))
    calls = []

    def fails_after_one(*args, **kwargs):
        calls.append(args)
        if len(calls) > 1:
            raise ConnectionError("Redis is down")

    monkeypatch.setattr(outbox_tasks.deliver, "apply_async", fails_after_one)
    assert outbox.messages_hand_over(message_ids=ids) == 1
    assert Message.objects.filter(enqueued_at__isnull=True).count() == 2


def test_consent_is_for_reminders(committee):
    training = make_training(committee, starts_at=STARTS, capacity=10)
    news_only = PersonFactory(committee=committee)
    consent_record(
        person=news_only,
        purpose=Purpose.NEWS,
        channel=Channel.SMS,
        granted=True,
        wording="ok",
        language="es",
        source=ConsentSource.WEB_FORM,
    )
    seated(training, [news_only])
    with freeze_time(DAY_BEFORE):
        sweep()
    assert day_before(news_only).status_reason == "no consent"


@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="the constant statements are PostgreSQL's (one INSERT … SELECT from arrays)",
)
def test_sweep_statements_do_not_grow_with_the_reminders_due_past_a_thousand(committee):
    """Statements for 1,010 due reminders (more than a batch used to take) over three
    trainings are those for 12, with every person's own text, link, reply numbers and
    number: the address is the person's own ciphertext, copied by the database."""
    from notifications.models import Conversation as Question

    from ..notifications.conftest import bulk_consenting_people

    def due(count, first):
        people = bulk_consenting_people(committee, count, first=first)
        trainings = [
            make_training(committee, starts_at=STARTS + timedelta(minutes=i), capacity=count)
            for i in range(3)
        ]
        Registration.objects.bulk_create(
            Registration(
                training=trainings[i % 3],
                person=person,
                status="registered",
                source="member",
                registered_at=SIGNED_UP,
            )
            for i, person in enumerate(people)
        )
        # Someone already has a numbered question open on 1 and 2: theirs is 3 and 4.
        Question.objects.create(
            committee=committee,
            person=people[1],
            kind=messaging.OFFER_CONVERSATION,
            object_id=0,
            open_until=STARTS,
            code_base=1,
        )
        return people

    def statements(people):
        with freeze_time(DAY_BEFORE):
            made = count_queries(lambda: sweep())
        messages = {
            m.person_id: m
            for m in Message.objects.filter(
                person__in=people, template="trainings_day_before"
            ).select_related("conversation")
        }
        assert len(messages) == len(people)
        for index in (0, 1, len(people) - 1):
            person, message = people[index], messages[people[index].pk]
            registration = Registration.objects.get(person=person)
            assert message.to_address == str(person.phone)  # decrypts to their number
            assert (message.status, message.language) == (Status.QUEUED, person.language)
            assert registration_url(registration) in message.body
            yes, no = message.conversation.codes
            assert (yes, no) == ((3, 4) if index == 1 else (1, 2))
            assert f"{yes}" in message.body and f"{no}" in message.body
        return made

    few = statements(due(12, first=0))
    many = statements(due(1_010, first=100))
    assert many == few, f"{few} statements for 12 reminders but {many} for 1,010"
