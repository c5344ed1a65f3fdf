"""Group messages: a coordinator writes one text per language for a filtered group.

A broadcast is saved as a draft first and sent only when the coordinator confirms it.
Sending writes every message row in a few statements (bulk insert, not one per
person) and hands Celery a single fan-out task, so the confirming page returns at
once whatever the size of the group.
"""

from __future__ import annotations

import logging

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection, transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.access import Action, Viewer
from members.consent import Channel
from members.models import Person

from .. import reasons
from ..models import SEARCH_PARAM, Broadcast, Kind, Message, Status, Urgency
from ..rendering import render
from ..selectors import compose_recipients, reachable
from .handover import BROKER_ERRORS, QUEUES, enqueue_many, hands_over_now
from .outbox import quiet_hours_end

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
    """Save a group message waiting for the coordinator's confirmation. Sends nothing.

    A searched name, phone or email is stored encrypted, apart from the filter's other
    (non-personal) values."""
    actor.require(Action.SEND_MESSAGES)
    recipient_filter = dict(recipient_filter)
    search = str(recipient_filter.pop(SEARCH_PARAM, "") or "").strip()
    return Broadcast.objects.create(
        committee=actor.committee,
        created_by=actor.membership,
        channel=channel,
        purpose=purpose,
        text_en=text_en.strip(),
        text_es=text_es.strip(),
        recipient_filter=recipient_filter,
        recipient_search=search or None,
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
    row per reachable recipient, written by a single INSERT … SELECT whatever the size
    of the group, and one fan-out task on commit.
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
        compose_recipients(viewer=actor, params=broadcast.recipient_params()),
        purpose=broadcast.purpose,
        channel=broadcast.channel,
    )
    languages = set(people.order_by().values_list("language", flat=True).distinct())
    if any(not broadcast.text_for(language) for language in languages):
        raise ValidationError(_("Write the message in every language of its recipients."))
    rendered = {
        language: broadcast_render(
            committee=committee,
            channel=broadcast.channel,
            language=language,
            text=broadcast.text_for(language),
        )
        for language in sorted(languages)
    }
    not_before = quiet_hours_end(committee, now) if broadcast.channel == Channel.SMS else None
    enqueued_at = now if hands_over_now(Message(not_before=not_before), now) else None
    count = _insert_messages(
        broadcast=broadcast,
        recipients=people.order_by().values("id"),
        rendered=rendered,
        fields={
            "committee_id": committee.pk,
            "kind": Kind.STANDARD,
            "channel": broadcast.channel,
            "purpose": broadcast.purpose,
            "template": TEMPLATE,
            "urgency": Urgency.BULK,
            "broadcast_id": broadcast.pk,
            "status": Status.QUEUED,
            "created_at": now,
            "updated_at": now,
            "not_before": not_before,
            "enqueued_at": enqueued_at,
        },
    )
    Broadcast.objects.filter(pk=broadcast.pk).update(recipient_count=count)
    if count and enqueued_at:
        transaction.on_commit(lambda: _fan_out_later(broadcast.pk))
    logger.info("broadcast %s: %s message(s) queued", broadcast.pk, count)
    return count


def _insert_messages(*, broadcast, recipients, rendered: dict, fields: dict) -> int:
    """Write one outbox row per recipient in one INSERT … SELECT; returns the row count.

    Nothing personal passes through Python: the address is the person's own encrypted
    phone or email (same Fernet keys as every encrypted field) and its lookup hash is
    theirs too. The text, identical for everyone who shares a language, is encrypted
    once per language. Columns not named here take their model default.
    """
    email = broadcast.channel == Channel.EMAIL
    person = {f.name: f.column for f in Person._meta.concrete_fields}
    qn = connection.ops.quote_name
    exprs: dict[str, tuple[str, list]] = {
        "person_id": (f"p.{qn(person['id'])}", []),
        "language": (f"p.{qn(person['language'])}", []),
        "to_address": (f"p.{qn(person['email' if email else 'phone'])}", []),
        "to_hash": (f"p.{qn(person['email_hash' if email else 'phone_hash'])}", []),
        "idempotency_key": (
            f"%s || CAST(p.{qn(person['id'])} AS VARCHAR(20))",
            [f"broadcast:{broadcast.pk}:"],
        ),
    }
    for name in ("subject", "body", "encoding", "segments"):
        field = Message._meta.get_field(name)
        whens, params = [], []
        for language, text in rendered.items():
            whens.append("WHEN %s THEN %s")
            params += [language, field.get_db_prep_save(getattr(text, name), connection)]
        exprs[field.column] = (
            f"CASE p.{qn(person['language'])} {' '.join(whens)} ELSE NULL END" if whens else "NULL",
            params,
        )
    columns, values, params = [], [], []
    for field in Message._meta.concrete_fields:
        if field.primary_key:
            continue
        columns.append(qn(field.column))
        if field.column in exprs:
            sql, extra = exprs[field.column]
            values.append(sql)
            params += extra
        else:
            value = fields[field.attname] if field.attname in fields else field.get_default()
            values.append("%s")
            params.append(field.get_db_prep_save(value, connection))
    subquery, sub_params = recipients.query.sql_with_params()
    # Only quoted identifiers from model metadata and the ORM's own compiled SQL are
    # interpolated; every value is a query parameter.
    pk = f"p.{qn(person['id'])}"
    sql = (
        f"INSERT INTO {qn(Message._meta.db_table)} ({', '.join(columns)}) "  # noqa: S608
        f"SELECT {', '.join(values)} FROM {qn(Person._meta.db_table)} p "
        f"WHERE {pk} IN ({subquery}) ORDER BY {pk}"
    )
    with connection.cursor() as cursor:
        cursor.execute(sql, [*params, *sub_params])
        return cursor.rowcount


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
        .values_list("pk", "urgency", "not_before")  # quiet hours ending soon: a countdown
    )
    handed = enqueue_many(rows)
    if handed < len(rows):
        left = [pk for pk, *_rest in rows[handed:]]
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


# Statuses of a message still on its way: a broadcast with none of them has finished.
IN_FLIGHT = (Status.QUEUED, Status.SENDING, Status.UNKNOWN)


def broadcasts_finish(*, broadcast_ids: list[int] | None = None, now=None) -> int:
    """Mark sending broadcasts whose messages have all left (delivered, failed, skipped,
    expired or sent without a status to wait for) as finished. Run by the outbox sweep
    and by the progress page; safe to run any number of times. Returns how many."""
    in_flight = Message.objects.filter(broadcast=OuterRef("pk"), status__in=IN_FLIGHT)
    finished = Broadcast.objects.filter(state=Broadcast.State.QUEUED).exclude(Exists(in_flight))
    if broadcast_ids is not None:
        finished = finished.filter(pk__in=broadcast_ids)
    return finished.update(state=Broadcast.State.FINISHED, finished_at=now or timezone.now())
