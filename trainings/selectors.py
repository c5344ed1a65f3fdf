"""Reads for training screens, scoped to what the viewer may see, with the counts each
page needs computed in the same query (no query per row)."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db.models import (
    Case,
    Count,
    IntegerField,
    OuterRef,
    Q,
    QuerySet,
    Subquery,
    Value,
    When,
)
from django.utils import timezone

from committees.access import Viewer, scope
from members.models import Person

from .models import (
    SEAT_STATUSES,
    Registration,
    RegistrationStatus,
    Training,
    Visibility,
)

SEATS = Q(registrations__status__in=SEAT_STATUSES)


def with_counts(trainings: QuerySet) -> QuerySet:
    """Seats taken, waitlist length and attendance, per training, in one query."""
    return trainings.annotate(
        seats_taken=Count("registrations", filter=SEATS),
        waitlist_count=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.WAITLISTED)
        ),
        attended_count=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.ATTENDED)
        ),
        no_show_count=Count(
            "registrations", filter=Q(registrations__status=RegistrationStatus.NO_SHOW)
        ),
    )


def _with_viewer_status(trainings: QuerySet, person: Person | None) -> QuerySet:
    if person is None:
        return trainings.annotate(my_status=Value(""))
    return trainings.annotate(
        my_status=Subquery(
            Registration.objects.filter(training=OuterRef("pk"), person=person).values("status")[:1]
        )
    )


def trainings_for_member(*, viewer: Viewer, past: bool = False, now=None) -> QuerySet:
    """The committee's trainings a member may see (public and members-only), with their
    counts and the viewer's own status."""
    now = now or timezone.now()
    trainings = scope(Training.objects.all(), viewer).select_related("committee")
    if past:
        trainings = trainings.filter(ends_at__lte=now).order_by("-starts_at", "-id")
    else:
        trainings = trainings.filter(ends_at__gt=now).order_by("starts_at", "id")
    return _with_viewer_status(with_counts(trainings), viewer.person)


def training_for_member(*, viewer: Viewer) -> QuerySet:
    """For fetching one training through access.get_object_or_404."""
    trainings = scope(Training.objects.all(), viewer).select_related("committee")
    return _with_viewer_status(with_counts(trainings), viewer.person).prefetch_related("trainers")


def my_registrations(*, viewer: Viewer, now=None) -> QuerySet:
    now = now or timezone.now()
    if viewer.person is None:
        return Registration.objects.none()
    return (
        Registration.objects.filter(
            person=viewer.person,
            training__ends_at__gt=now,
            status__in=[
                RegistrationStatus.REGISTERED,
                RegistrationStatus.WAITLISTED,
                RegistrationStatus.OFFERED,
            ],
        )
        .select_related("training__committee")
        .order_by("training__starts_at", "id")
    )


def trainings_for_organizer(*, viewer: Viewer, past: bool = False, now=None) -> QuerySet:
    """Upcoming or past trainings with fill, waitlist and attendance counts."""
    return trainings_for_member(viewer=viewer, past=past, now=now)


def organizer_totals(*, viewer: Viewer, now=None) -> dict:
    """Upcoming and past trainings not cancelled (the page's tabs), and how many each
    list shows with the cancelled ones (its pages), in one query."""
    now = now or timezone.now()
    return scope(Training.objects.all(), viewer).aggregate(
        upcoming=Count("id", filter=Q(ends_at__gt=now, cancelled_at__isnull=True)),
        past=Count("id", filter=Q(ends_at__lte=now, cancelled_at__isnull=True)),
        listed_upcoming=Count("id", filter=Q(ends_at__gt=now)),
        listed_past=Count("id", filter=Q(ends_at__lte=now)),
    )


ROSTER_ORDER = Case(
    When(status=RegistrationStatus.ATTENDED, then=Value(1)),
    When(status=RegistrationStatus.REGISTERED, then=Value(1)),
    When(status=RegistrationStatus.NO_SHOW, then=Value(1)),
    When(status=RegistrationStatus.OFFERED, then=Value(2)),
    When(status=RegistrationStatus.WAITLISTED, then=Value(3)),
    default=Value(4),
    output_field=IntegerField(),
)


def roster(*, training: Training, query: str = "") -> QuerySet:
    """Everyone on a training's list: seats first (by name), then offers, the waitlist in
    order, and cancellations last; with `query`, only names that contain it (without
    case or accents)."""
    registrations = (
        Registration.objects.filter(training=training)
        .select_related("person")
        .annotate(group=ROSTER_ORDER)
        .order_by("group", "waitlist_position", "person__preferred_name", "id")
    )
    if query:
        from members.text import search_key

        registrations = registrations.filter(person__search_name__contains=search_key(query))
    return registrations


def public_trainings(*, committee, now=None) -> QuerySet:
    """What the public calendar shows: upcoming public trainings of one committee."""
    now = now or timezone.now()
    return with_counts(
        Training.objects.filter(committee=committee, visibility=Visibility.PUBLIC, ends_at__gt=now)
        .select_related("committee")
        .order_by("starts_at", "id")
    )


def public_feed(*, committee, now=None) -> QuerySet:
    """The .ics feed: public trainings from the last month on, cancelled ones included so
    that subscribed calendars drop them."""
    now = now or timezone.now()
    return Training.objects.filter(
        committee=committee,
        visibility=Visibility.PUBLIC,
        starts_at__gte=now - timedelta(days=31),
    ).order_by("starts_at", "id")


def upcoming_for_panel(*, viewer: Viewer, now=None, days: int = 14) -> QuerySet:
    now = now or timezone.now()
    return trainings_for_member(viewer=viewer, now=now).filter(
        starts_at__lte=now + timedelta(days=days), cancelled_at__isnull=True
    )


# --- Who is trained ----------------------------------------------------------------------


def trained_kinds(person: Person) -> set[str]:
    """The kinds of training this person has completed (what qualifies responders and
    accompaniers): their people record, written at check-in, by an organizer or an import."""
    return set(person.training_records.values_list("kind", flat=True).distinct())


def people_trained_in(kind: str, *, committee=None, since: datetime | None = None) -> QuerySet:
    """People with a completed training of `kind` (optionally: of one committee, since a date)."""
    records = Q(training_records__kind=kind)
    if since is not None:
        records &= Q(training_records__completed_at__gte=since)
    people = Person.objects.filter(records)
    if committee is not None:
        people = people.filter(committee=committee)
    return people.distinct()
