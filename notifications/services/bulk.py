"""Writing many messages to the outbox at once (reminder sweeps and the like).

`message_queue_many()` is `message_queue()` for a list of people sharing one template
and purpose, in a constant number of queries whatever their number. Each person gets
the same rules as from `message_queue`: consent for the purpose on the channel, the
number's opt-out and bad-number flags, quiet hours, the validity, their language, and
the idempotency key (a key already used writes and sends nothing more). Skipped rows
are written with their reason. It must run inside the caller's transaction, so the
rows are written, or not, with the change that caused them; the rows written are handed
to Celery by one fan-out task when that transaction commits. If Redis is down then,
they wait with `enqueued_at` empty and the outbox sweep hands them over later.
"""

from __future__ import annotations

import logging
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta

from django.conf import settings
from django.db import IntegrityError, connection, transaction
from django.utils import timezone

from lib.bulk import BATCH, bulk_insert, insert_arrays
from members.consent import Channel
from members.models import Person

from ..models import Conversation, Kind, Message, NumberFlag, Status, Urgency
from ..rendering import Rendered, normalise_sms, render, sms_encoding
from .conversations import conversations_open
from .handover import BROKER_ERRORS, QUEUES, enqueue_many
from .outbox import (
    consented_for,
    message_draft,
    quiet_hours_end,
    settle,
    skip_reason,
)

logger = logging.getLogger("notifications")

# Stands in for a per-person value while a shared text is rendered: a private-use
# character, which no template contains and the SMS normalisation leaves alone.
MARK = "\ue000"
# Stands in for an address `_insert` copies from the person's row (see `_drafts`).
COPIED = "\ue001"


@dataclass(frozen=True)
class Recipient:
    """One person `message_queue_many` writes to.

    `context` is the template context of everyone whose text is the same but for
    `fill`: pass the very same dict object to all of them, and the template is rendered
    once for it per committee, language and channel. `fill` holds the values that
    differ per person (a link); the template must print each as it is (`{{ link }}`),
    since it is put into the rendered text afterwards. For the same reason the person
    is not in the rendering context. `channel` None chooses it by consent, as
    `message_queue` does (`channel_pick`). Load the people with their committee
    (`select_related`), or each one costs a query. On PostgreSQL their phone and email
    are not read (only `phone_hash` and `email_hash`): people loaded with
    `only(..., "phone_hash", "email_hash")` cost no decryption.
    """

    person: object
    idempotency_key: str
    context: Mapping = field(default_factory=dict)
    fill: Mapping[str, str] = field(default_factory=dict)
    channel: str | None = None
    conversation: Conversation | None = None
    valid_until: datetime | None = None


def message_queue_many(
    *,
    purpose: str,
    template: str,
    recipients: Iterable[Recipient],
    urgency: str = Urgency.NORMAL,
) -> list[Message]:
    """Write one outbox row per recipient and hand the sendable ones to Celery on commit.

    Same rules and results per person as `message_queue` (see the module docstring).
    Returns one message per distinct idempotency key, in the recipients' order: the row
    written now, or the one written earlier under that key (nothing more is sent for
    it). Queries: keys already used, consents, number flags (each one query), the
    rows (on PostgreSQL one `INSERT … SELECT … ON CONFLICT DO NOTHING` whatever their
    number, the address copied encrypted from the person's row; elsewhere one INSERT
    per thousand, in a savepoint); on commit, one fan-out task.
    """
    unique: dict[str, Recipient] = {}
    for recipient in recipients:
        unique.setdefault(recipient.idempotency_key, recipient)
    if not unique:
        return []
    keys = list(unique)
    by_key = {m.idempotency_key: m for m in Message.objects.filter(idempotency_key__in=keys)}
    now = timezone.now()
    drafts = _drafts(
        [r for key, r in unique.items() if key not in by_key],
        purpose=purpose,
        template=template,
        urgency=urgency,
        now=now,
    )
    written = _insert(drafts)
    by_key.update((m.idempotency_key, m) for m in written)
    if len(written) < len(drafts):
        # A concurrent caller used some of the keys first: theirs are the messages.
        missing = [m.idempotency_key for m in drafts if m.idempotency_key not in by_key]
        by_key.update(
            (m.idempotency_key, m) for m in Message.objects.filter(idempotency_key__in=missing)
        )
    handed = [m.pk for m in written if m.status == Status.QUEUED and m.enqueued_at]
    if handed:
        transaction.on_commit(lambda: _fan_out(handed, urgency))
    return [by_key[key] for key in keys if key in by_key]


def _drafts(
    recipients: list[Recipient], *, purpose: str, template: str, urgency: str, now: datetime
) -> list[Message]:
    """The unsaved rows, each already decided (skipped with its reason, or queued).

    On PostgreSQL the address is not read here: whether the person has one is told by
    its lookup hash, and `_insert` copies the encrypted address from their row. So a
    person loaded without their phone and email (`only(..., "phone_hash",
    "email_hash")`) costs no decryption."""
    copied = connection.vendor == "postgresql"
    agreed = consented_for(
        person_ids={recipient.person.pk for recipient in recipients}, purpose=purpose
    )
    addressed = []
    for recipient in recipients:
        person = recipient.person
        channel = recipient.channel or _pick(person, agreed.get(person.pk, set()))
        to_hash = person.phone_hash if channel == Channel.SMS else person.email_hash
        if copied:
            address = COPIED if to_hash else ""
        else:
            address = str(person.phone or "") if channel == Channel.SMS else (person.email or "")
        addressed.append((recipient, channel, address, to_hash or ""))
    flags = _number_flags(
        {
            (recipient.person.committee_id, to_hash)
            for recipient, channel, _address, to_hash in addressed
            if channel == Channel.SMS and to_hash
        }
    )
    texts: dict[tuple, Rendered] = {}
    quiet: dict[int, datetime | None] = {}
    messages = []
    for recipient, channel, address, to_hash in addressed:
        person = recipient.person
        committee = person.committee
        text = _text(texts, recipient, template=template, committee=committee, channel=channel)
        message = message_draft(
            committee=committee,
            person=person,
            kind=Kind.STANDARD,
            channel=channel,
            purpose=purpose,
            template=template,
            language=person.language,
            urgency=urgency,
            to=address,
            to_hash=to_hash,
            text=text,
            idempotency_key=recipient.idempotency_key,
            conversation=recipient.conversation,
            now=now,
        )
        if committee.pk not in quiet:
            quiet[committee.pk] = quiet_hours_end(committee, now)
        settle(
            message,
            reason=skip_reason(
                message,
                flags=flags.get((committee.pk, to_hash), ()),
                consented=channel in agreed.get(person.pk, ()),
            ),
            now=now,
            valid_until=recipient.valid_until,
            quiet_until=quiet[committee.pk],
        )
        messages.append(message)
    return messages


def _pick(person, agreed: set[str]) -> str:
    """`channel_pick`, else `default_channel`, told by the lookup hashes: the same
    choice (a hash is set exactly when its address is), without decrypting anything."""
    if person.phone_hash and Channel.SMS in agreed:
        return Channel.SMS
    if person.email_hash and Channel.EMAIL in agreed:
        return Channel.EMAIL
    return Channel.SMS if person.phone_hash else Channel.EMAIL


def _number_flags(numbers: set[tuple[int, str]]) -> dict[tuple[int, str], set[str]]:
    """{(committee id, phone hash): active flag kinds} for the given numbers, in one query."""
    flags: dict[tuple[int, str], set[str]] = defaultdict(set)
    if not numbers:
        return flags
    rows = NumberFlag.objects.filter(
        committee_id__in={committee_id for committee_id, _hash in numbers},
        phone_hash__in={phone_hash for _committee_id, phone_hash in numbers},
        active=True,
        kind__in=[NumberFlag.Kind.OPTED_OUT, NumberFlag.Kind.INVALID],
    ).values_list("committee_id", "phone_hash", "kind")
    for committee_id, phone_hash, kind in rows:
        flags[(committee_id, phone_hash)].add(kind)
    return flags


def _text(texts: dict, recipient: Recipient, *, template: str, committee, channel: str):
    """The recipient's text: the shared rendering (made once) with their `fill` put in."""
    language = recipient.person.language
    names = tuple(sorted(recipient.fill))
    key = (id(recipient.context), committee.pk, channel, language, names)
    shared = texts.get(key)
    if shared is None:
        shared = texts[key] = render(
            template=template,
            channel=channel,
            language=language,
            context={
                "committee": committee,
                **recipient.context,
                **{name: f"{MARK}{name}{MARK}" for name in names},
            },
        )
    if not names:
        return shared
    subject, body = shared.subject, shared.body
    for name in names:
        subject = subject.replace(f"{MARK}{name}{MARK}", recipient.fill[name])
        body = body.replace(f"{MARK}{name}{MARK}", recipient.fill[name])
    if MARK in subject or MARK in body:
        raise ValueError(f"{template}: a per-person value must be printed as it is")
    if channel == Channel.SMS:
        body = normalise_sms(body)
        measured = sms_encoding(body)
        return Rendered(
            subject="", body=body, encoding=measured.encoding, segments=measured.segments
        )
    return Rendered(subject=" ".join(subject.split()), body=body.strip())


def _insert(messages: list[Message]) -> list[Message]:
    """Insert the rows; leave out any whose key a concurrent caller has just taken.

    PostgreSQL: one `INSERT … SELECT … ON CONFLICT DO NOTHING` whatever their number,
    the address copied (encrypted) from the person's row; each returned row's address
    is then read from the database when first used. Elsewhere, `bulk_insert` in a
    savepoint, retried without the keys taken."""
    if connection.vendor == "postgresql":
        return _insert_copying_address(messages)
    while messages:
        try:
            with transaction.atomic():
                return bulk_insert(messages)
        except IntegrityError:
            taken = set(
                Message.objects.filter(
                    idempotency_key__in=[m.idempotency_key for m in messages]
                ).values_list("idempotency_key", flat=True)
            )
            if not taken:
                raise  # not a used key: a bug, not a race
            messages = [m for m in messages if m.idempotency_key not in taken]
    return []


def _insert_copying_address(messages: list[Message]) -> list[Message]:
    if not messages:
        return []
    qn = connection.ops.quote_name
    person = {f.name: qn(f.column) for f in Person._meta.concrete_fields}
    fields = [
        f for f in Message._meta.concrete_fields if not f.primary_key and f.name != "to_address"
    ]
    for message in messages:
        message.updated_at = message.created_at  # auto_now, as a save would set it
    written = dict(
        (key, pk)
        for pk, key in insert_arrays(
            Message,
            {f.attname: [getattr(m, f.attname) for m in messages] for f in fields},
            sql={
                "to_address": (
                    f"CASE {{channel}} WHEN '{Channel.SMS.value}' THEN p.{person['phone']} "
                    f"WHEN '{Channel.EMAIL.value}' THEN p.{person['email']} END"
                )
            },
            join=f"LEFT JOIN {qn(Person._meta.db_table)} p ON p.{person['id']} = {{person_id}}",
            conflict=f"ON CONFLICT ({qn('idempotency_key')}) DO NOTHING",
            returning=("id", "idempotency_key"),
        )
    )
    saved = []
    for message in messages:
        pk = written.get(message.idempotency_key)
        if pk is None:
            continue  # a concurrent caller's key
        message.pk = pk
        message._state.adding, message._state.db = False, connection.alias
        # The address is the person's, as stored: read from the row if ever needed.
        message.__dict__.pop("to_address", None)
        saved.append(message)
    return saved


def _fan_out(message_ids: list[int], urgency: str) -> None:
    from ..tasks import deliver_many

    try:
        deliver_many.apply_async(
            args=[message_ids],
            queue=QUEUES[urgency],
            retry=True,
            retry_policy={"max_retries": 1, "interval_start": 0.1, "interval_step": 0.2},
        )
    except BROKER_ERRORS as error:  # the rows are safe in the database
        logger.warning(
            "broker unavailable (%s); %s message(s) left for the outbox sweep",
            type(error).__name__,
            len(message_ids),
        )
        _leave_for_sweep(message_ids)


def _leave_for_sweep(message_ids: list[int]) -> None:
    for start in range(0, len(message_ids), BATCH):  # as many rows per UPDATE as per INSERT
        Message.objects.filter(
            pk__in=message_ids[start : start + BATCH], status=Status.QUEUED
        ).update(enqueued_at=None)


def messages_hand_over(*, message_ids: list[int]) -> int:
    """Hand the still-queued ones of `message_ids` to the broker, one delivery task each
    (the fan-out task of `message_queue_many`). Those the broker did not take are left
    for the outbox sweep. Returns how many were handed over."""
    rows = list(
        Message.objects.filter(pk__in=message_ids, status=Status.QUEUED)
        .order_by("id")
        .values_list("pk", "urgency", "not_before")
    )
    handed = enqueue_many(rows)
    if handed < len(rows):
        _leave_for_sweep([pk for pk, *_rest in rows[handed:]])
    return handed


def conversation_open_many(
    *,
    kind: str,
    openings: Iterable[tuple[object, int, timedelta]],
    purpose: str | None = None,
) -> list[Conversation]:
    """`conversation_open` for many (person, object id, open for) at once, with the same
    reply numbers and rules: one INSERT per thousand. Returns the conversations, saved,
    in the order given."""
    return conversations_open(kind=kind, openings=list(openings), purpose=purpose)


def message_queue_select(
    *,
    people,
    committee,
    purpose: str,
    template: str,
    context: Mapping,
    key_prefix: str,
    urgency: str = Urgency.URGENT,
    conversation_kind: str | None = None,
    conversation_object_id: int | None = None,
    open_until: datetime | None = None,
    valid_until: datetime | None = None,
) -> list[tuple[int, int]]:
    """One SMS per person of the `people` queryset (of `committee`), written by one
    INSERT … SELECT whatever their number: `message_queue_many` for a zone's alert.

    Only those the message can reach are written (`selectors.reachable`: consent for
    `purpose` by SMS, a number, not opted out or flagged invalid); each row's key is
    `key_prefix` + the person's id, and a key already used writes nothing more. Nothing
    personal passes through Python: the address is the person's own encrypted phone and
    its lookup hash, copied in the database; the text is rendered and encrypted once per
    language. With `conversation_kind`, a conversation (not a numbered question) is
    opened per person in one more INSERT … SELECT and the message linked to it, so that
    the replies reach that kind's handler; the object asked about must be new (an
    alert just created): no earlier question about it is closed. Urgent rows ignore
    quiet hours, as from `message_queue`. Returns (person id, message id) of the rows
    written, by person id; on commit, one fan-out task hands them to Celery.
    """
    from members.models import Person

    from .. import routing
    from ..selectors import reachable

    now = timezone.now()
    people = reachable(
        people.filter(committee=committee), purpose=purpose, channel=Channel.SMS
    ).order_by()
    subquery, sub_params = people.values("id").query.sql_with_params()
    qn = connection.ops.quote_name
    column = {f.name: f.column for f in Person._meta.concrete_fields}
    pid = f"p.{qn(column['id'])}"
    person_table = qn(Person._meta.db_table)
    key = f"%s || CAST({pid} AS VARCHAR(20))"
    fresh = (
        f"NOT EXISTS (SELECT 1 FROM {qn(Message._meta.db_table)} m "  # noqa: S608
        f"WHERE m.{qn(Message._meta.get_field('idempotency_key').column)} = {key})"
    )
    joins, join_params = "", []
    exprs: dict[str, tuple[str, list]] = {
        "person_id": (pid, []),
        "language": (f"p.{qn(column['language'])}", []),
        "to_address": (f"p.{qn(column['phone'])}", []),
        "to_hash": (f"p.{qn(column['phone_hash'])}", []),
        "idempotency_key": (key, [key_prefix]),
    }
    with connection.cursor() as cursor:
        if conversation_kind:
            handler = routing.HANDLERS.get(conversation_kind)
            if handler is None or handler.choices:
                raise ValueError(f"{conversation_kind}: not a handler without reply numbers")
            _insert_select(
                cursor,
                Conversation,
                {
                    "committee_id": (f"p.{qn(column['committee'])}", []),
                    "person_id": (pid, []),
                },
                {
                    "kind": conversation_kind,
                    "object_id": conversation_object_id,
                    "purpose": purpose,
                    "open_until": open_until,
                    "created_at": now,
                    "code_base": None,
                },
                f"FROM {person_table} p WHERE {pid} IN ({subquery}) AND {fresh}",
                [*sub_params, key_prefix],
            )
            conversation = {f.name: f.column for f in Conversation._meta.concrete_fields}
            joins = (
                f" JOIN {qn(Conversation._meta.db_table)} c ON c.{qn(conversation['person'])} "
                f"= {pid} AND c.{qn(conversation['kind'])} = %s AND "
                f"c.{qn(conversation['object_id'])} = %s AND "
                f"c.{qn(conversation['created_at'])} = %s"
            )
            join_params = [
                conversation_kind,
                conversation_object_id,
                Conversation._meta.get_field("created_at").get_db_prep_save(now, connection),
            ]
            exprs["conversation_id"] = (f"c.{qn(conversation['id'])}", [])
        # Every language the app speaks: cheaper than asking which ones the people read.
        languages = {code for code, _name in settings.LANGUAGES}
        texts = {
            language: render(
                template=template,
                channel=Channel.SMS,
                language=language,
                context={"committee": committee, **context},
            )
            for language in sorted(languages)
        }
        for name in ("subject", "body", "encoding", "segments"):
            field = Message._meta.get_field(name)
            whens, params = [], []
            for language, text in texts.items():
                whens.append("WHEN %s THEN %s")
                params += [language, field.get_db_prep_save(getattr(text, name), connection)]
            exprs[name] = (
                f"CASE p.{qn(column['language'])} {' '.join(whens)} ELSE NULL END"
                if whens
                else "NULL",
                params,
            )
        probe = Message(urgency=urgency, kind=Kind.STANDARD, channel=Channel.SMS)
        settle(
            probe,
            reason="",
            now=now,
            valid_until=valid_until,
            quiet_until=None if urgency == Urgency.URGENT else quiet_hours_end(committee, now),
        )
        if probe.status == Status.SKIPPED:  # it could only arrive too late
            return []
        return _insert_select(
            cursor,
            Message,
            exprs,
            {
                "committee_id": committee.pk,
                "kind": Kind.STANDARD,
                "channel": Channel.SMS,
                "purpose": purpose,
                "template": template,
                "urgency": urgency,
                "status": Status.QUEUED,
                "created_at": now,
                "updated_at": now,
                "expires_at": probe.expires_at,
                "not_before": probe.not_before,
                "enqueued_at": probe.enqueued_at,
            },
            f"FROM {person_table} p{joins} WHERE {pid} IN ({subquery}) AND {fresh} ORDER BY {pid}",
            [*join_params, *sub_params, key_prefix],
            returning=("person_id", "id"),
            on_commit=lambda rows: [m for _p, m in rows] if probe.enqueued_at else [],
            urgency=urgency,
        )


def _insert_select(
    cursor, model, exprs, fields, tail, tail_params, *, returning=(), on_commit=None, urgency=""
):
    """INSERT INTO model (every column) SELECT exprs / fixed values `tail`. Only quoted
    names from model metadata and compiled SQL are interpolated; values are parameters."""
    qn = connection.ops.quote_name
    columns, values, params = [], [], []
    for model_field in model._meta.concrete_fields:
        if model_field.primary_key:
            continue
        columns.append(qn(model_field.column))
        name = model_field.attname if model_field.attname in exprs else model_field.name
        if name in exprs or model_field.column in exprs:
            sql, extra = exprs.get(name) or exprs[model_field.column]
            values.append(sql)
            params += extra
        else:
            value = fields.get(model_field.attname, model_field.get_default())
            values.append("%s")
            params.append(model_field.get_db_prep_save(value, connection))
    sql = (
        f"INSERT INTO {qn(model._meta.db_table)} ({', '.join(columns)}) "  # noqa: S608
        f"SELECT {', '.join(values)} {tail}"
    )
    if returning:
        sql += " RETURNING " + ", ".join(qn(model._meta.get_field(n).column) for n in returning)
    cursor.execute(sql, [*params, *tail_params])
    if not returning:
        return cursor.rowcount
    rows = sorted((row[0], row[1]) for row in cursor.fetchall())
    if on_commit is not None:
        handed = sorted(on_commit(rows))
        if handed:
            transaction.on_commit(lambda: _fan_out(handed, urgency))
    return rows
