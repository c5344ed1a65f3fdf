"""Handing outbox rows over to Celery: a task per row id, on the queue of its urgency.

If Redis is down the row stays in the database with `enqueued_at` empty, and the outbox
sweep hands it over later: nothing is lost.
"""

from __future__ import annotations

import logging
from datetime import datetime, timedelta

from django.utils import timezone
from kombu.exceptions import OperationalError as KombuOperationalError

from ..models import Message, Status, Urgency

logger = logging.getLogger("notifications")

QUEUES = {Urgency.URGENT: "urgent", Urgency.NORMAL: "default", Urgency.BULK: "bulk"}
# Celery holds a task with a countdown unacknowledged in the worker; Redis hands it to
# another worker once the visibility timeout passes. Longer deferrals (quiet hours)
# are therefore not given to Celery at all: the sweep hands them over when due.
MAX_COUNTDOWN = 5 * 60
# What publishing raises when Redis is down or unreachable (kombu wraps the client's
# connection errors once its retries are spent). Anything else is a bug and propagates.
BROKER_ERRORS = (KombuOperationalError, OSError)


def hands_over_now(message: Message, now: datetime) -> bool:
    """Is the message due soon enough to be given to Celery now (else the sweep will)?"""
    return message.not_before is None or message.not_before - now <= timedelta(
        seconds=MAX_COUNTDOWN
    )


def enqueue(message: Message, *, countdown: float | None = None) -> bool:
    """Hand the row id to Celery. If the broker is unreachable, the sweep retries later.

    Returns whether the broker took it.
    """
    from ..tasks import deliver

    if countdown is None and message.not_before:
        countdown = (message.not_before - timezone.now()).total_seconds()
    try:
        deliver.apply_async(
            args=[message.pk],
            queue=QUEUES[message.urgency],
            countdown=countdown if countdown and countdown > 0 else None,
            retry=True,
            retry_policy={"max_retries": 1, "interval_start": 0.1, "interval_step": 0.2},
        )
    except BROKER_ERRORS as error:  # the broker is down: the row is safe in the database
        logger.warning(
            "broker unavailable (%s); message %s left for the outbox sweep",
            type(error).__name__,
            message.pk,
        )
        Message.objects.filter(pk=message.pk, status=Status.QUEUED).update(enqueued_at=None)
        return False
    return True


def send_batch_size() -> int:
    """How many paced messages one delivery task sends, one after the other: a
    fiftieth of a second's worth at the sending rate, at most SEND_BATCH. At 250 a
    second a task per message costs the broker and the worker more than the send; much
    bigger batches leave most workers idle at the end of a run while a few finish
    theirs one slow answer after another. One per task at the default rate of one a
    second, and unpaced (rate 0: a laptop, the tests)."""
    from django.conf import settings

    rate = settings.NOTIFICATIONS_SMS_PER_SECOND
    return max(1, min(SEND_BATCH, int(rate / 50)))


# The most messages one delivery task takes (see send_batch_size).
SEND_BATCH = 10


def enqueue_batch(message_ids: list[int], *, urgency: str, countdown: float | None = None):
    """Hand a batch of row ids to the broker as one task (`deliver_batch`). Raises what
    publishing raises (BROKER_ERRORS) for the caller to leave them to the sweep."""
    from ..tasks import deliver, deliver_batch

    task, args = (
        (deliver, [message_ids[0]])
        if len(message_ids) == 1
        else (
            deliver_batch,
            [message_ids],
        )
    )
    task.apply_async(
        args=args,
        queue=QUEUES[urgency],
        countdown=countdown if countdown and countdown > 0 else None,
        retry=True,
        retry_policy={"max_retries": 1, "interval_start": 0.1, "interval_step": 0.2},
    )


def enqueue_many(messages) -> int:
    """Hand many (pk, urgency) rows over; stop at the first broker failure.

    A row may carry a third item, its `not_before`: a task for it then waits until
    then (delivery refuses a message before its time). Urgent rows go one task each;
    the others in batches of consecutive rows of the same urgency and time
    (`send_batch_size`). Marks the ones handed over, in one statement per thousand.
    Returns how many.
    """
    handed: list[int] = []
    size = send_batch_size()
    batch: list[int] = []
    batch_key = None

    def flush():
        if batch:
            urgency, not_before = batch_key
            countdown = (not_before - timezone.now()).total_seconds() if not_before else None
            enqueue_batch(list(batch), urgency=urgency, countdown=countdown)
            handed.extend(batch)
            batch.clear()

    try:
        for pk, urgency, *deferred in messages:
            key = (urgency, deferred[0] if deferred else None)
            if key != batch_key or len(batch) >= (1 if urgency == Urgency.URGENT else size):
                flush()
                batch_key = key
            batch.append(pk)
        flush()
    except BROKER_ERRORS as error:
        logger.warning(
            "broker unavailable (%s); %s message(s) handed over before it failed",
            type(error).__name__,
            len(handed),
        )
    now = timezone.now()
    for start in range(0, len(handed), 1000):
        Message.objects.filter(pk__in=handed[start : start + 1000], status=Status.QUEUED).update(
            enqueued_at=now
        )
    return len(handed)
