"""The outbox: the only way any part of the app sends an SMS or an email.

Other apps call `message_queue()` inside their own transaction. The message row is
written with the change that caused it; a Celery task that takes only the row id is
enqueued when that transaction commits. If Redis is down at that moment the row waits
in the database and `outbox_sweep` enqueues it later: nothing is lost. Delivery claims
the row with a conditional update first, so two workers (or a retried task) never
send the same message twice.
"""

from __future__ import annotations

import logging
import random
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import IntegrityError, transaction
from django.db.models import F, Q
from django.utils import timezone

from members.consent import Channel, may_contact

from .backends import get_sms_backend
from .backends.base import Outcome, Sms
from .models import Conversation, Message, Status, Urgency
from .rendering import render

logger = logging.getLogger(__name__)

QUEUES = {Urgency.URGENT: "urgent", Urgency.NORMAL: "default", Urgency.BULK: "bulk"}
URGENT_VALIDITY = timedelta(seconds=getattr(settings, "NOTIFICATIONS_URGENT_VALIDITY", 15 * 60))
MAX_ATTEMPTS = 8


# --- Queueing -------------------------------------------------------------------------


def message_queue(
    *,
    person,
    purpose: str,
    template: str,
    idempotency_key: str,
    context: dict | None = None,
    urgency: str = Urgency.NORMAL,
    channel: str | None = None,
    conversation: Conversation | None = None,
) -> Message:
    """Write one outbox row for `person` and enqueue its delivery when the caller commits.

    Must run inside the caller's transaction. Renders `template` in the person's
    language. Without consent for `purpose` on the channel (or without an address) the
    row is written as *skipped*, with the reason, and nothing is sent. Calling it again
    with the same `idempotency_key` returns the existing row and sends nothing more.
    """
    existing = Message.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    channel = channel or (Channel.SMS if person.phone else Channel.EMAIL)
    committee = person.committee
    rendered = render(
        template=template,
        channel=channel,
        language=person.language,
        context={"committee": committee, "person": person, **(context or {})},
    )
    address = str(person.phone or "") if channel == Channel.SMS else (person.email or "")
    now = timezone.now()
    message = Message(
        committee=committee,
        person=person,
        channel=channel,
        purpose=purpose,
        template=template,
        language=person.language,
        urgency=urgency,
        to_address=address,
        subject=rendered.subject,
        body=rendered.body,
        encoding=rendered.encoding,
        segments=rendered.segments,
        idempotency_key=idempotency_key,
        conversation=conversation,
        created_at=now,
    )
    reason = _skip_reason(message)
    if reason:
        message.status, message.status_reason, message.final_at = Status.SKIPPED, reason, now
    else:
        if urgency == Urgency.URGENT:
            message.expires_at = now + URGENT_VALIDITY
        elif channel == Channel.SMS:
            message.not_before = quiet_hours_end(committee, now)
    try:
        with transaction.atomic():
            message.save()
    except IntegrityError:
        # A concurrent caller queued the same key first.
        return Message.objects.get(idempotency_key=idempotency_key)
    if message.status == Status.QUEUED:
        transaction.on_commit(lambda: enqueue(message))
    return message


def _skip_reason(message: Message) -> str:
    if not message.to_address:
        return "no phone number" if message.channel == Channel.SMS else "no email address"
    if message.person is not None and not may_contact(
        person=message.person, purpose=message.purpose, channel=message.channel
    ):
        return "no consent"
    return ""


def quiet_hours_end(committee, now: datetime) -> datetime | None:
    """When the committee's quiet hours end, if `now` falls inside them (else None)."""
    local = now.astimezone(ZoneInfo(committee.timezone))
    start, end = _as_time(committee.quiet_hours_start), _as_time(committee.quiet_hours_end)
    clock = local.time()
    if start == end:
        return None
    inside = (start <= clock or clock < end) if start > end else (start <= clock < end)
    if not inside:
        return None
    day = local.date() if clock < end else local.date() + timedelta(days=1)
    return datetime.combine(day, end, tzinfo=local.tzinfo).astimezone(ZoneInfo("UTC"))


def _as_time(value) -> time:
    return value if isinstance(value, time) else time.fromisoformat(str(value))


def enqueue(message: Message) -> None:
    """Hand the row id to Celery. If the broker is unreachable, the sweep retries later."""
    from .tasks import deliver

    countdown = None
    if message.not_before and message.not_before > timezone.now():
        countdown = (message.not_before - timezone.now()).total_seconds()
    try:
        deliver.apply_async(
            args=[message.pk],
            queue=QUEUES[message.urgency],
            priority=0 if message.urgency == Urgency.URGENT else 5,
            countdown=countdown,
            retry=True,
            retry_policy={"max_retries": 1, "interval_start": 0.1, "interval_step": 0.2},
        )
    except Exception:  # the broker is down: the row is safe in the database
        logger.warning("broker unavailable; message %s left for the outbox sweep", message.pk)


# --- Delivery ---------------------------------------------------------------------------


def _claim(message_id: int) -> Message | None:
    """Move one queued, due message to *sending*; None if someone else has it or it is done."""
    now = timezone.now()
    claimed = (
        Message.objects.filter(pk=message_id, status=Status.QUEUED)
        .filter(Q(not_before__isnull=True) | Q(not_before__lte=now))
        .update(status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1)
    )
    if not claimed:
        return None
    return Message.objects.select_related("person", "committee").get(pk=message_id)


def _finish(message: Message, status: str, **fields) -> None:
    now = timezone.now()
    updates = {"status": status, "updated_at": now, **fields}
    if status in {Status.SKIPPED, Status.EXPIRED, Status.FAILED, Status.CANCELLED}:
        updates["final_at"] = now
    Message.objects.filter(pk=message.pk, status=Status.SENDING).update(**updates)


def message_deliver(*, message_id: int) -> str:
    """Try to deliver one message once. Returns its status afterwards.

    Safe to call any number of times for the same id: only a call that claims the
    queued row sends anything.
    """
    message = _claim(message_id)
    if message is None:
        return "not-claimed"
    now = timezone.now()
    if message.expires_at and message.expires_at <= now:
        _finish(message, Status.EXPIRED, status_reason="validity period passed")
        return Status.EXPIRED
    reason = _skip_reason(message)
    if reason:
        _finish(message, Status.SKIPPED, status_reason=reason)
        return Status.SKIPPED
    if message.channel == Channel.EMAIL:
        return _deliver_email(message)
    return _deliver_sms(message)


def _deliver_email(message: Message) -> str:
    try:
        EmailMessage(
            subject=message.subject or "",
            body=message.body,
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.to_address],
        ).send()
    except Exception as error:  # SMTP down: try again later, the row keeps its place
        logger.warning("email %s not sent (%s); will retry", message.pk, type(error).__name__)
        _retry_later(message, error_code=type(error).__name__)
        return Status.QUEUED
    _finish(message, Status.SENT, sent_at=timezone.now())
    return Status.SENT


def _deliver_sms(message: Message) -> str:
    sms = Sms(
        message_id=message.pk,
        to=message.to_address,
        body=message.body,
        status_callback=f"{settings.PUBLIC_BASE_URL}/sms/status/",
        validity_period=(
            max(1, int((message.expires_at - timezone.now()).total_seconds()))
            if message.expires_at
            else None
        ),
    )
    result = get_sms_backend().send(sms)
    if result.outcome == Outcome.SENT:
        _finish(message, Status.SENT, provider_id=result.provider_id, sent_at=timezone.now())
        return Status.SENT
    if result.outcome == Outcome.RETRY:
        _retry_later(message, error_code=result.error_code, retry_after=result.retry_after)
        return Status.QUEUED
    if result.outcome == Outcome.UNKNOWN:
        _finish(message, Status.UNKNOWN, status_reason="no answer from the provider")
        return Status.UNKNOWN
    if result.outcome == Outcome.OPTED_OUT:
        _finish(
            message,
            Status.FAILED,
            status_reason="recipient opted out at the carrier",
            error_code=result.error_code,
        )
        return Status.FAILED
    _finish(
        message,
        Status.FAILED,
        status_reason="rejected by the provider",
        error_code=result.error_code,
    )
    return Status.FAILED


def retry_delay(attempt: int, retry_after: float | None = None) -> float:
    """Exponential backoff with full jitter, capped; never sooner than the provider asked."""
    ceiling = min(300.0, 2.0**attempt)
    delay = random.uniform(ceiling / 2, ceiling)
    return max(delay, retry_after or 0.0)


def _retry_later(message: Message, *, error_code: str = "", retry_after: float | None = None):
    if message.attempts >= MAX_ATTEMPTS:
        _finish(
            message, Status.FAILED, status_reason="gave up after retries", error_code=error_code
        )
        return
    due = timezone.now() + timedelta(seconds=retry_delay(message.attempts, retry_after))
    Message.objects.filter(pk=message.pk, status=Status.SENDING).update(
        status=Status.QUEUED, not_before=due, error_code=error_code
    )
    message.status, message.not_before = Status.QUEUED, due
    enqueue(message)


# --- Sweeps -----------------------------------------------------------------------------

STALE_AFTER = timedelta(seconds=60)


def outbox_sweep(*, now: datetime | None = None, limit: int = 5000) -> int:
    """Re-enqueue due messages whose task never ran (the broker was down, a worker died
    before claiming). Claiming makes an extra task harmless. Returns how many."""
    now = now or timezone.now()
    due = (
        Message.objects.filter(status=Status.QUEUED, created_at__lte=now - STALE_AFTER)
        .filter(Q(not_before__isnull=True) | Q(not_before__lte=now))
        .order_by("created_at")
        .only("pk", "urgency", "not_before")[:limit]
    )
    count = 0
    for message in due:
        enqueue(message)
        count += 1
    return count


# --- Conversations ------------------------------------------------------------------------


def conversation_open(*, person, kind: str, object_id: int, open_for: timedelta) -> Conversation:
    """Record that we asked `person` something; their next SMS reply goes to `kind`'s handler."""
    return Conversation.objects.create(
        committee=person.committee,
        person=person,
        kind=kind,
        object_id=object_id,
        open_until=timezone.now() + open_for,
    )
