from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from django.core import mail
from django.db import transaction
from freezegun import freeze_time

from members.consent import Channel, ConsentSource, Purpose, consent_record
from notifications import services
from notifications.backends import locmem
from notifications.models import Message, Status, Urgency
from notifications.rendering import sms_encoding

from ..factories import PersonFactory


@pytest.fixture(autouse=True)
def _empty_outbox():
    locmem.outbox.clear()
    yield
    locmem.outbox.clear()


def consenting_person(committee, language="es", purposes=(Purpose.REMINDERS,), **kwargs):
    person = PersonFactory(committee=committee, language=language, **kwargs)
    for purpose in purposes:
        for channel in (Channel.SMS, Channel.EMAIL):
            consent_record(
                person=person,
                purpose=purpose,
                channel=channel,
                granted=True,
                wording="ok",
                language=language,
                source=ConsentSource.WEB_FORM,
            )
    return person


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
def test_sweep_picks_up_messages_whose_task_never_ran(committee):
    person = consenting_person(committee)
    message = queue(person)  # commit callbacks discarded: as if Redis were down
    assert services.outbox_sweep() == 0  # too fresh: its task may still be on the way
    with freeze_time("2026-11-23 18:05:00"):
        assert services.outbox_sweep() == 1
    message.refresh_from_db()
    assert message.status == Status.SENT  # eager in tests: the sweep's task ran
    assert len(locmem.outbox) == 1


def test_sms_encoding_and_segments():
    assert sms_encoding("Hola, ¿vienes mañana?").encoding == "GSM-7"
    assert sms_encoding("a" * 160).segments == 1
    assert sms_encoding("a" * 161).segments == 2
    assert sms_encoding("Atención: reunión").encoding == "UCS-2"  # ó is not GSM-7
    assert sms_encoding("ó" * 70).segments == 1
    assert sms_encoding("ó" * 71).segments == 2
    assert sms_encoding("{}" * 80).segments == 3  # 320 septets: extension characters count twice
