"""Status callbacks move a message only forward; the sweep settles sends whose answer was
lost, wherever the worker died, so that each message reaches Twilio once."""

from datetime import timedelta

import pytest
from django.db import transaction
from django.test import Client
from django.utils import timezone

from members.consent import Purpose
from notifications import services
from notifications.models import Message, NumberFlag, Status

from .conftest import consenting_person, signed_post


@pytest.fixture
def ana(open_committee):
    return consenting_person(open_committee, language="en")


def sent_message(person, key="m1"):
    with transaction.atomic():
        message = services.message_queue(
            person=person, purpose=Purpose.REMINDERS, template="check", idempotency_key=key
        )
    services.message_deliver(message_id=message.pk)
    message.refresh_from_db()
    return message


def callback(message, status, *, sid=None, error_code=None, with_id=True):
    params = {"MessageSid": sid or message.provider_id, "MessageStatus": status}
    if error_code:
        params["ErrorCode"] = error_code
    path = f"/sms/status/?message={message.pk}" if with_id else "/sms/status/"
    response = signed_post(Client(), path, params)
    assert response.status_code == 200
    message.refresh_from_db()
    return message.status


def test_callbacks_out_of_order_or_twice_never_move_a_message_back(ana, fake_twilio):
    message = sent_message(ana)
    assert callback(message, "delivered") == Status.DELIVERED
    assert callback(message, "sent") == Status.DELIVERED  # late
    assert callback(message, "queued", with_id=False) == Status.DELIVERED
    assert callback(message, "delivered") == Status.DELIVERED  # twice
    assert callback(message, "failed", error_code="30003") == Status.DELIVERED  # final is final
    assert message.final_at is not None


def test_undelivered_is_final_with_the_carrier_reason(ana, fake_twilio):
    message = sent_message(ana)
    assert callback(message, "sent") == Status.SENT
    assert callback(message, "undelivered", error_code="30003") == Status.UNDELIVERED
    assert message.error_code == "30003"
    assert callback(message, "delivered") == Status.UNDELIVERED


def test_landline_reported_by_callback_flags_the_number(ana, fake_twilio):
    message = sent_message(ana)
    assert callback(message, "failed", error_code="30006") == Status.FAILED
    flag = NumberFlag.objects.get(phone_hash=ana.phone_hash)
    assert (flag.kind, flag.active) == (NumberFlag.Kind.INVALID, True)


def test_callback_for_a_message_we_do_not_know_changes_nothing(ana, fake_twilio):
    message = sent_message(ana)
    response = signed_post(
        Client(), "/sms/status/", {"MessageSid": "SMunknown", "MessageStatus": "failed"}
    )
    assert response.status_code == 200
    message.refresh_from_db()
    assert message.status == Status.SENT


def test_callback_with_another_messages_sid_is_ignored(ana, fake_twilio):
    first, second = sent_message(ana, "a"), sent_message(ana, "b")
    callback(second, "failed", sid=first.provider_id)
    assert second.status == Status.SENT and second.provider_id != first.provider_id


def test_callback_that_outruns_the_workers_own_save_keeps_both(ana, fake_twilio):
    """Twilio can call back before the worker records its answer; neither loses."""
    with transaction.atomic():
        message = services.message_queue(
            person=ana, purpose=Purpose.REMINDERS, template="check", idempotency_key="race"
        )
    from notifications.services import delivery

    original = delivery.record_accepted

    def callback_first(row, provider_id):
        signed_post(
            Client(),
            f"/sms/status/?message={row.pk}",
            {"MessageSid": provider_id, "MessageStatus": "delivered"},
        )
        original(row, provider_id)

    delivery.record_accepted = callback_first
    try:
        services.message_deliver(message_id=message.pk)
    finally:
        delivery.record_accepted = original
    message.refresh_from_db()
    assert message.status == Status.DELIVERED
    assert message.provider_id == fake_twilio.messages_to(str(ana.phone))[0].sid


# --- A worker killed mid-send ------------------------------------------------------------


def claimed_by_a_worker_that_died(person, key, claimed_ago=timedelta(minutes=10)):
    """The state a SIGKILLed worker leaves: the row claimed (sending), no answer saved."""
    with transaction.atomic():
        message = services.message_queue(
            person=person, purpose=Purpose.REMINDERS, template="check", idempotency_key=key
        )
    Message.objects.filter(pk=message.pk).update(
        status=Status.SENDING,
        claimed_at=timezone.now() - claimed_ago,
        attempts=1,
        enqueued_at=timezone.now() - claimed_ago,
    )
    message.refresh_from_db()
    return message


def test_killed_before_the_request_left_is_sent_once_by_the_sweep(ana, fake_twilio):
    message = claimed_by_a_worker_that_died(ana, "before")
    services.outbox_sweep()
    message.refresh_from_db()
    assert message.status == Status.SENT  # not at Twilio, so queued again and sent
    assert fake_twilio.accepted_to(str(ana.phone)) == 1


def test_killed_after_twilio_accepted_is_recorded_not_resent(ana, fake_twilio):
    message = claimed_by_a_worker_that_died(ana, "after", claimed_ago=timedelta(minutes=4))
    # The request reached Twilio (made here by the real client), the answer was lost.
    from notifications.backends import get_sms_backend
    from notifications.backends.base import Sms

    accepted = get_sms_backend().send(
        Sms(message_id=message.pk, to=message.to_address, body=message.body)
    )
    services.outbox_sweep()
    message.refresh_from_db()
    assert (message.status, message.provider_id) == (Status.SENT, accepted.provider_id)
    assert fake_twilio.accepted_to(str(ana.phone)) == 1


def test_a_worker_still_sending_is_left_alone(ana, fake_twilio):
    message = claimed_by_a_worker_that_died(ana, "alive", claimed_ago=timedelta(seconds=20))
    services.outbox_sweep()
    message.refresh_from_db()
    assert message.status == Status.SENDING
    assert fake_twilio.attempts_to(str(ana.phone)) == 0
    assert not [r for r in fake_twilio.requests if r[0] == "GET"]  # not even looked up


def test_a_message_already_matched_to_another_row_is_not_taken(ana, fake_twilio):
    """Same text to the same number twice: each Twilio message settles one row only."""
    first = sent_message(ana, "same-1")  # at Twilio, recorded
    lost = claimed_by_a_worker_that_died(ana, "same-2")
    assert lost.body == first.body
    services.outbox_sweep()
    lost.refresh_from_db()
    assert lost.provider_id != first.provider_id
    assert fake_twilio.accepted_to(str(ana.phone)) == 2


def test_lookup_failure_leaves_the_message_for_the_next_sweep(ana, fake_twilio):
    message = claimed_by_a_worker_that_died(ana, "twilio-down")
    fake_twilio.stop()
    services.outbox_sweep()
    message.refresh_from_db()
    assert message.status == Status.SENDING


def test_urgent_alert_found_unsent_after_its_validity_is_dropped(open_committee, fake_twilio):
    person = consenting_person(open_committee, purposes=[Purpose.RAID_ALERTS])
    with transaction.atomic():
        alert = services.message_queue(
            person=person,
            purpose=Purpose.RAID_ALERTS,
            template="check",
            idempotency_key="alert",
            urgency="urgent",
        )
    Message.objects.filter(pk=alert.pk).update(
        status=Status.SENDING,
        claimed_at=timezone.now() - timedelta(minutes=20),
        expires_at=timezone.now() - timedelta(minutes=5),
    )
    services.outbox_sweep()
    alert.refresh_from_db()
    assert alert.status == Status.EXPIRED
    assert fake_twilio.attempts_to(str(person.phone)) == 0
