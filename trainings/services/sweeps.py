"""Periodic sweeps (every few minutes): lapse the seat offers whose time ran out, and
queue the day-before and hour-before reminders that are due."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection, transaction
from django.db.models import Exists, F, OuterRef
from django.utils import timezone

from .. import messaging
from ..models import (
    Registration,
    RegistrationStatus,
    Training,
)
from .common import _fill_free_seats, _lock_training
from .offers import _lapse


def offers_expire(*, now: datetime | None = None, limit: int = 500) -> int:
    """Lapse the offers whose time ran out and offer those seats to the next people.
    Safe to run twice or concurrently: each training is re-read under its lock."""
    now = now or timezone.now()
    training_ids = list(
        Registration.objects.filter(
            status=RegistrationStatus.OFFERED,
            offer_expires_at__lte=now,
            training__cancelled_at__isnull=True,
        )
        .order_by("offer_expires_at")
        .values_list("training_id", flat=True)[:limit]
    )
    lapsed = 0
    for training_id in dict.fromkeys(training_ids):
        with transaction.atomic():
            training = _lock_training(training_id)
            for registration in Registration.objects.select_for_update().filter(
                training=training, status=RegistrationStatus.OFFERED, offer_expires_at__lte=now
            ):
                _lapse(registration, now)
                lapsed += 1
            _fill_free_seats(training, now)
    return lapsed


@dataclass(frozen=True)
class ReminderRule:
    field: str  # the registration's "sent" mark
    lead: timedelta  # sent once the start is this close...
    latest: timedelta  # ...and no later than this before the start (a late sweep skips it)
    send: object  # (registrations, now): queue the reminder to all of them


REMINDER_RULES = {
    "day_before": ReminderRule(
        "day_before_sent_at",
        timedelta(hours=24),
        timedelta(hours=3),
        lambda registrations, now: messaging.send_reminders(
            registrations, reminder="day_before", now=now
        ),
    ),
    "hour_before": ReminderRule(
        "hour_before_sent_at",
        timedelta(hours=1),
        timedelta(minutes=10),
        lambda registrations, now: messaging.send_reminders(
            registrations, reminder="hour_before", now=now
        ),
    ),
}
# Reminders claimed and queued per transaction, and per sweep (`reminders_send`'s limit):
# a batch takes the same dozen statements whatever its size, so a sweep of 10,000 is one
# batch. It keeps its trainings locked until it commits (about a second for 10,000
# here), and sign-ups to them wait that long.
REMINDER_BATCH = 10_000


def reminders_send(
    *, now: datetime | None = None, limit: int = 10_000, batch_size: int = REMINDER_BATCH
) -> dict[str, int]:
    """Queue the day-before and hour-before reminders that are due, at most `limit` of
    each kind (the rest go at the next sweep). Returns how many of each were claimed.

    Each batch is one transaction: `_claim_due` claims up to `batch_size` due
    registrations, and their outbox rows are written in the same transaction by
    `messaging.send_reminders`; a batch takes a dozen statements whatever its size.
    A claimed registration is marked with the reminder and its message has a
    deterministic idempotency key, so a sweep running twice, concurrently or late
    never queues one twice; a sweep that dies mid-batch rolls the claim back with the
    messages. A reminder whose window has passed (the sweep was down) is not sent
    late. People who got their seat after a window opened just
    had a confirmation: they skip that one.
    """
    now = now or timezone.now()
    sent = {}
    for kind, rule in REMINDER_RULES.items():
        count = 0
        while count < limit:
            size = min(batch_size, limit - count)
            with transaction.atomic():
                claimed = _claim_due(rule, now=now, limit=size)
                if claimed:
                    rule.send(_reminded(claimed), now)
            count += len(claimed)
            if len(claimed) < size:
                break
        sent[kind] = count
    return sent


def _reminded(registration_ids: list[int]) -> list[Registration]:
    """The claimed registrations with their people, sharing one training object (and
    its committee) per training: two queries, and no copy of a training per person."""
    registrations = list(
        Registration.objects.filter(pk__in=registration_ids)
        .select_related("person")
        # What the reminders need. Not the phone or email: the outbox copies them,
        # encrypted, from the person's row; their lookup hashes tell whether they exist.
        .only(
            "training_id",
            "status",
            "person__committee_id",
            "person__language",
            "person__phone_hash",
            "person__email_hash",
        )
        .order_by("training__starts_at", "id")
    )
    trainings = Training.objects.select_related("committee").in_bulk(
        {r.training_id for r in registrations}
    )
    for registration in registrations:
        registration.training = trainings[registration.training_id]
        if registration.person.committee_id == registration.training.committee_id:
            registration.person.committee = registration.training.committee
    return registrations


def _claim_due(rule: ReminderRule, *, now: datetime, limit: int) -> list[int]:
    """Mark up to `limit` due registrations with `rule`'s reminder; return their ids.

    Two statements. The first locks the trainings that have reminders due, in id
    order, as every service does before touching their registrations: a cancellation
    or a change of time in progress is waited for, and until this transaction ends no
    one can cancel or move them. The second, which sees what those committed, re-checks
    the training (not cancelled, still inside the window) with the registration and
    marks them in one `UPDATE … WHERE id IN (SELECT … FOR UPDATE SKIP LOCKED) RETURNING`:
    rows another sweep is claiming at that moment are skipped, and one it has claimed
    no longer matches. So a training cancelled or moved while the sweep runs gets no
    reminder for its old time, and no reminder is claimed twice.
    """
    window = {
        "cancelled_at__isnull": True,
        "starts_at__gt": now + rule.latest,
        "starts_at__lte": now + rule.lead,
    }
    due = Registration.objects.filter(
        status=RegistrationStatus.REGISTERED,
        registered_at__lte=F("training__starts_at") - rule.lead,
        **{f"{rule.field}__isnull": True},
    )
    trainings = list(
        Training.objects.select_for_update(no_key=True)
        .filter(Exists(due.filter(training=OuterRef("pk"))), **window)
        .order_by("id")
        .values_list("id", flat=True)
    )
    if not trainings:
        return []
    claimable = (
        due.filter(
            training_id__in=trainings, **{f"training__{name}": v for name, v in window.items()}
        )
        .select_for_update(skip_locked=True, of=("self",))
        .order_by("training__starts_at", "id")
        .values_list("id", flat=True)[:limit]
    )
    select, params = claimable.query.sql_with_params()
    quote = connection.ops.quote_name
    table = quote(Registration._meta.db_table)
    mark = quote(Registration._meta.get_field(rule.field).column)
    # Names from the model, values as parameters: no outside text in this SQL.
    update = (
        f"UPDATE {table} SET {mark} = %s WHERE {quote('id')} IN ({select}) "  # noqa: S608
        f"RETURNING {quote('id')}"
    )
    with connection.cursor() as cursor:
        cursor.execute(update, (now, *params))
        return [row[0] for row in cursor.fetchall()]
