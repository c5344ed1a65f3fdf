"""Delivering one message: claim it, check it may still go, send it once, record the answer.

The claim is a conditional update (queued -> sending). Only the call that wins it sends
anything, so a task delivered twice by Celery, a duplicate from the sweep, or two
workers racing, all end in one send. A send whose answer is lost (timeout, a worker
killed mid-request) leaves the row *sending* or *unknown*; `recovery` settles it
against the provider before anything is sent again.
"""

from __future__ import annotations

import logging
import random
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db.models import Exists, F, OuterRef, Q
from django.urls import reverse
from django.utils import timezone

from members.consent import Channel, Consent

from .. import reasons
from ..backends import get_sms_backend
from ..backends.base import SendOutcome, Sms
from ..models import STATUS_RANK, Message, NumberFlag, Status, Urgency
from . import pacing
from .handover import enqueue
from .optouts import number_flag_invalid, number_opt_out
from .outbox import skip_reason

logger = logging.getLogger("notifications")


def _claim(message_id: int) -> Message | None:
    """Move one queued, due message to *sending*; None if someone else has it or it is done."""
    now = timezone.now()
    claimed = (
        Message.objects.filter(pk=message_id, status=Status.QUEUED)
        .filter(Q(not_before__isnull=True) | Q(not_before__lte=now))
        .update(status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1, updated_at=now)
    )
    if not claimed:
        return None
    # With what the send-time checks need (number flags, consent) in the same query.
    flags = NumberFlag.objects.filter(
        committee_id=OuterRef("committee_id"), phone_hash=OuterRef("to_hash"), active=True
    )
    return (
        Message.objects.select_related("committee")
        .annotate(
            opted_out=Exists(flags.filter(kind=NumberFlag.Kind.OPTED_OUT)),
            invalid=Exists(flags.filter(kind=NumberFlag.Kind.INVALID)),
            consented=Exists(
                Consent.objects.filter(
                    person_id=OuterRef("person_id"),
                    purpose=OuterRef("purpose"),
                    channel=OuterRef("channel"),
                    granted=True,
                )
            ),
        )
        .get(pk=message_id)
    )


def _finish(message: Message, status: str, **fields) -> bool:
    """Record the end of this attempt, if the row is still ours (sending, our claim)."""
    now = timezone.now()
    updates = {"status": status, "updated_at": now, **fields}
    if status in {Status.SKIPPED, Status.EXPIRED, Status.FAILED, Status.CANCELLED}:
        updates["final_at"] = now
    return bool(
        Message.objects.filter(
            pk=message.pk, status=Status.SENDING, claimed_at=message.claimed_at
        ).update(**updates)
    )


def record_accepted(message: Message, provider_id: str) -> None:
    """The provider took the message: keep its id, whatever happened to the row meanwhile.

    A status callback may already have moved it on (it can arrive before this line);
    the id must still be kept, and nothing that ranks higher is moved back.
    """
    now = timezone.now()
    lower = [s for s, rank in STATUS_RANK.items() if rank < STATUS_RANK[Status.SENT]]
    updated = (
        Message.objects.filter(pk=message.pk, status__in=lower)
        .filter(Q(provider_id__isnull=True) | Q(provider_id=provider_id))
        .update(
            status=Status.SENT,
            provider_id=provider_id,
            sent_at=now,
            status_reason="",
            error_code="",
            updated_at=now,
        )
    )
    if not updated:
        Message.objects.filter(pk=message.pk, provider_id__isnull=True).update(
            provider_id=provider_id, sent_at=now
        )


def message_deliver(*, message_id: int) -> str:
    """Try to deliver one message once. Returns its status afterwards.

    Safe to call any number of times for the same id: only a call that claims the
    queued row sends anything. Side effects: at most one provider request; the row's
    status; an opt-out or bad-number flag when the provider reports one.
    """
    head = (
        Message.objects.filter(pk=message_id)
        .values("status", "urgency", "channel", "not_before")
        .first()
    )
    if head is None or head["status"] != Status.QUEUED:
        return "not-claimed"
    if head["not_before"] and head["not_before"] > timezone.now():
        return "not-claimed"
    if head["channel"] == Channel.SMS:
        # Alerts take the next slot ahead of every reminder (see services.pacing).
        slot = pacing.acquire(urgent=head["urgency"] == Urgency.URGENT)
        if not slot.granted:
            # Twilio would only queue it behind the others; come back about when a slot
            # is free, unclaimed (a little spread, so that they don't all return at once).
            message = Message(pk=message_id, urgency=head["urgency"], not_before=None)
            enqueue(message, countdown=slot.wait + random.uniform(0.0, 1.0))
            return "paced"
    message = _claim(message_id)
    if message is None:
        return "not-claimed"
    if message.expires_at and message.expires_at <= timezone.now():
        _finish(message, Status.EXPIRED, status_reason=reasons.EXPIRED)
        return Status.EXPIRED
    kinds = {NumberFlag.Kind.OPTED_OUT: message.opted_out, NumberFlag.Kind.INVALID: message.invalid}
    reason = skip_reason(
        message,
        flags={kind for kind, active in kinds.items() if active},
        consented=message.consented,
    )
    if reason:
        _finish(message, Status.SKIPPED, status_reason=reason)
        return Status.SKIPPED
    if message.channel == Channel.EMAIL:
        return _deliver_email(message)
    return _deliver_sms(message)


def _deliver_email(message: Message) -> str:
    from ..unsubscribe import footer, has_link, unsubscribe_url

    headers = {"List-Unsubscribe": f"<{unsubscribe_url(message)}>"} if has_link(message) else {}
    try:
        EmailMessage(
            subject=message.subject or "",
            body=message.body + footer(message),
            from_email=settings.DEFAULT_FROM_EMAIL,
            to=[message.to_address],
            headers=headers,
        ).send()
    except smtplib.SMTPRecipientsRefused:
        _finish(message, Status.FAILED, status_reason=reasons.REFUSED, error_code="smtp-refused")
        return Status.FAILED
    except Exception as error:  # SMTP down: try again later, the row keeps its place
        logger.warning("email %s not sent (%s); will retry", message.pk, type(error).__name__)
        retry_later(message, error_code=type(error).__name__[:16])
        return Status.QUEUED
    _finish(message, Status.SENT, sent_at=timezone.now())
    return Status.SENT


def status_callback_url(message: Message) -> str:
    # Our id rides in the URL (Twilio signs the whole URL), so a callback settles a
    # message even when the answer to the send itself was lost.
    return f"{settings.PUBLIC_BASE_URL}{reverse('sms_status')}?message={message.pk}"


def _deliver_sms(message: Message) -> str:
    validity = None
    if message.expires_at:
        validity = max(1, int((message.expires_at - timezone.now()).total_seconds()))
    sms = Sms(
        message_id=message.pk,
        to=message.to_address,
        body=message.body,
        from_number=str(message.committee.sms_number or ""),
        status_callback=status_callback_url(message),
        validity_period=validity,
    )
    result = get_sms_backend().send(sms)
    logger.info("sms %s: %s", message.pk, result.outcome)
    if result.outcome == SendOutcome.SENT:
        record_accepted(message, result.provider_id)
        return Status.SENT
    if result.outcome == SendOutcome.RETRY:
        retry_later(message, error_code=result.error_code, retry_after=result.retry_after)
        return Status.QUEUED
    if result.outcome == SendOutcome.UNKNOWN:
        _finish(
            message,
            Status.UNKNOWN,
            status_reason=reasons.NO_ANSWER,
            error_code=result.error_code,
        )
        return Status.UNKNOWN
    if result.outcome == SendOutcome.OPTED_OUT:
        _finish(
            message,
            Status.FAILED,
            status_reason=reasons.CARRIER_OPT_OUT,
            error_code=result.error_code,
        )
        number_opt_out(
            committee=message.committee,
            phone_hash=message.to_hash,
            source=NumberFlag.Source.PROVIDER,
            reason=result.error_code,
            language=message.language,
        )
        return Status.FAILED
    if result.outcome == SendOutcome.BAD_NUMBER:
        _finish(
            message, Status.FAILED, status_reason=reasons.BAD_NUMBER, error_code=result.error_code
        )
        number_flag_invalid(
            committee=message.committee, phone_hash=message.to_hash, reason=result.error_code
        )
        return Status.FAILED
    _finish(message, Status.FAILED, status_reason=reasons.REFUSED, error_code=result.error_code)
    return Status.FAILED


def retry_delay(attempt: int, retry_after: float | None = None, *, urgent: bool = False) -> float:
    """Exponential backoff with jitter, capped; never sooner than the provider asked.

    The delay for attempt n is drawn from [c/2, c] with c = base * 2**(n-1): each
    retry waits at least as long as the one before. Alerts back off from a quarter
    second, because a late alert is worth less than a throttled one.
    """
    base, cap = (0.25, 5.0) if urgent else (2.0, 300.0)
    ceiling = min(cap, base * 2 ** max(0, attempt - 1))
    delay = random.uniform(ceiling / 2, ceiling)
    return max(delay, retry_after or 0.0)


def retry_later(message: Message, *, error_code: str = "", retry_after: float | None = None):
    """Put a claimed message back in the queue after a backoff, or give up."""
    if message.attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS:
        _finish(message, Status.FAILED, status_reason=reasons.GAVE_UP, error_code=error_code)
        return
    now = timezone.now()
    delay = retry_delay(message.attempts, retry_after, urgent=message.urgency == Urgency.URGENT)
    due = now + timedelta(seconds=delay)
    if message.expires_at and due >= message.expires_at:
        _finish(message, Status.EXPIRED, status_reason=reasons.EXPIRED, error_code=error_code)
        return
    if not _finish(
        message,
        Status.QUEUED,
        not_before=due,
        error_code=error_code,
        enqueued_at=now,
    ):
        return
    message.status, message.not_before = Status.QUEUED, due
    logger.info("message %s: retry %s in %.1fs", message.pk, message.attempts, delay)
    enqueue(message, countdown=delay)
