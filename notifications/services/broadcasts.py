"""Group messages: a coordinator writes one text per language for a filtered group.

A broadcast is saved as a draft first and sent only when the coordinator confirms it.
Sending writes every message row in a few statements (bulk insert, not one per
person) and hands Celery a single fan-out task, so the confirming page returns at
once whatever the size of the group.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.access import Action, Viewer
from members.consent import Channel
from members.crypto import lookup_hash

from .. import reasons
from ..models import Broadcast, Kind, Message, Status, Urgency
from ..rendering import render
from ..selectors import compose_recipients, reachable
from .outbox import BROKER_ERRORS, QUEUES, enqueue_many, hands_over_now, quiet_hours_end

logger = logging.getLogger("notifications")

TEMPLATE = "broadcast"


def broadcast_draft(
    *,
    actor: Viewer,
    channel: str,
    purpose: str,
    text_en: str,
    text_es: str,
    recipient_filter: dict,
) -> Broadcast:
    """Save a group message waiting for the coordinator's confirmation. Sends nothing."""
    actor.require(Action.SEND_MESSAGES)
    return Broadcast.objects.create(
        committee=actor.committee,
        created_by=actor.membership,
        channel=channel,
        purpose=purpose,
        text_en=text_en.strip(),
        text_es=text_es.strip(),
        recipient_filter=recipient_filter,
    )


def broadcast_render(*, committee, channel: str, language: str, text: str):
    return render(
        template=TEMPLATE,
        channel=channel,
        language=language,
        context={"committee": committee, "text": text},
    )


@transaction.atomic
def broadcast_send(*, actor: Viewer, broadcast: Broadcast) -> int:
    """Queue the broadcast to everyone the filter finds who may receive it. Returns how many.

    Sending twice (a double click, a resubmitted form) queues nothing more: only the
    call that moves the draft to *queued* writes messages. Side effects: one message
    row per reachable recipient (bulk insert), one fan-out task on commit.
    """
    actor.require(Action.SEND_MESSAGES)
    if broadcast.committee_id != actor.committee.pk:
        raise PermissionDenied
    now = timezone.now()
    if not Broadcast.objects.filter(pk=broadcast.pk, state=Broadcast.State.DRAFT).update(
        state=Broadcast.State.QUEUED, queued_at=now
    ):
        return 0
    committee = actor.committee
    people = reachable(
        compose_recipients(viewer=actor, params=broadcast.recipient_filter),
        purpose=broadcast.purpose,
        channel=broadcast.channel,
    ).only("id", "language", "phone", "phone_hash", "email", "email_hash")
    rendered = {}
    not_before = quiet_hours_end(committee, now) if broadcast.channel == Channel.SMS else None
    messages = []
    for person in people.iterator(chunk_size=2000):
        text = broadcast.text_for(person.language)
        if not text:
            raise ValidationError(_("Write the message in every language of its recipients."))
        if person.language not in rendered:
            rendered[person.language] = broadcast_render(
                committee=committee,
                channel=broadcast.channel,
                language=person.language,
                text=text,
            )
        body = rendered[person.language]
        address = str(person.phone) if broadcast.channel == Channel.SMS else person.email
        message = Message(
            committee=committee,
            person_id=person.pk,
            kind=Kind.STANDARD,
            channel=broadcast.channel,
            purpose=broadcast.purpose,
            template=TEMPLATE,
            language=person.language,
            urgency=Urgency.BULK,
            to_address=address,
            to_hash=lookup_hash(address),
            subject=body.subject,
            body=body.body,
            encoding=body.encoding,
            segments=body.segments,
            idempotency_key=f"broadcast:{broadcast.pk}:{person.pk}",
            broadcast=broadcast,
            created_at=now,
            not_before=not_before,
        )
        message.enqueued_at = now if hands_over_now(message, now) else None
        messages.append(message)
    Message.objects.bulk_create(messages, batch_size=1000)
    Broadcast.objects.filter(pk=broadcast.pk).update(recipient_count=len(messages))
    if messages and messages[0].enqueued_at:
        transaction.on_commit(lambda: _fan_out_later(broadcast.pk))
    logger.info("broadcast %s: %s message(s) queued", broadcast.pk, len(messages))
    return len(messages)


def _fan_out_later(broadcast_id: int) -> None:
    from ..tasks import broadcast_fan_out

    try:
        broadcast_fan_out.apply_async(
            args=[broadcast_id],
            queue=QUEUES[Urgency.BULK],
            retry=True,
            retry_policy={"max_retries": 1, "interval_start": 0.1, "interval_step": 0.2},
        )
    except BROKER_ERRORS as error:
        logger.warning(
            "broker unavailable (%s); broadcast %s left for the outbox sweep",
            type(error).__name__,
            broadcast_id,
        )
        Message.objects.filter(broadcast_id=broadcast_id, status=Status.QUEUED).update(
            enqueued_at=None
        )


def broadcast_fan_out(*, broadcast_id: int) -> int:
    """Hand every queued message of the broadcast to the broker (the fan-out task)."""
    rows = list(
        Message.objects.filter(broadcast_id=broadcast_id, status=Status.QUEUED)
        .order_by("id")
        .values_list("pk", "urgency")
    )
    handed = enqueue_many(rows)
    if handed < len(rows):
        left = [pk for pk, _urgency in rows[handed:]]
        for start in range(0, len(left), 1000):
            Message.objects.filter(pk__in=left[start : start + 1000], status=Status.QUEUED).update(
                enqueued_at=None
            )
    return handed


@transaction.atomic
def broadcast_cancel(*, actor: Viewer, broadcast: Broadcast) -> int:
    """Cancel what has not left yet (queued messages). Returns how many were cancelled.

    Messages a worker is sending at this moment, or already sent, are not recalled.
    """
    actor.require(Action.SEND_MESSAGES)
    if broadcast.committee_id != actor.committee.pk:
        raise PermissionDenied
    now = timezone.now()
    Broadcast.objects.filter(pk=broadcast.pk).exclude(state=Broadcast.State.CANCELLED).update(
        state=Broadcast.State.CANCELLED, cancelled_at=now
    )
    return Message.objects.filter(broadcast=broadcast, status=Status.QUEUED).update(
        status=Status.CANCELLED, status_reason=reasons.CANCELLED, final_at=now, updated_at=now
    )
