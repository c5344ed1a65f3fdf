"""What the provider tells us about a message after it took it (status callbacks, lookups).

Updates only ever move a message forward (models.STATUS_RANK): a callback that
arrives late, out of order or twice changes nothing, and a final status is final.
"""

from __future__ import annotations

import logging

from django.db import IntegrityError, transaction
from django.db.models import Q
from django.db.models.functions import Coalesce
from django.utils import timezone

from .. import reasons
from ..models import FINAL_STATUSES, STATUS_RANK, Message, NumberFlag, Status
from .optouts import number_flag_invalid, number_opt_out

logger = logging.getLogger("notifications")

# Twilio's message statuses, in our words.
PROVIDER_STATUSES = {
    "accepted": Status.SENT,
    "scheduled": Status.SENT,
    "queued": Status.SENT,
    "sending": Status.SENT,
    "sent": Status.SENT,
    "delivered": Status.DELIVERED,
    "read": Status.DELIVERED,
    "undelivered": Status.UNDELIVERED,
    "failed": Status.FAILED,
    "canceled": Status.CANCELLED,
}
OPTED_OUT_CODES = {"21610"}
# Not a number that can receive texts: 21211 invalid, 21614 not a mobile, 30006
# landline or unreachable carrier.
BAD_NUMBER_CODES = {"21211", "21614", "30006"}


def message_status_record(
    *,
    provider_id: str,
    provider_status: str,
    error_code: str = "",
    message_id: int | None = None,
) -> Message | None:
    """Apply what the provider says about one of our messages. Returns it, or None.

    `message_id` comes from our status-callback URL; it finds a message whose send got
    no answer (so we never learned its provider id). Side effects: the row's status and
    provider id; an opt-out or bad-number flag for the errors that mean one.
    """
    new = PROVIDER_STATUSES.get((provider_status or "").lower())
    if new is None or not provider_id:
        return None
    lookup = Q(pk=message_id) if message_id else Q(provider_id=provider_id)
    messages = Message.objects.select_related("committee")
    message = messages.filter(lookup).first()
    if message is None and message_id:
        message = messages.filter(provider_id=provider_id).first()
    if message is None:
        logger.info("status %s for a message we do not know", new)
        return None
    if message.provider_id and message.provider_id != provider_id:
        # Two provider messages for one row would mean a double send: say so loudly.
        logger.error("message %s: status for a second provider message", message.pk)
        return message
    advance(message, new=new, provider_id=provider_id, error_code=error_code)
    if error_code in OPTED_OUT_CODES:
        number_opt_out(
            committee=message.committee,
            phone_hash=message.to_hash,
            source=NumberFlag.Source.PROVIDER,
            reason=error_code,
            language=message.language,
        )
    elif error_code in BAD_NUMBER_CODES:
        number_flag_invalid(
            committee=message.committee, phone_hash=message.to_hash, reason=error_code
        )
    return message


def advance(
    message: Message,
    *,
    new: str,
    provider_id: str,
    error_code: str = "",
    only_from: tuple | None = None,
    claimed_at=None,
) -> bool:
    """Move `message` to `new` if that is forward for it; keep the provider id.

    `only_from` and `claimed_at` narrow the update further (reconciliation uses them so
    that it never overrides a newer attempt). Returns whether the row changed.
    """
    now = timezone.now()
    lower = [s for s, rank in STATUS_RANK.items() if rank < STATUS_RANK[new]]
    if only_from is not None:
        lower = [s for s in lower if s in only_from]
    updates = {"status": new, "provider_id": provider_id, "updated_at": now}
    if new in FINAL_STATUSES:
        updates["final_at"] = now
    if new in (Status.SENT, Status.DELIVERED):
        updates["sent_at"] = Coalesce("sent_at", now)
        updates["status_reason"] = ""
    if new == Status.UNDELIVERED:
        updates["status_reason"] = reasons.UNDELIVERED
    if new == Status.FAILED:
        updates["status_reason"] = (
            reasons.CARRIER_OPT_OUT
            if error_code in OPTED_OUT_CODES
            else reasons.BAD_NUMBER
            if error_code in BAD_NUMBER_CODES
            else reasons.REFUSED
        )
    if error_code:
        updates["error_code"] = error_code[:16]
    rows = Message.objects.filter(pk=message.pk, status__in=lower).filter(
        Q(provider_id__isnull=True) | Q(provider_id=provider_id)
    )
    if claimed_at is not None:
        rows = rows.filter(claimed_at=claimed_at)
    try:
        with transaction.atomic():
            return bool(rows.update(**updates))
    except IntegrityError:
        # That provider id already belongs to another row: not this message's.
        logger.error("message %s: provider id already taken by another message", message.pk)
        return False
