"""What each Twilio answer leads to (must show 5). The real `twilio` client talks to the
fake Twilio over HTTP; nothing else is mocked."""

import pytest
from django.db import transaction
from django.utils import timezone

from members.consent import Channel, Purpose, may_contact
from notifications import services, tasks
from notifications.models import Message, NumberFlag, Status, Urgency

from .conftest import consenting_person


@pytest.fixture
def ana(open_committee):
    return consenting_person(open_committee, language="en", purposes=list(Purpose))


@pytest.fixture
def countdowns(monkeypatch):
    """The delays the outbox asks Celery for (tasks still run in-process)."""
    seen = []
    original = tasks.deliver.apply_async

    def spy(*args, **kwargs):
        seen.append(kwargs.get("countdown"))
        return original(*args, **kwargs)

    monkeypatch.setattr(tasks.deliver, "apply_async", spy)
    return seen


def queue(person, key, **kwargs):
    fields = {"purpose": Purpose.REMINDERS, "template": "check", "idempotency_key": key}
    fields.update(kwargs)
    with transaction.atomic():
        return services.message_queue(person=person, **fields)


def let_time_pass(message):
    """The retry's countdown elapses (the task Celery holds would now run)."""
    Message.objects.filter(pk=message.pk).update(not_before=timezone.now())


def test_429_is_retried_with_growing_delays_then_sent(ana, fake_twilio, countdowns):
    phone = str(ana.phone)
    fake_twilio.fail("429", to=phone, times=3)
    message = queue(ana, "rate")
    results = [services.message_deliver(message_id=message.pk)]
    for _ in range(3):
        let_time_pass(message)
        results.append(services.message_deliver(message_id=message.pk))
    assert results == [Status.QUEUED, Status.QUEUED, Status.QUEUED, Status.SENT]
    delays = [c for c in countdowns if c]
    assert len(delays) == 3
    assert delays[0] < delays[1] < delays[2]  # exponential, jittered within [c/2, c]
    assert delays[2] <= 8.0
    message.refresh_from_db()
    assert message.status == Status.SENT and message.attempts == 4
    assert fake_twilio.attempts_to(phone) == 4
    assert fake_twilio.accepted_to(phone) == 1
    assert message.provider_id == fake_twilio.messages_to(phone)[0].sid


@pytest.mark.parametrize("fault", ["500", "503"])
def test_server_errors_before_acceptance_are_retried(fault, ana, fake_twilio):
    fake_twilio.fail(fault, to=str(ana.phone))
    message = queue(ana, f"server-{fault}")
    assert services.message_deliver(message_id=message.pk) == Status.QUEUED
    message.refresh_from_db()
    assert message.error_code == f"20{fault}"
    let_time_pass(message)
    assert services.message_deliver(message_id=message.pk) == Status.SENT
    assert fake_twilio.accepted_to(str(ana.phone)) == 1


def test_retries_give_up_after_the_last_attempt(ana, fake_twilio, settings):
    settings.NOTIFICATIONS_MAX_ATTEMPTS = 3
    fake_twilio.fail("503", to=str(ana.phone), times=10)
    message = queue(ana, "give-up")
    for _ in range(3):
        services.message_deliver(message_id=message.pk)
        let_time_pass(message)
    message.refresh_from_db()
    assert message.status == Status.FAILED
    assert message.status_reason == "gave up after retries"
    assert fake_twilio.attempts_to(str(ana.phone)) == 3


def test_21610_makes_one_call_and_opts_the_person_out(ana, fake_twilio, countdowns):
    phone = str(ana.phone)
    fake_twilio.fail("21610", to=phone)
    message = queue(ana, "unsubscribed")
    assert services.message_deliver(message_id=message.pk) == Status.FAILED
    message.refresh_from_db()
    assert message.error_code == "21610"
    assert message.status_reason == "recipient opted out at the carrier"
    assert [c for c in countdowns if c] == []  # never retried
    flag = NumberFlag.objects.get(phone_hash=ana.phone_hash, kind=NumberFlag.Kind.OPTED_OUT)
    assert flag.active and flag.source == NumberFlag.Source.PROVIDER
    assert not may_contact(person=ana, purpose=Purpose.REMINDERS, channel=Channel.SMS)
    # Later texts are not even tried; left to the outbox, a message goes by email instead.
    assert queue(ana, "after", channel=Channel.SMS).status == Status.SKIPPED
    assert queue(ana, "any").channel == Channel.EMAIL
    assert fake_twilio.attempts_to(phone) == 1


@pytest.mark.parametrize("code", ["21211", "21614"])
def test_bad_number_fails_without_retry_and_is_flagged(code, ana, fake_twilio, countdowns):
    phone = str(ana.phone)
    fake_twilio.fail(code, to=phone)
    message = queue(ana, f"bad-{code}")
    assert services.message_deliver(message_id=message.pk) == Status.FAILED
    message.refresh_from_db()
    assert (message.status, message.error_code, message.attempts) == (Status.FAILED, code, 1)
    assert message.final_at is not None
    assert [c for c in countdowns if c] == []
    assert NumberFlag.objects.get(phone_hash=ana.phone_hash, kind=NumberFlag.Kind.INVALID).active
    assert services.message_deliver(message_id=message.pk) == "not-claimed"
    later = queue(ana, f"later-{code}")
    assert (later.status, later.status_reason) == (Status.SKIPPED, "number cannot receive texts")
    assert fake_twilio.attempts_to(phone) == 1


def test_connection_refused_is_retried_not_unknown(ana, fake_twilio, settings):
    fake_twilio.stop()  # nothing listens on that port any more
    message = queue(ana, "refused")
    assert services.message_deliver(message_id=message.pk) == Status.QUEUED
    message.refresh_from_db()
    assert message.error_code == "unreachable"


def test_timeout_is_unknown_then_settled_by_the_status_callback_without_a_second_send(
    ana, fake_twilio, live_server, settings, transactional_db
):
    settings.PUBLIC_BASE_URL = live_server.url  # where the fake sends its callback
    phone = str(ana.phone)
    fake_twilio.fail("timeout", to=phone)  # Twilio takes it but answers too late
    message = queue(ana, "slow")  # committed: its task runs (in-process) at once
    message.refresh_from_db()
    assert message.status == Status.UNKNOWN
    assert message.provider_id is None and message.status_reason == "no answer from the provider"

    [at_twilio] = fake_twilio.messages_to(phone)
    assert at_twilio.status_callback.endswith(f"/sms/status/?message={message.pk}")
    assert fake_twilio.send_status_callback(at_twilio, "delivered") == 200
    message.refresh_from_db()
    assert (message.status, message.provider_id) == (Status.DELIVERED, at_twilio.sid)

    # Neither a redelivered task nor the sweep sends it again.
    assert services.message_deliver(message_id=message.pk) == "not-claimed"
    later = timezone.now() + timezone.timedelta(hours=1)
    services.outbox_sweep(now=later)
    assert fake_twilio.attempts_to(phone) == 1


def test_timeout_without_a_callback_is_settled_by_looking_it_up(ana, fake_twilio):
    phone = str(ana.phone)
    fake_twilio.fail("timeout", to=phone)
    message = queue(ana, "slow-no-callback")
    assert services.message_deliver(message_id=message.pk) == Status.UNKNOWN
    services.outbox_sweep(now=timezone.now())  # too early: the callback may still come
    message.refresh_from_db()
    assert message.status == Status.UNKNOWN
    services.outbox_sweep(now=timezone.now() + timezone.timedelta(minutes=5))
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert message.provider_id == fake_twilio.messages_to(phone)[0].sid
    assert fake_twilio.attempts_to(phone) == 1


def test_dropped_connection_after_acceptance_is_not_resent(ana, fake_twilio):
    phone = str(ana.phone)
    fake_twilio.fail("drop", to=phone)
    message = queue(ana, "dropped")
    assert services.message_deliver(message_id=message.pk) == Status.UNKNOWN
    services.outbox_sweep(now=timezone.now() + timezone.timedelta(minutes=5))
    message.refresh_from_db()
    assert message.status == Status.SENT
    assert fake_twilio.accepted_to(phone) == 1


def test_what_twilio_receives(ana, fake_twilio, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        alert = queue(
            ana, "alert", purpose=Purpose.RAID_ALERTS, urgency=Urgency.URGENT, template="check"
        )
        reminder = queue(ana, "reminder")
    first, second = fake_twilio.messages_to(str(ana.phone))
    assert first.messaging_service_sid == "MG" + "0" * 32
    assert first.from_ == "+12135550100"  # the committee's number, so replies come back
    assert 880 <= int(first.validity_period) <= 900  # urgent: a short validity
    assert second.validity_period == ""  # others: Twilio's default
    assert first.status_callback == (f"https://defensa.example.org/sms/status/?message={alert.pk}")
    assert second.status_callback.endswith(f"?message={reminder.pk}")


def test_wrong_credentials_are_retried_not_failed(ana, fake_twilio, settings):
    """A misconfigured token fails every message at once; retrying lets a fix rescue them."""
    from notifications.backends import twilio as backend

    settings.TWILIO_AUTH_TOKEN = "wrong"
    backend._client.cache_clear()
    message = queue(ana, "auth")
    assert services.message_deliver(message_id=message.pk) == Status.QUEUED
    message.refresh_from_db()
    assert message.error_code == "20003"
