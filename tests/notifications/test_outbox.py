from datetime import datetime
from zoneinfo import ZoneInfo

from django.core import mail
from django.db import transaction
from freezegun import freeze_time

from members.consent import Channel, ConsentSource, Purpose, consent_record
from notifications import services, tasks
from notifications.backends import locmem
from notifications.models import Message, Status, Urgency
from notifications.rendering import sms_encoding

from ..factories import PersonFactory
from .conftest import consenting_person


def queue(person, key="k1", **kwargs):
    defaults = {"purpose": Purpose.REMINDERS, "template": "check", "urgency": Urgency.NORMAL}
    defaults.update(kwargs)
    with transaction.atomic():
        return services.message_queue(person=person, idempotency_key=key, **defaults)


@freeze_time("2026-11-23 18:00:00")  # 10:00 in Los Angeles: outside quiet hours
def test_queued_sms_is_sent_once_in_the_persons_language(
    committee, django_capture_on_commit_callbacks
):
    person = consenting_person(committee, language="es")
    with django_capture_on_commit_callbacks(execute=True):
        message = queue(person)
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert len(locmem.outbox) == 1
    assert locmem.outbox[0].to == str(person.phone)
    assert "mensaje de prueba" in locmem.outbox[0].body
    assert committee.name in locmem.outbox[0].body
    # Delivering again (a retried task) sends nothing more.
    assert services.message_deliver(message_id=message.pk) == "not-claimed"
    assert len(locmem.outbox) == 1


@freeze_time("2026-11-23 18:00:00")
def test_same_idempotency_key_queues_one_message(committee, django_capture_on_commit_callbacks):
    person = consenting_person(committee)
    with django_capture_on_commit_callbacks(execute=True):
        first = queue(person, key="same")
        second = queue(person, key="same")
    assert first.pk == second.pk
    assert Message.objects.count() == 1
    assert len(locmem.outbox) == 1


def test_no_consent_is_skipped_with_the_reason(committee, django_capture_on_commit_callbacks):
    person = PersonFactory(committee=committee)
    with django_capture_on_commit_callbacks(execute=True):
        message = queue(person)
    assert message.status == Status.SKIPPED
    assert message.status_reason == "no consent"
    assert locmem.outbox == []


@freeze_time("2026-11-23 18:00:00")
def test_consent_withdrawn_after_queueing_is_checked_at_send_time(committee):
    person = consenting_person(committee)
    message = queue(person)  # no on-commit execution: the task has not run yet
    consent_record(
        person=person,
        purpose=Purpose.REMINDERS,
        channel=Channel.SMS,
        granted=False,
        wording="stop",
        language="es",
        source=ConsentSource.PROFILE,
    )
    assert services.message_deliver(message_id=message.pk) == Status.SKIPPED
    assert locmem.outbox == []


@freeze_time("2026-11-23 18:00:00")
def test_email_goes_through_the_same_outbox(committee, django_capture_on_commit_callbacks):
    person = consenting_person(committee, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        message = queue(person, channel=Channel.EMAIL)
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert len(mail.outbox) == 1
    assert mail.outbox[0].to == [person.email]
    assert "test message" in mail.outbox[0].subject


def test_reminder_in_quiet_hours_is_deferred_not_dropped(committee):
    person = consenting_person(committee)
    # 23:30 in Los Angeles.
    with freeze_time(datetime(2026, 11, 23, 23, 30, tzinfo=ZoneInfo("America/Los_Angeles"))):
        message = queue(person)
        assert services.message_deliver(message_id=message.pk) == "not-claimed"
    message.refresh_from_db()
    assert message.status == Status.QUEUED
    assert message.not_before == datetime(
        2026, 11, 24, 8, 0, tzinfo=ZoneInfo("America/Los_Angeles")
    )
    with freeze_time(datetime(2026, 11, 24, 8, 1, tzinfo=ZoneInfo("America/Los_Angeles"))):
        assert services.message_deliver(message_id=message.pk) == Status.SENT


def test_urgent_alert_ignores_quiet_hours_but_expires(committee):
    person = consenting_person(committee, purposes=(Purpose.RAID_ALERTS,))
    with freeze_time(datetime(2026, 11, 23, 23, 30, tzinfo=ZoneInfo("America/Los_Angeles"))):
        message = queue(person, purpose=Purpose.RAID_ALERTS, urgency=Urgency.URGENT)
    assert message.not_before is None
    with freeze_time(datetime(2026, 11, 24, 1, 0, tzinfo=ZoneInfo("America/Los_Angeles"))):
        assert services.message_deliver(message_id=message.pk) == Status.EXPIRED
    assert locmem.outbox == []


@freeze_time("2026-11-23 18:00:00")
def test_sweep_hands_over_messages_queued_while_the_broker_was_down(
    committee, django_capture_on_commit_callbacks, monkeypatch
):
    person = consenting_person(committee)

    def broker_down(*args, **kwargs):
        raise ConnectionError("Redis is down")

    with monkeypatch.context() as patch:
        patch.setattr(tasks.deliver, "apply_async", broker_down)
        with django_capture_on_commit_callbacks(execute=True):
            message = queue(person)  # the caller's transaction still commits
    message.refresh_from_db()
    assert message.status == Status.QUEUED
    assert message.enqueued_at is None  # the sweep knows no task is on its way
    assert services.outbox_sweep() == 0  # too fresh: leave it to its own commit hook
    with freeze_time("2026-11-23 18:01:00"):
        assert services.outbox_sweep() == 1
    message.refresh_from_db()
    assert message.status == Status.SENT  # eager in tests: the sweep's task ran
    assert len(locmem.outbox) == 1


@freeze_time("2026-11-23 18:00:00")
def test_sweep_hands_over_again_a_task_lost_with_its_worker(committee, settings):
    person = consenting_person(committee)
    message = queue(person)  # handed over (optimistically) but its task never ran
    assert message.enqueued_at is not None
    with freeze_time("2026-11-23 18:05:00"):
        assert services.outbox_sweep() == 0  # it may still be waiting in a long queue
    with freeze_time("2026-11-23 18:11:00"):
        assert services.outbox_sweep() == 1
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert len(locmem.outbox) == 1


def test_sms_body_is_plain_text_not_html_escaped(committee, django_capture_on_commit_callbacks):
    committee.name = "Familias & Vecinos <Este>"
    committee.quiet_hours_start = committee.quiet_hours_end = "00:00"
    committee.save()
    person = consenting_person(committee, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        queue(person)
    assert locmem.outbox[0].body.startswith("Familias & Vecinos <Este>:")


def test_reminder_whose_validity_ends_before_quiet_hours_do_is_skipped(committee):
    person = consenting_person(committee)
    night = datetime(2026, 11, 23, 23, 30, tzinfo=ZoneInfo("America/Los_Angeles"))
    with freeze_time(night):
        message = queue(person, valid_until=night.replace(hour=23, minute=59))
    assert message.status == Status.SKIPPED
    assert message.status_reason == "quiet hours outlast its validity"
    assert locmem.outbox == []


def test_sms_encoding_and_segments():
    assert sms_encoding("Hola, ¿vienes mañana?").encoding == "GSM-7"
    assert sms_encoding("a" * 160).segments == 1
    assert sms_encoding("a" * 161).segments == 2
    assert sms_encoding("Atención: reunión").encoding == "UCS-2"  # ó is not GSM-7
    assert sms_encoding("ó" * 70).segments == 1
    assert sms_encoding("ó" * 71).segments == 2
    assert sms_encoding("{}" * 80).segments == 3  # 320 septets: extension characters count twice


def test_deleting_a_person_deletes_their_messages_replies_and_conversations(committee):
    from datetime import timedelta

    from notifications.models import Conversation, InboundMessage

    committee.sms_number = "+12135550100"
    committee.save()
    # No consent rows: members.Consent protects its events from deletion (the people
    # part's erasure deals with those).
    person = PersonFactory(committee=committee)
    queue(person, key="erase")
    services.conversation_open(person=person, kind="x", object_id=1, open_for=timedelta(1))
    services.inbound_receive(
        provider_id="SMerase", from_number=str(person.phone), to_number="+12135550100", body="hola"
    )
    person.delete()
    assert not Message.objects.exists()
    assert not InboundMessage.objects.exists()
    assert not Conversation.objects.exists()
