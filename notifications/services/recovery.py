"""The outbox sweep: nothing lost, nothing doubled, whatever died where.

Run every minute by Celery beat. It

1. expires queued messages that are too late to be useful (alerts);
2. hands over queued messages whose task never ran: Redis was down when they were
   queued, a deferral ended, or the task was lost with a killed worker;
3. settles messages whose send got no answer:

   * *sending* for longer than any attempt can last (the worker was killed: before
     the request, during it, or after Twilio answered but before we saved the answer);
   * *unknown* (the request timed out) and no status callback came.

   For each, the provider is asked for messages to that number since the attempt
   began. If ours is there (same text, not already another row's), the row takes its
   id and status: it was sent, once. If not, the attempt never created a message, and
   only then is the row queued again. Where a SIGKILL lands, this ends in one send:

   * before the HTTP request: nothing at Twilio -> queued again -> sent once;
   * during it, or after Twilio answered: Twilio has it -> recorded as sent, not resent
     (and usually a status callback has already settled it before the sweep looks).
"""

from __future__ import annotations

import logging
import time
from datetime import datetime, timedelta

from django.conf import settings
from django.db.models import Case, IntegerField, Q, Value, When
from django.utils import timezone

from members.consent import Channel

from .. import reasons
from ..backends import get_sms_backend
from ..backends.base import LookupFailed, LookupUnsupported
from ..models import Message, Status, Urgency
from .handover import enqueue, enqueue_many
from .status import PROVIDER_STATUSES, advance

logger = logging.getLogger("notifications")

# Twilio's clock and ours may disagree a little.
CLOCK_SKEW = timedelta(minutes=2)
RECONCILE_PER_SWEEP = 100


def outbox_sweep(*, now: datetime | None = None, limit: int = 5000) -> int:
    """Expire, hand over and reconcile (see the module docstring).

    Returns how many messages were handed to the broker.
    """
    now = now or timezone.now()
    _expire_overdue(now)
    handed = _hand_over_lost(now, limit)
    _reconcile_unanswered(now)
    from .broadcasts import broadcasts_finish

    broadcasts_finish(now=now)
    return handed


def _expire_overdue(now: datetime) -> int:
    return Message.objects.filter(status=Status.QUEUED, expires_at__lte=now).update(
        status=Status.EXPIRED, status_reason=reasons.EXPIRED, final_at=now, updated_at=now
    )


def _hand_over_lost(now: datetime, limit: int) -> int:
    grace = now - timedelta(seconds=settings.NOTIFICATIONS_SWEEP_GRACE)
    due = Q(not_before__isnull=True, created_at__lte=grace) | Q(not_before__lte=grace)
    lost = (
        Q(enqueued_at__isnull=True)
        | Q(
            urgency=Urgency.URGENT,
            enqueued_at__lte=now - timedelta(seconds=settings.NOTIFICATIONS_URGENT_REQUEUE_AFTER),
        )
        | Q(
            ~Q(urgency=Urgency.URGENT),
            enqueued_at__lte=now - timedelta(seconds=settings.NOTIFICATIONS_REQUEUE_AFTER),
        )
    )
    rows = list(
        Message.objects.filter(status=Status.QUEUED)
        .filter(due, lost)
        .annotate(
            priority=Case(
                When(urgency=Urgency.URGENT, then=Value(0)),
                When(urgency=Urgency.NORMAL, then=Value(1)),
                default=Value(2),
                output_field=IntegerField(),
            )
        )
        .order_by("priority", "created_at", "id")
        .values_list("pk", "urgency")[:limit]
    )
    if not rows:
        return 0
    handed = enqueue_many(rows)
    logger.info("outbox sweep: handed over %s of %s waiting message(s)", handed, len(rows))
    return handed


def _reconcile_unanswered(now: datetime) -> None:
    stale = now - timedelta(seconds=settings.NOTIFICATIONS_SENDING_STALE_AFTER)
    unanswered = now - timedelta(seconds=settings.NOTIFICATIONS_UNKNOWN_GRACE)
    ids = list(
        Message.objects.filter(
            Q(status=Status.SENDING, claimed_at__lte=stale)
            | Q(status=Status.UNKNOWN, claimed_at__lte=unanswered)
        )
        .order_by("claimed_at", "id")
        .values_list("pk", flat=True)[:RECONCILE_PER_SWEEP]
    )
    # Each lookup may wait for Twilio's timeouts: stop well within the task's time limit
    # and leave the rest to the next sweep.
    budget = time.monotonic() + settings.CELERY_TASK_SOFT_TIME_LIMIT / 2
    for message_id in ids:
        if time.monotonic() > budget:
            break
        message_reconcile(message_id=message_id)


def _same_text(provider_body: str, body: str) -> bool:
    # A trial account prefixes "Sent from your Twilio trial account - ".
    return provider_body == body or provider_body.endswith(body)


def message_reconcile(*, message_id: int) -> str:
    """Settle one message whose send got no answer. Returns its status afterwards.

    Side effects: at most one provider lookup; the row recorded as sent (with the
    provider's id) or queued again (and handed to the broker), or failed when it has
    used up its attempts.
    """
    message = Message.objects.filter(pk=message_id).first()
    if message is None or message.status not in (Status.SENDING, Status.UNKNOWN):
        return message.status if message else "missing"
    claimed_at = message.claimed_at
    if message.channel == Channel.SMS:
        try:
            candidates = get_sms_backend().sent_to(
                to=message.to_address, since=(claimed_at or message.created_at) - CLOCK_SKEW
            )
        except LookupFailed as error:
            logger.warning("message %s: provider lookup failed (%s)", message.pk, error)
            return message.status
        except LookupUnsupported:
            # We cannot know; a coordinator sees it as unknown rather than us guessing.
            Message.objects.filter(
                pk=message.pk, status=Status.SENDING, claimed_at=claimed_at
            ).update(status=Status.UNKNOWN, status_reason=reasons.NOT_CHECKABLE)
            return Status.UNKNOWN
        taken = set(
            Message.objects.filter(provider_id__in=[c.provider_id for c in candidates])
            .exclude(pk=message.pk)
            .values_list("provider_id", flat=True)
        )
        match = next(
            (
                c
                for c in candidates
                if c.provider_id not in taken and _same_text(c.body, message.body)
            ),
            None,
        )
        if match is not None:
            status = PROVIDER_STATUSES.get(match.status, Status.SENT)
            advance(
                message,
                new=status,
                provider_id=match.provider_id,
                error_code=match.error_code,
                only_from=(Status.SENDING, Status.UNKNOWN),
                claimed_at=claimed_at,
            )
            logger.info("message %s: found at the provider (%s)", message.pk, status)
            return status
    # Email cannot be looked up: it is sent again (a worker killed between the mail
    # server's acceptance and our update is a window of milliseconds).
    now = timezone.now()
    rows = Message.objects.filter(pk=message.pk, status=message.status, claimed_at=claimed_at)
    if message.attempts >= settings.NOTIFICATIONS_MAX_ATTEMPTS:
        rows.update(status=Status.FAILED, status_reason=reasons.GAVE_UP, final_at=now)
        return Status.FAILED
    if not rows.update(
        status=Status.QUEUED, not_before=None, enqueued_at=now, status_reason="", updated_at=now
    ):
        return Message.objects.get(pk=message.pk).status
    logger.info("message %s: not at the provider; queued again", message.pk)
    message.status, message.not_before = Status.QUEUED, None
    enqueue(message)
    return Status.QUEUED
