"""One audit page, "Who viewed or exported what", for every app's sensitive reads:
roster views and exports, message-history views, people views and exports. Filterable
by person, actor and kind; it never stores the data that was seen."""

import pytest
from django.urls import reverse

from committees.roles import Role
from members.audit import AuditEvent

from .factories import PersonFactory, bulk_people, make_member
from .helpers import assert_constant_queries
from .trainings.factories import make_training, seat

pytestmark = pytest.mark.django_db

AUDIT = reverse("members:audit_log")


@pytest.fixture
def scene(committee, coordinator, client_for):
    """Ana (coordinator) opens a roster, exports it and opens Rosa's message history;
    Beto (legal) opens Rosa's history too."""
    rosa = PersonFactory(committee=committee, preferred_name="Rosa Rivera")
    training = make_training(committee)
    seat(training, rosa)
    ana = client_for(coordinator)
    assert ana.get(reverse("trainings:roster", args=[training.pk])).status_code == 200
    # The roster CSV asks for the password again first (like the people export).
    ana.post(reverse("account_reauthenticate"), {"password": "correct horse battery staple"})
    assert ana.get(reverse("trainings:roster_export", args=[training.pk])).status_code == 200
    history = reverse("notifications:person_history", args=[rosa.pk])
    assert ana.get(history).status_code == 200
    beto = make_member(committee, roles=[Role.LEGAL], name="Beto Legal")
    assert client_for(beto).get(history).status_code == 200
    return {"rosa": rosa, "training": training, "ana": ana, "beto": beto}


def page(client, **filters):
    response = client.get(AUDIT, filters)
    assert response.status_code == 200
    return response.content.decode()


def test_roster_views_exports_and_history_views_are_on_the_one_page(scene):
    body = page(scene["ana"])
    for label in (
        "Viewed a training roster",
        "Exported a training roster",
        "Viewed a message history",
    ):
        assert label in body
    assert "Rosa Rivera" in body and "Beto Legal" in body


def test_the_trail_never_holds_what_was_seen(scene):
    rosa = scene["rosa"]
    for event in AuditEvent.objects.all():
        assert event.details == {}
    body = page(scene["ana"])
    assert rosa.email not in body
    assert str(rosa.phone) not in body and str(rosa.phone)[2:] not in body


def test_filter_by_person_shows_only_what_was_seen_of_them(scene):
    rosa = scene["rosa"]
    body = page(scene["ana"], person=rosa.pk)
    assert body.count("Viewed a message history") == 2 + 1  # two rows and the kind menu
    assert "Viewed a training roster</span>" not in body


def test_filter_by_actor_and_kind(scene, coordinator):
    beto = scene["beto"]
    by_beto = page(scene["ana"], actor=beto.person.pk)
    assert "Exported a training roster</span>" not in by_beto
    assert "Viewed a message history</span>" in by_beto
    exports = page(scene["ana"], kind="trainings.roster_exported", actor=coordinator.person.pk)
    assert exports.count('<span class="badge">') == 1
    assert "Exported a training roster</span>" in exports


@pytest.mark.parametrize(
    "filters",
    [
        {"person": "abc"},
        {"person": "-1"},
        {"actor": "999999999"},
        {"kind": "not-a-kind"},
        {"page": "x"},
        {"person": "9" * 40},
        {"actor": "9" * 40},
        {"actor": "1e5"},
    ],
)
def test_bad_filters_show_the_page_not_an_error(scene, filters):
    page(scene["ana"], **filters)


def test_the_page_is_for_coordinators_only(scene, vetted_member, client_for):
    # The role may not see the trail at all: 403.
    assert client_for(vetted_member).get(AUDIT).status_code == 403


def test_another_committees_events_are_not_shown(scene, outsider, client_for):
    other = make_member(outsider.committee, roles=[Role.COORDINATOR], name="Otra Coord")
    body = client_for(other).get(AUDIT, {"person": scene["rosa"].pk}).content.decode()
    assert "Rosa Rivera" not in body and "Nothing recorded yet." in body


def test_the_filtered_page_makes_the_same_queries_with_many_rows(
    committee, coordinator, client_for
):
    client = client_for(coordinator)
    beto = make_member(committee, roles=[Role.LEGAL], name="Beto Legal")
    training = make_training(committee)

    def add_events(n):
        people = bulk_people(committee, n, start=AuditEvent.objects.count() * 7)
        AuditEvent.objects.bulk_create(
            AuditEvent(
                committee=committee,
                actor=beto.person,
                person=p,
                kind="notifications.history_viewed",
            )
            for p in people
        )
        AuditEvent.objects.bulk_create(
            AuditEvent(
                committee=committee,
                actor=beto.person,
                kind="trainings.roster_viewed",
                target_id=training.pk,
            )
            for _ in range(n)
        )

    url = f"{AUDIT}?actor={beto.person.pk}"
    assert_constant_queries(add_events, lambda: client.get(url))
