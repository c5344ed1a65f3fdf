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

from lib.crypto import lookup_hash
from members.consent import Channel, consented_channels, may_contact

from .. import reasons
from ..models import Conversation, Kind, Message, NumberFlag, Status, Urgency
from ..rendering import render
from .handover import enqueue, hands_over_now

logger = logging.getLogger("notifications")


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
    language. Without `channel`, the channel is chosen by consent (`channel_pick`): SMS
    if the person has a phone and agreed to texts for `purpose`, else email if they
    have an address and agreed to email for it. Without consent for `purpose` on the
    channel, with an opted-out or bad number, or without an address, the row is written
    as *skipped* with the reason and nothing is sent. A non-urgent SMS in the
    committee's quiet hours waits for them to end; if that is later than `valid_until`,
    it is skipped. Calling again with the same `idempotency_key` returns the existing
    row and sends nothing more.
    """
    existing = Message.objects.filter(idempotency_key=idempotency_key).first()
    if existing is not None:
        return existing
    consented = None
    if channel is None:
        agreed = consented_for(person_ids=[person.pk], purpose=purpose).get(person.pk, set())
        channel = channel_pick(person, agreed) or default_channel(person)
        consented = channel in agreed
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
        consented=consented,
    )


def default_channel(person) -> str:
    """The channel a message goes on when the person agreed to none: the row is then
    written as skipped for want of consent."""
    return Channel.SMS if person.phone else Channel.EMAIL


def channel_pick(person, consented, channels=None) -> str | None:
    """SMS if the person has a phone and `consented` (the channels on which they agreed
    to the message's purpose) includes SMS, else email likewise, else None. `channels`,
    when given, limits the choice (say, to the addresses a person typed in themselves)."""
    allowed = set(channels) if channels is not None else {Channel.SMS, Channel.EMAIL}
    if Channel.SMS in allowed and person.phone and Channel.SMS in consented:
        return Channel.SMS
    if Channel.EMAIL in allowed and person.email and Channel.EMAIL in consented:
        return Channel.EMAIL
    return None


def channel_choose(*, person, purpose: str, channels=None) -> str | None:
    """`channel_pick` for one person and purpose (one query)."""
    agreed = consented_for(person_ids=[person.pk], purpose=purpose).get(person.pk, set())
    return channel_pick(person, agreed, channels)


def consented_for(*, person_ids, purpose: str) -> dict[int, set[str]]:
    """{person id: the channels on which they agree to `purpose`}, in one query."""
    agreed: dict[int, set[str]] = {}
    for person_id, channel in consented_channels(person_ids=person_ids, purpose=purpose):
        agreed.setdefault(person_id, set()).add(channel)
    return agreed


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
    consented: bool | None = None,
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
    reason = skip_reason(message, consented=consented)
    if not reason and channel == Channel.SMS and to and not committee.texts_number(str(to)):
        # Only the countries the committee texts (Committee.sms_countries): texts abroad
        # are what SMS pumping makes a committee pay for.
        reason = reasons.COUNTRY
    settle(
        message,
        reason=reason,
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
