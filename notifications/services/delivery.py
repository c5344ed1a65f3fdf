"""Delivering one message: claim it, check it may still go, send it once, record the answer.

The claim is a conditional update (queued -> sending). Only the call that wins it sends
anything, so a task delivered twice by Celery, a duplicate from the sweep, or two
workers racing, all end in one send. A send whose answer is lost (timeout, a worker
killed mid-request) leaves the row *sending* or *unknown*; `recovery` settles it
against the provider before anything is sent again.
"""

from __future__ import annotations

import functools
import logging
import random
import smtplib
from datetime import timedelta

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import connection
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
    """Move one queued, due message to *sending*; None if someone else has it or it is done.

    One statement: the conditional UPDATE returns the row with what the send-time checks
    need (number flags, consent) and the committee's number."""
    found = _claim_many([message_id])
    return found[0] if found else None


def _claim_many(message_ids: list[int]) -> list[Message]:
    """`_claim` for several messages in one statement (one commit); those claimed, in id
    order, all with the same `claimed_at`."""
    now = timezone.now()
    if connection.vendor != "postgresql":
        return _claim_many_portable(message_ids, now)
    found = list(Message.objects.raw(_CLAIM_SQL(), [now, now, list(message_ids), now]))
    return sorted(found, key=lambda message: message.pk)


def _claim_many_portable(message_ids: list[int], now) -> list[Message]:
    """`_claim_many` in two statements through the ORM, for SQLite (a laptop's `make run`
    and `make test`): the one-statement claim is PostgreSQL's `UPDATE … RETURNING`."""
    from django.db import transaction

    with transaction.atomic():
        due = Message.objects.filter(pk__in=message_ids, status=Status.QUEUED).filter(
            Q(not_before__isnull=True) | Q(not_before__lte=now)
        )
        ids = list(due.values_list("pk", flat=True))
        if not ids:
            return []
        Message.objects.filter(pk__in=ids, status=Status.QUEUED).update(
            status=Status.SENDING, claimed_at=now, attempts=F("attempts") + 1, updated_at=now
        )
    flags = NumberFlag.objects.filter(
        committee_id=OuterRef("committee_id"), phone_hash=OuterRef("to_hash"), active=True
    )
    found = (
        Message.objects.filter(pk__in=ids, status=Status.SENDING, claimed_at=now)
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
        .select_related("committee")
        .order_by("pk")
    )
    claimed = list(found)
    for message in claimed:
        number = message.committee.sms_number
        message.committee_sms_number = str(number) if number else ""
    return claimed


@functools.cache
def _CLAIM_SQL() -> str:  # noqa: N802 (a constant, built once the models are ready)
    from committees.models import Committee

    qn = connection.ops.quote_name

    def column(model, name):
        return qn(model._meta.get_field(name).column)

    def table(model):
        return qn(model._meta.db_table)

    m = {name: f"m.{column(Message, name)}" for name in ("committee", "to_hash", "person")}
    m.update({name: f"m.{column(Message, name)}" for name in ("purpose", "channel")})
    flag = (
        f"SELECT 1 FROM {table(NumberFlag)} f WHERE "  # noqa: S608 (names from the models)
        f"f.{column(NumberFlag, 'committee')} = "
        f"{m['committee']} AND f.{column(NumberFlag, 'phone_hash')} = {m['to_hash']} AND "
        f"f.{column(NumberFlag, 'active')} AND f.{column(NumberFlag, 'kind')} = "
    )
    consent = (
        f"SELECT 1 FROM {table(Consent)} c WHERE "  # noqa: S608 (names from the models)
        f"c.{column(Consent, 'person')} = {m['person']} "
        f"AND c.{column(Consent, 'purpose')} = {m['purpose']} AND "
        f"c.{column(Consent, 'channel')} = {m['channel']} AND c.{column(Consent, 'granted')}"
    )
    status, pk = column(Message, "status"), column(Message, "id")
    not_before, attempts = column(Message, "not_before"), column(Message, "attempts")
    # Names from the models' metadata and the statuses' own values: no outside text.
    return (
        f"UPDATE {table(Message)} m SET {status} = '{Status.SENDING.value}', "  # noqa: S608
        f"{column(Message, 'claimed_at')} = %s, {attempts} = m.{attempts} + 1, "
        f"{column(Message, 'updated_at')} = %s "
        f"WHERE m.{pk} = ANY(%s) AND m.{status} = '{Status.QUEUED.value}' "
        f"AND (m.{not_before} IS NULL OR m.{not_before} <= %s) "
        f"RETURNING m.*, "
        f"EXISTS({flag}'{NumberFlag.Kind.OPTED_OUT.value}') AS opted_out, "
        f"EXISTS({flag}'{NumberFlag.Kind.INVALID.value}') AS invalid, "
        f"EXISTS({consent}) AS consented, "
        f"(SELECT k.{column(Committee, 'sms_number')} FROM {table(Committee)} k "
        f"WHERE k.{column(Committee, 'id')} = {m['committee']}) AS committee_sms_number"
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


def _record_accepted_many(accepted: list[tuple[int, str, object]]) -> None:
    """`record_accepted` for several (message id, provider id, when) in one statement."""
    if not accepted:
        return
    if connection.vendor != "postgresql":  # SQLite (a laptop): one statement each
        for message_id, provider_id, _at in accepted:
            record_accepted(Message(pk=message_id), provider_id)
        return
    qn = connection.ops.quote_name

    def column(name):
        return qn(Message._meta.get_field(name).column)

    lower = ", ".join(
        f"'{s.value}'" for s, rank in STATUS_RANK.items() if rank < STATUS_RANK[Status.SENT]
    )
    status, provider = column("status"), column("provider_id")
    moving = f"m.{status} IN ({lower})"
    kept = {name: column(name) for name in ("status_reason", "error_code", "updated_at")}
    # Names from the model's metadata and the statuses' own values: no outside text.
    sql = (
        f"UPDATE {qn(Message._meta.db_table)} m SET "  # noqa: S608
        f"{status} = CASE WHEN {moving} THEN '{Status.SENT.value}' ELSE m.{status} END, "
        f"{kept['status_reason']} = CASE WHEN {moving} THEN '' "
        f"ELSE m.{kept['status_reason']} END, "
        f"{kept['error_code']} = CASE WHEN {moving} THEN '' ELSE m.{kept['error_code']} END, "
        f"{kept['updated_at']} = CASE WHEN {moving} THEN v.at ELSE m.{kept['updated_at']} END, "
        f"{provider} = v.provider, {column('sent_at')} = v.at "
        f"FROM unnest(%s::bigint[], %s::varchar[], %s::timestamptz[]) AS v(id, provider, at) "
        f"WHERE m.{column('id')} = v.id "
        f"AND (m.{provider} IS NULL OR m.{provider} = v.provider) "
        f"AND ({moving} OR m.{provider} IS NULL)"
    )
    ids, providers, times = (list(column) for column in zip(*accepted, strict=True))
    with connection.cursor() as cursor:
        cursor.execute(sql, [ids, providers, times])


def message_deliver(*, message_id: int) -> str:
    """Try to deliver one message once. Returns its status afterwards.

    Safe to call any number of times for the same id: only a call that claims the
    queued row sends anything. Side effects: at most one provider request; the row's
    status; an opt-out or bad-number flag when the provider reports one. Statements:
    the row's head, the claim (with the checks), the answer.
    """
    head = (
        Message.objects.filter(pk=message_id)
        .values("pk", "status", "urgency", "channel", "not_before")
        .first()
    )
    if head is None:
        return "not-claimed"
    outcome, slot = _deliver(head)
    if outcome == PACED:
        # Twilio would only queue it behind the others; come back about when a slot
        # is free, unclaimed (a little spread, so that they don't all return at once).
        message = Message(pk=message_id, urgency=head["urgency"], not_before=None)
        enqueue(message, countdown=slot.wait + random.uniform(0.0, 1.0))
    return outcome


# Messages of a batch claimed together (one statement, one commit) and whose answers are
# recorded together: a killed worker leaves at most this many *sending* for the sweep
# to settle (`recovery`), as it would one.
CLAIM_BATCH = 5


def messages_deliver(*, message_ids: list[int]) -> dict[str, int]:
    """`message_deliver` for a batch (a `deliver_batch` task): the heads in one statement,
    then CLAIM_BATCH at a time one claim and, after their sends (each at its own pacing
    slot), one statement recording those Twilio accepted; other answers are recorded one
    by one as `message_deliver` does. When no sending slot is free soon, what is left of
    the batch goes back to the broker as one task (claimed ones released first), to
    come back about when one is. Returns how many ended in each outcome."""
    heads = list(
        Message.objects.filter(pk__in=message_ids)
        .order_by("pk")
        .values("pk", "status", "urgency", "channel", "not_before")
    )
    now = timezone.now()
    due = [h for h in heads if _due(h, now)]
    outcomes: dict[str, int] = {"not-claimed": len(heads) - len(due)}
    start = 0
    while start < len(due):
        chunk = due[start : start + CLAIM_BATCH]
        left = [h["pk"] for h in due[start:]]
        slot = _slot(chunk[0])
        if slot is not None and not slot.granted:
            return _paced(outcomes, left, chunk[0]["urgency"], slot)
        claimed = _claim_many([h["pk"] for h in chunk])
        outcomes["not-claimed"] += len(chunk) - len(claimed)
        heads_by_id = {h["pk"]: h for h in chunk}
        accepted: list[tuple[int, str, object]] = []
        try:
            for index, message in enumerate(claimed):
                if _claim_too_old(message):
                    # Sends answered slowly (Twilio's timeouts): never let a claimed row
                    # wait long enough for the sweep to think its worker dead.
                    _release(claimed[index:])
                    rest = [m.pk for m in claimed[index:]] + left[len(chunk) :]
                    return _paced(outcomes, rest, message.urgency, pacing.Slot(False, 0.0))
                if slot is None:
                    slot = _slot(heads_by_id[message.pk])
                    if slot is not None and not slot.granted:
                        _release(claimed[index:])
                        rest = [m.pk for m in claimed[index:]] + left[len(chunk) :]
                        return _paced(outcomes, rest, message.urgency, slot)
                slot = None  # used by this send
                outcome = _send_claimed(message, accepted=accepted)
                outcomes[outcome] = outcomes.get(outcome, 0) + 1
        finally:
            _record_accepted_many(accepted)
        start += len(chunk)
    return outcomes


def _claim_too_old(message: Message) -> bool:
    """Has the message waited, claimed, for half the time after which the outbox sweep
    settles a *sending* row as its worker's death? (Under `-P threads` no hard time
    limit stops a slow batch.)"""
    waited = (timezone.now() - message.claimed_at).total_seconds()
    return waited > settings.NOTIFICATIONS_SENDING_STALE_AFTER / 2


def _due(head: dict, now) -> bool:
    return head["status"] == Status.QUEUED and not (head["not_before"] and head["not_before"] > now)


def _slot(head: dict) -> pacing.Slot | None:
    """The sending slot an SMS waits for (None: not paced). Alerts take the next slot
    ahead of every reminder (see services.pacing)."""
    if head["channel"] == Channel.SMS:
        return pacing.acquire(urgent=head["urgency"] == Urgency.URGENT)
    return None


def _paced(outcomes: dict, message_ids: list[int], urgency: str, slot) -> dict[str, int]:
    from .handover import BROKER_ERRORS, enqueue_batch

    outcomes[PACED] = outcomes.get(PACED, 0) + len(message_ids)
    try:
        enqueue_batch(message_ids, urgency=urgency, countdown=slot.wait + random.random())
    except BROKER_ERRORS as error:  # the rows are queued in the database: the sweep
        logger.warning("broker unavailable (%s); batch left for the sweep", type(error).__name__)
        Message.objects.filter(pk__in=message_ids, status=Status.QUEUED).update(enqueued_at=None)
    return outcomes


def _release(messages: list[Message]) -> None:
    """Give back claimed messages that were not sent (no pacing slot came soon enough)."""
    now = timezone.now()
    for message in messages:
        Message.objects.filter(
            pk=message.pk, status=Status.SENDING, claimed_at=message.claimed_at
        ).update(status=Status.QUEUED, attempts=F("attempts") - 1, updated_at=now)


PACED = "paced"


def _deliver(head: dict) -> tuple[str, pacing.Slot | None]:
    if not _due(head, timezone.now()):
        return "not-claimed", None
    slot = _slot(head)
    if slot is not None and not slot.granted:
        return PACED, slot
    message = _claim(head["pk"])
    if message is None:
        return "not-claimed", None
    return _send_claimed(message), None


def _send_claimed(message: Message, *, accepted: list | None = None) -> str:
    """Check the claimed message may still go, and send it. With `accepted`, an SMS the
    provider took is appended there (id, provider id, when) for the caller to record."""
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
    return _deliver_sms(message, accepted=accepted)


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


def _deliver_sms(message: Message, *, accepted: list | None = None) -> str:
    validity = None
    if message.expires_at:
        validity = max(1, int((message.expires_at - timezone.now()).total_seconds()))
    sms = Sms(
        message_id=message.pk,
        to=message.to_address,
        body=message.body,
        from_number=message.committee_sms_number or "",
        status_callback=status_callback_url(message),
        validity_period=validity,
    )
    result = get_sms_backend().send(sms)
    logger.info("sms %s: %s", message.pk, result.outcome)
    if result.outcome == SendOutcome.SENT:
        if accepted is None:
            record_accepted(message, result.provider_id)
        else:
            accepted.append((message.pk, result.provider_id, timezone.now()))
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
