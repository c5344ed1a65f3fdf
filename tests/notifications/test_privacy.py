"""No personal data in task arguments or logs (must show 7).

A full cycle runs through the real pipeline (Twilio client against the fake): a
reminder, an alert, an email, a group message, a retried 429, a timeout settled by the
sweep, an inbound reply, an opt-out and its confirmation, a status callback. Every
task handed to Celery is spied on, and every log record is searched for the phone
numbers, addresses and texts involved.
"""

import logging
import re

import pytest
from celery.app.task import Task
from django.db import transaction
from django.test import Client
from django.utils import timezone

from committees.access import load_viewer
from committees.roles import Role
from lib.redaction import RedactPersonalData, redact
from members.consent import Channel, Purpose
from notifications import services
from notifications.models import Broadcast, Message, Urgency

from ..factories import make_member
from .conftest import consenting_person, inbound_params, signed_post

SECRET_TEXT = "Reunión en la casa de Rosa, calle Olvera 12"
REPLY_TEXT = "Mi hermano fue detenido hoy en la mañana"


@pytest.fixture
def enqueued(monkeypatch):
    """Every task handed to Celery: (task name, args, kwargs). Tasks still run."""
    calls = []
    original = Task.apply_async

    def spy(self, args=None, kwargs=None, **options):
        calls.append((self.name, tuple(args or ()), dict(kwargs or {})))
        return original(self, args=args, kwargs=kwargs, **options)

    monkeypatch.setattr(Task, "apply_async", spy)
    return calls


def full_cycle(committee, fake_twilio, capture):
    coordinator = make_member(committee, roles=[Role.COORDINATOR], name="Ana")
    rosa = consenting_person(committee, language="es", purposes=list(Purpose))
    tomas = consenting_person(committee, language="en", purposes=list(Purpose))
    fake_twilio.fail("429", to=str(tomas.phone))
    fake_twilio.fail("timeout", to=str(rosa.phone))
    with capture(execute=True), transaction.atomic():
        for person in (rosa, tomas):
            services.message_queue(
                person=person,
                purpose=Purpose.REMINDERS,
                template="check",
                idempotency_key=f"reminder:{person.pk}",
            )
            services.message_queue(
                person=person,
                purpose=Purpose.RAID_ALERTS,
                template="check",
                idempotency_key=f"alert:{person.pk}",
                urgency=Urgency.URGENT,
            )
            services.message_queue(
                person=person,
                purpose=Purpose.NEWS,
                template="check",
                idempotency_key=f"email:{person.pk}",
                channel=Channel.EMAIL,
            )
    broadcast = Broadcast.objects.create(
        committee=committee,
        created_by=coordinator,
        purpose=Purpose.NEWS,
        text_en=SECRET_TEXT,
        text_es=SECRET_TEXT,
        recipient_filter={"status": ""},
    )
    with capture(execute=True):
        services.broadcast_send(actor=load_viewer(coordinator.person.user), broadcast=broadcast)
    # The 429 retry comes due, the timeout is settled by looking it up.
    Message.objects.filter(status="queued").update(not_before=None)
    services.outbox_sweep(now=timezone.now() + timezone.timedelta(minutes=15))
    for message in Message.objects.filter(status="queued"):
        services.message_deliver(message_id=message.pk)
    # Replies: a question for a coordinator, an opt-out, a status callback.
    with capture(execute=True):
        for person, body in ((rosa, REPLY_TEXT), (tomas, "STOP")):
            signed_post(
                Client(), "/sms/inbound/", inbound_params(from_number=str(person.phone), body=body)
            )
    sent = Message.objects.exclude(provider_id=None).first()
    signed_post(
        Client(),
        f"/sms/status/?message={sent.pk}",
        {"MessageSid": sent.provider_id, "MessageStatus": "delivered"},
    )
    return [rosa, tomas]


def personal_data(people):
    markers = [SECRET_TEXT, REPLY_TEXT, "mensaje de prueba", "test message"]
    for person in people:
        phone = str(person.phone)
        markers += [phone, phone[2:], phone[-7:], person.email]
    return markers


def test_tasks_carry_only_ids(
    open_committee, fake_twilio, enqueued, django_capture_on_commit_callbacks
):
    full_cycle(open_committee, fake_twilio, django_capture_on_commit_callbacks)
    names = {name for name, _args, _kwargs in enqueued}
    assert {"notifications.tasks.deliver", "notifications.tasks.broadcast_fan_out"} <= names
    for name, args, kwargs in enqueued:
        assert kwargs == {}, name
        assert args and all(type(arg) is int for arg in args), (name, args)


def test_logs_hold_no_phone_numbers_addresses_or_texts(
    open_committee, fake_twilio, caplog, django_capture_on_commit_callbacks
):
    caplog.set_level(logging.DEBUG)
    people = full_cycle(open_committee, fake_twilio, django_capture_on_commit_callbacks)
    assert len(caplog.records) > 10  # the cycle did log: ids and statuses
    logged = "\n".join(
        f"{record.name} {record.getMessage()} {record.exc_text or ''}" for record in caplog.records
    )
    for marker in personal_data(people):
        assert marker not in logged, f"{marker!r} was logged"
    assert not re.search(r"\+1\d{10}", logged)


def test_the_log_filter_masks_what_slips_through():
    record = logging.LogRecord(
        "x", logging.INFO, __file__, 1, "texted %s at ana@example.org", ("+1 213 555 0123",), None
    )
    RedactPersonalData().filter(record)
    assert record.getMessage() == "texted [phone] at [email]"
    assert redact("call (213) 555-0123 or +12135550123") == "call [phone] or [phone]"
    assert redact("task succeeded in 0.0063489s: message 1234") == (
        "task succeeded in 0.0063489s: message 1234"
    )
    assert redact("GET /Messages.json?To=%2B12135550123&PageSize=50") == (
        "GET /Messages.json?To=[phone]&PageSize=50"
    )
