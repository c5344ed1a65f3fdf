"""Reads for the message screens, already scoped to the viewer's committee."""

from __future__ import annotations

from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.access import Viewer, scope
from committees.roles import MembershipStatus
from members.consent import Channel, with_consent
from members.models import Person

from .models import Broadcast, InboundMessage, Message, NumberFlag, Status

ANY = ""
# Who a group message can go to, by membership status. Suspended members never get one.
RECIPIENT_STATUSES = {
    "vetted": MembershipStatus.VETTED,
    "probationary": MembershipStatus.PROBATIONARY,
}


class RecipientFilterError(ValidationError):
    """A saved group no longer means what it meant: refused, never widened."""


def compose_recipients(*, viewer: Viewer, params: dict) -> QuerySet:
    """The people a group message would go to, before consent: the people directory's own
    filter (`members.filters.PersonFilter`: name, language, zone, skill, role, status,
    training, consent, availability), never anyone suspended.

    A FilterSet leaves out a filter whose value is invalid, which widens the group to
    everyone: a zone deleted since the draft, another committee's zone, an unknown role
    or field. Here any such value raises RecipientFilterError instead."""
    from members.filters import PersonFilter

    wanted = {key: value for key, value in params.items() if value not in ("", None, [])}
    people_filter = PersonFilter(wanted, viewer=viewer)
    if set(wanted) - set(PersonFilter.base_filters) or not people_filter.is_valid():
        raise RecipientFilterError(
            _(
                "This group of recipients no longer means what it did (a zone, skill or "
                "other choice in it was removed or is not this committee's). Nothing was "
                "sent: write the message again for the group you want."
            )
        )
    matching = people_filter.qs.order_by().values("pk")
    return (
        scope(Person.objects.all(), viewer)
        .filter(pk__in=matching)
        .exclude(membership__status=MembershipStatus.SUSPENDED)
    )


def reachable(people: QuerySet, *, purpose: str, channel: str) -> QuerySet:
    """Those of `people` a message for `purpose` on `channel` can reach now: consent, an
    address, and (SMS) a number that has not opted out or been found unable to text."""
    people = with_consent(people, purpose=purpose, channel=channel)
    if channel == Channel.SMS:
        blocked = NumberFlag.objects.filter(
            committee=OuterRef("committee"), phone_hash=OuterRef("phone_hash"), active=True
        )
        return people.exclude(phone_hash="").exclude(Exists(blocked))
    return people.exclude(email_hash="")


def recipient_summary(*, viewer: Viewer, params: dict, purpose: str, channel: str) -> dict:
    """How many people match the filter, and how many of them the message can reach,
    by language. Two queries whatever the numbers."""
    people = compose_recipients(viewer=viewer, params=params)
    matching = people.count()
    by_language = {
        row["language"]: row["n"]
        for row in reachable(people, purpose=purpose, channel=channel)
        .order_by()
        .values("language")
        .annotate(n=Count("id"))
    }
    return {
        "matching": matching,
        "reachable": sum(by_language.values()),
        "by_language": by_language,
    }


def broadcast_list(*, viewer: Viewer) -> QuerySet:
    return scope(Broadcast.objects.all(), viewer).select_related("created_by__person")


def broadcast_list_with_counts(*, viewer: Viewer) -> QuerySet:
    """The list page: each broadcast with its messages counted by outcome (one query)."""

    def counted(*statuses):
        return Count("messages", filter=Q(messages__status__in=statuses))

    return (
        broadcast_list(viewer=viewer)
        .order_by("-created_at", "-id")
        .annotate(
            message_total=Count("messages"),
            message_waiting=counted(Status.QUEUED, Status.SENDING, Status.UNKNOWN),
            message_done=counted(
                Status.SENT,
                Status.DELIVERED,
                Status.FAILED,
                Status.UNDELIVERED,
                Status.EXPIRED,
                Status.SKIPPED,
                Status.CANCELLED,
            ),
            message_reached=counted(Status.SENT, Status.DELIVERED),
            message_failed=counted(Status.FAILED, Status.UNDELIVERED, Status.EXPIRED),
            message_skipped=counted(Status.SKIPPED, Status.CANCELLED),
        )
    )


def broadcast_progress(*, broadcast: Broadcast) -> dict:
    """Counts of the broadcast's messages by status, in one query."""
    counts = {
        row["status"]: row["n"]
        for row in Message.objects.filter(broadcast=broadcast)
        .order_by()
        .values("status")
        .annotate(n=Count("id"))
    }
    total = sum(counts.values())
    waiting = sum(counts.get(s, 0) for s in (Status.QUEUED, Status.SENDING, Status.UNKNOWN))
    reached = counts.get(Status.SENT, 0) + counts.get(Status.DELIVERED, 0)
    rows = [(Status(status), counts[status]) for status in Status.values if counts.get(status)]
    failed = sum(counts.get(s, 0) for s in (Status.FAILED, Status.UNDELIVERED, Status.EXPIRED))
    skipped = counts.get(Status.SKIPPED, 0) + counts.get(Status.CANCELLED, 0)
    return {
        "total": total,
        "waiting": waiting,
        "reached": reached,
        "failed": failed,
        "skipped": skipped,
        "done": total - waiting,
        "finished": total > 0 and waiting == 0 or broadcast.state == Broadcast.State.CANCELLED,
        "rows": rows,
    }


def person_messages(*, viewer: Viewer, person: Person) -> QuerySet:
    return scope(Message.objects.all(), viewer).filter(person=person).order_by("-created_at", "-id")


def person_inbound(*, viewer: Viewer, person: Person) -> QuerySet:
    return (
        scope(InboundMessage.objects.all(), viewer)
        .filter(person=person)
        .order_by("-received_at", "-id")
    )


def unmatched_inbound(*, viewer: Viewer, include_resolved: bool = False) -> QuerySet:
    rows = (
        scope(InboundMessage.objects.all(), viewer)
        .filter(outcome=InboundMessage.Outcome.UNMATCHED)
        .select_related("person", "resolved_by__person")
        .order_by("-received_at", "-id")
    )
    if not include_resolved:
        rows = rows.filter(resolved_at__isnull=True)
    return rows


def number_flags(*, viewer: Viewer, kind: str = "") -> QuerySet:
    """Active opt-outs and bad numbers, with the name of a person who has the number."""
    flags = scope(NumberFlag.objects.all(), viewer).filter(active=True)
    if kind in NumberFlag.Kind.values:
        flags = flags.filter(kind=kind)
    holder = Person.objects.filter(
        committee=OuterRef("committee"), phone_hash=OuterRef("phone_hash")
    ).order_by("id")
    return flags.annotate(
        person_name=Subquery(holder.values("preferred_name")[:1]),
        person_id=Subquery(holder.values("pk")[:1]),
    ).order_by("-changed_at", "-id")


PROBLEM_STATUSES = (Status.FAILED, Status.UNDELIVERED, Status.UNKNOWN, Status.EXPIRED)


def outbox_list(*, viewer: Viewer, status: str = "") -> QuerySet:
    messages = scope(Message.objects.all(), viewer).select_related("person")
    if status == "problems":
        messages = messages.filter(status__in=PROBLEM_STATUSES)
    elif status in Status.values:
        messages = messages.filter(status=status)
    return messages.order_by("-created_at", "-id")


def attention_counts(*, viewer: Viewer) -> dict:
    """What the dashboard panel shows: unanswered replies, recent problems. Two queries."""
    since = timezone.now() - timedelta(days=7)
    unmatched = unmatched_inbound(viewer=viewer).count()
    problems = scope(Message.objects.all(), viewer).aggregate(
        failed=Count("id", filter=Q(status__in=PROBLEM_STATUSES, created_at__gte=since)),
        waiting=Count("id", filter=Q(status__in=(Status.QUEUED, Status.SENDING))),
    )
    return {"unmatched": unmatched, **problems}
