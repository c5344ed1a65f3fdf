"""Writing messages to the outbox and handing them to Celery.

Other apps call `message_queue()` inside their own transaction. The message row is
written with the change that caused it; a Celery task that takes only the row id is
enqueued when that transaction commits. If Redis is down at that moment the row
waits in the database (`enqueued_at` stays empty) and the outbox sweep hands it over
later: nothing is lost.
"""

from __future__ import annotations

import logging
from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.conf import settings
from django.db import IntegrityError, transaction
from django.utils import timezone
from kombu.exceptions import OperationalError as KombuOperationalError

from lib.crypto import lookup_hash
from members.consent import Channel, may_contact

from .. import reasons
from ..models import Conversation, Kind, Message, NumberFlag, Status, Urgency
from ..rendering import render

logger = logging.getLogger("notifications")

QUEUES = {Urgency.URGENT: "urgent", Urgency.NORMAL: "default", Urgency.BULK: "bulk"}
# Celery holds a task with a countdown unacknowledged in the worker; Redis hands it to
# another worker once the visibility timeout passes. Longer deferrals (quiet hours)
# are therefore not given to Celery at all: the sweep hands them over when due.
MAX_COUNTDOWN = 5 * 60
# What publishing raises when Redis is down or unreachable (kombu wraps the client's
# connection errors once its retries are spent). Anything else is a bug and propagates.
BROKER_ERRORS = (KombuOperationalError, OSError)


def urgent_validity() -> timedelta:
    return timedelta(seconds=settings.NOTIFICATIONS_URGENT_VALIDITY)


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
    valid_until: datetime | None = None,
) -> Message:
    """Write one outbox row for `person` and enqueue its delivery when the caller commits.

    Must run inside the caller's transaction. Renders `template` in the person's
    language. Without consent for `purpose` on the channel, with an opted-out or bad
    number, or without an address, the row is written as *skipped* with the reason and
    nothing is sent. A non-urgent SMS in the committee's quiet hours waits for them to
    end; if that is later than `valid_until`, it is skipped. Calling again with the same
    `idempotency_key` returns the existing row and sends nothing more.
    """
    existing = Message.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    channel = channel or (Channel.SMS if person.phone else Channel.EMAIL)
    address = str(person.phone or "") if channel == Channel.SMS else (person.email or "")
    return _queue(
        committee=person.committee,
        person=person,
        channel=channel,
        to=address,
        language=person.language,
        purpose=purpose,
        template=template,
        idempotency_key=idempotency_key,
        kind=Kind.STANDARD,
        urgency=urgency,
        context=context,
        conversation=conversation,
        valid_until=valid_until,
    )


def message_queue_to_number(
    *,
    committee,
    to: str,
    language: str,
    template: str,
    idempotency_key: str,
    kind: str,
    purpose: str = "",
    person=None,
    context: dict | None = None,
    conversation: Conversation | None = None,
    channel: str = Channel.SMS,
) -> Message:
    """Queue an SMS (or email) to an address: keyword answers, replies, test messages.

    `kind` decides the rules: a REPLY needs consent like any message; a COMPLIANCE
    answer (opt-out and opt-in confirmations, HELP) does not and even reaches a number
    that has just opted out; none of them waits for quiet hours (the person just
    texted us).
    """
    existing = Message.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    return _queue(
        committee=committee,
        person=person,
        channel=channel,
        to=to,
        language=language,
        purpose=purpose,
        template=template,
        idempotency_key=idempotency_key,
        kind=kind,
        urgency=Urgency.NORMAL,
        context=context,
        conversation=conversation,
        valid_until=None,
    )


def _queue(
    *,
    committee,
    person,
    channel,
    to,
    language,
    purpose,
    template,
    idempotency_key,
    kind,
    urgency,
    context,
    conversation,
    valid_until,
) -> Message:
    rendered = render(
        template=template,
        channel=channel,
        language=language,
        context={"committee": committee, "person": person, **(context or {})},
    )
    now = timezone.now()
    message = message_draft(
        committee=committee,
        person=person,
        kind=kind,
        channel=channel,
        purpose=purpose,
        template=template,
        language=language,
        urgency=urgency,
        to=to,
        text=rendered,
        idempotency_key=idempotency_key,
        conversation=conversation,
        now=now,
    )
    settle(
        message,
        reason=skip_reason(message),
        now=now,
        valid_until=valid_until,
        quiet_until=quiet_hours_end(committee, now),
    )
    try:
        with transaction.atomic():
            message.save()
    except IntegrityError:
        # A concurrent caller queued the same key first.
        return Message.objects.get(idempotency_key=idempotency_key)
    if message.status == Status.QUEUED and message.enqueued_at:
        transaction.on_commit(lambda: enqueue(message))
    return message


def settle(
    message: Message,
    *,
    reason: str,
    now: datetime,
    valid_until: datetime | None,
    quiet_until: datetime | None,
) -> None:
    """Decide a new row's fate: skipped with `reason`, or queued with its validity, its
    wait for the end of quiet hours (`quiet_until`, from `quiet_hours_end`) and whether
    it is handed to Celery at once. Writes nothing."""
    if not reason:
        if message.urgency == Urgency.URGENT:
            message.expires_at = min(filter(None, [now + urgent_validity(), valid_until]))
        else:
            message.expires_at = valid_until
            if message.kind == Kind.STANDARD and message.channel == Channel.SMS:
                message.not_before = quiet_until
        if message.expires_at and message.not_before and message.not_before >= message.expires_at:
            reason = reasons.QUIET_HOURS
    if reason:
        message.status, message.status_reason, message.final_at = Status.SKIPPED, reason, now
    else:
        message.enqueued_at = now if hands_over_now(message, now) else None


def message_draft(
    *,
    committee,
    person,
    kind,
    channel,
    purpose,
    template,
    language,
    urgency,
    to,
    text,
    idempotency_key,
    conversation,
    now,
    to_hash=None,
) -> Message:
    """The unsaved outbox row for one rendered `text` to the address `to` (one shape for
    `message_queue` and `message_queue_many`)."""
    return Message(
        committee=committee,
        person=person,
        kind=kind,
        channel=channel,
        purpose=purpose,
        template=template,
        language=language,
        urgency=urgency,
        to_address=to,
        to_hash=to_hash if to_hash is not None else (lookup_hash(to) if to else ""),
        subject=text.subject,
        body=text.body,
        encoding=text.encoding,
        segments=text.segments,
        idempotency_key=idempotency_key,
        conversation=conversation,
        created_at=now,
    )


def skip_reason(message: Message, *, flags=None, consented: bool | None = None) -> str:
    """Why `message` must not be sent now (checked when queued and again when sent).

    `flags` (the active NumberFlag kinds of its number in its committee) and
    `consented` (consent for its purpose on its channel) are looked up here unless
    the caller fetched them for many messages at once (`message_queue_many`).
    """
    if not message.to_address:
        return reasons.NO_PHONE if message.channel == Channel.SMS else reasons.NO_EMAIL
    if message.channel == Channel.SMS:
        if flags is None:
            flags = set(
                NumberFlag.objects.filter(
                    committee_id=message.committee_id,
                    phone_hash=message.to_hash,
                    active=True,
                    kind__in=[NumberFlag.Kind.INVALID, NumberFlag.Kind.OPTED_OUT],
                ).values_list("kind", flat=True)
            )
        # Compliance answers (STOP/START/HELP confirmations) still reach an opted-out number.
        if message.kind != Kind.COMPLIANCE and NumberFlag.Kind.OPTED_OUT in flags:
            return reasons.OPTED_OUT
        if NumberFlag.Kind.INVALID in flags:
            return reasons.BAD_NUMBER
    if message.kind in (Kind.STANDARD, Kind.REPLY):
        if message.person_id is None:
            return reasons.NO_CONSENT
        if consented is None:
            consented = may_contact(
                person=message.person, purpose=message.purpose, channel=message.channel
            )
        if not consented:
            return reasons.NO_CONSENT
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
    naive = datetime.combine(day, end)
    # Wall-clock 08:00 in the committee's zone, whatever the DST offset that day.
    return naive.replace(tzinfo=local.tzinfo).astimezone(ZoneInfo("UTC"))


def _as_time(value) -> time:
    return value if isinstance(value, time) else time.fromisoformat(str(value))


# --- Handing over to Celery ------------------------------------------------------------


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


def enqueue_many(messages) -> int:
    """Hand many (pk, urgency) rows over; stop at the first broker failure.

    A row may carry a third item, its `not_before`: a task for it then waits until
    then (delivery refuses a message before its time). Marks the ones handed over,
    in one statement per thousand. Returns how many.
    """
    from ..tasks import deliver

    handed: list[int] = []
    try:
        for pk, urgency, *deferred in messages:
            countdown = None
            if deferred and deferred[0]:
                countdown = (deferred[0] - timezone.now()).total_seconds()
            deliver.apply_async(
                args=[pk],
                queue=QUEUES[urgency],
                countdown=countdown if countdown and countdown > 0 else None,
                retry=True,
                retry_policy={"max_retries": 1, "interval_start": 0.1, "interval_step": 0.2},
            )
            handed.append(pk)
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


# --- Conversations ------------------------------------------------------------------------


def conversation_open(
    *, person, kind: str, object_id: int, open_for: timedelta, purpose: str | None = None
) -> Conversation:
    """Record that we asked `person` something; their reply goes to `kind`'s handler.

    A numbered question gets the person's lowest free block of reply numbers
    (`conversation.codes`, see notifications.routing); the caller's text must offer
    those numbers. Asking again about the same object closes the earlier question.
    The handler's answer is sent for `purpose` (default: reminders), under the
    person's consent for it.
    """
    return conversations_open(
        kind=kind, openings=[(person, object_id, open_for)], purpose=purpose, bulk=False
    )[0]


def conversations_open(
    *, kind: str, openings: list, purpose: str | None = None, bulk: bool = True
) -> list[Conversation]:
    """`conversation_open` for many (person, object id, open for): a constant number of
    statements. The people's rows are locked (in id order) so that two questions opened
    at once for one person never share reply numbers."""
    from lib.bulk import bulk_insert
    from members.models import Person

    from .. import routing

    if not openings:
        return []
    now = timezone.now()
    person_ids = sorted({person.pk for person, _object_id, _open_for in openings})
    list(Person.objects.select_for_update().filter(pk__in=person_ids).order_by("pk").values("pk"))
    object_ids = [object_id for _person, object_id, _open_for in openings]
    Conversation.objects.filter(
        person_id__in=person_ids, kind=kind, object_id__in=object_ids, open_until__gt=now
    ).update(open_until=now)
    taken: dict[int, list[tuple[int, int]]] = {}
    if routing.HANDLERS.get(kind) and routing.HANDLERS[kind].choices:
        for person_id, other_kind, base in Conversation.objects.filter(
            person_id__in=person_ids, open_until__gt=now, code_base__isnull=False
        ).values_list("person_id", "kind", "code_base"):
            size = routing.HANDLERS[other_kind].choices if other_kind in routing.HANDLERS else 2
            taken.setdefault(person_id, []).append((base, size))
    fields = {"purpose": purpose} if purpose else {}
    rows = []
    for person, object_id, open_for in openings:
        base = routing.free_code_base(kind, taken.get(person.pk, []))
        if base is not None:
            taken.setdefault(person.pk, []).append((base, routing.HANDLERS[kind].choices))
        rows.append(
            Conversation(
                committee_id=person.committee_id,
                person=person,
                kind=kind,
                object_id=object_id,
                open_until=now + open_for,
                code_base=base,
                **fields,
            )
        )
    if not bulk:
        rows[0].save()
        return rows
    return bulk_insert(rows)
