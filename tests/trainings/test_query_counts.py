"""Must show 7: the training lists and the roster make as many queries with 200
trainings and 500 registrations as with a handful."""

from datetime import timedelta
from itertools import count

import pytest
from django.urls import reverse
from django.utils import timezone

from members.models import Person
from trainings.models import Registration, Training

from ..helpers import assert_constant_queries, count_queries

pytestmark = pytest.mark.django_db

serial = count()


def add_people(committee, n):
    people = []
    for _ in range(n):
        i = next(serial)
        person = Person(committee=committee, preferred_name=f"P{i}", language="es")
        person.set_contact(phone=f"+1213556{i % 10000:04d}", email=f"p{i}@example.org")
        people.append(person)
    return Person.objects.bulk_create(people)


def add_trainings(committee, n, *, past_share=3):
    """n trainings (every third one past) with ~2.5 registrations each, mixed statuses."""
    now = timezone.now()
    trainings = []
    for i in range(n):
        starts = now + timedelta(days=1 + i % 30, hours=i) * (-1 if i % past_share == 0 else 1)
        trainings.append(
            Training(
                committee=committee,
                kind="know_your_rights",
                title_en=f"T{next(serial)}",
                title_es="Capacitación",
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                place_name="Hall",
                capacity=2,
                visibility="public" if i % 2 else "members",
            )
        )
    trainings = Training.objects.bulk_create(trainings)
    people = add_people(committee, (n * 5) // 2)
    statuses = ["registered", "registered", "waitlisted", "attended", "no_show"]
    Registration.objects.bulk_create(
        Registration(
            training=trainings[j % n],
            person=person,
            status=statuses[j % len(statuses)],
            source="member",
            waitlist_position=j if statuses[j % len(statuses)] == "waitlisted" else None,
        )
        for j, person in enumerate(people)
    )
    return trainings


def test_training_lists_keep_a_constant_query_count(coordinator, client_for):
    committee = coordinator.committee
    client = client_for(coordinator)
    pages = [
        reverse("trainings:list"),
        reverse("trainings:list") + "?when=past",
        reverse("trainings:manage"),
        reverse("trainings:manage") + "?when=past",
        reverse("trainings_public:calendar", args=[committee.slug]),
        reverse("dashboard"),
    ]
    add_trainings(committee, 10)
    for page in pages:  # the first request of a session writes the session
        assert client.get(page).status_code == 200
    few = {page: count_queries(lambda p=page: client.get(p)) for page in pages}
    add_trainings(committee, 190)
    assert Training.objects.count() == 200
    assert Registration.objects.count() >= 500
    many = {page: count_queries(lambda p=page: client.get(p)) for page in pages}
    assert many == few


def test_roster_keeps_a_constant_query_count(coordinator, client_for):
    committee = coordinator.committee
    client = client_for(coordinator)
    training = Training.objects.create(
        committee=committee,
        kind="rapid_responder",
        title_en="Big one",
        starts_at=timezone.now() + timedelta(hours=1),
        ends_at=timezone.now() + timedelta(hours=3),
        place_name="Hall",
        capacity=400,
    )
    statuses = ["registered", "attended", "waitlisted", "offered", "cancelled"]

    def add(n):
        people = add_people(committee, n)
        Registration.objects.bulk_create(
            Registration(
                training=training,
                person=person,
                status=statuses[i % len(statuses)],
                source="public",
                waitlist_position=i,
            )
            for i, person in enumerate(people)
        )

    roster = reverse("trainings:roster", args=[training.pk])
    export = reverse("trainings:roster_export", args=[training.pk])
    detail = reverse("trainings:detail", args=[training.pk])
    assert_constant_queries(add, lambda: client.get(roster), small=10, large=500)
    assert Registration.objects.filter(training=training).count() == 500
    few_export = count_queries(lambda: client.get(export))
    add(10)
    assert count_queries(lambda: client.get(export)) == few_export
    assert client.get(detail).status_code == 200
