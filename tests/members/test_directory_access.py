"""Who sees what in the directory, and that every look at contact details or notes
is recorded (who looked at whom, when — never the data itself)."""

import pytest
from django.urls import reverse

from committees.roles import Role
from members.audit import AuditEvent

from ..factories import PersonFactory, make_member


@pytest.fixture
def neighbour(committee):
    person = PersonFactory(committee=committee, preferred_name="Nora Neighbour")
    person.notes = "Prefers calls after 6pm"
    person.save()
    return person


def detail(client, person):
    return client.get(reverse("members:person_detail", args=[person.pk]))


def test_coordinator_sees_contact_and_notes_and_the_look_is_logged(
    coordinator, client_for, neighbour
):
    body = detail(client_for(coordinator), neighbour).content.decode()
    assert "(213) 555-" in body and neighbour.email in body
    assert "Prefers calls after 6pm" in body
    events = AuditEvent.objects.filter(person=neighbour, actor=coordinator.person)
    assert sorted(events.values_list("kind", flat=True)) == ["viewed_contact", "viewed_notes"]
    assert all(e.details == {} and e.row_count is None for e in events)


@pytest.mark.parametrize("role", [Role.LEGAL, Role.DISPATCHER, Role.TRAINER])
def test_staff_roles_see_contact_details_but_not_notes(committee, client_for, neighbour, role):
    member = make_member(committee, roles=[role])
    body = detail(client_for(member), neighbour).content.decode()
    assert neighbour.email in body
    assert "Prefers calls after 6pm" not in body
    assert list(AuditEvent.objects.values_list("kind", flat=True)) == ["viewed_contact"]


def test_responders_and_members_have_no_directory(vetted_member, client_for, neighbour):
    client = client_for(vetted_member)
    assert client.get(reverse("members:person_list")).status_code == 403
    # The role has no directory at all: 403 (another committee's person is a 404).
    assert detail(client, neighbour).status_code == 403
    assert "People" not in client.get(reverse("dashboard")).content.decode().split("<main")[0]


def test_probationary_member_sees_nobody(probationary_member, client_for, neighbour):
    client = client_for(probationary_member)
    assert client.get(reverse("members:person_list")).status_code == 403
    response = detail(client, neighbour)
    assert response.status_code == 403  # no role in force yet
    assert neighbour.email not in response.content.decode()


def test_another_committees_person_is_a_404_for_every_page(outsider, client_for, neighbour):
    client = client_for(outsider)
    for name in ("person_detail", "person_edit", "person_consent", "person_merge", "person_erase"):
        response = client.get(reverse(f"members:{name}", args=[neighbour.pk]))
        assert response.status_code == 404, name
    listing = client.post(reverse("members:person_list"), {"q": "Nora"})
    assert "Nora Neighbour" not in listing.content.decode()
    assert listing.context["page"].total == 0
    assert not AuditEvent.objects.exists()


def test_the_list_shows_contact_details_to_those_allowed_and_records_each(
    coordinator, client_for, neighbour
):
    body = client_for(coordinator).get(reverse("members:person_list")).content.decode()
    assert "Nora Neighbour" in body and neighbour.email in body
    viewed = AuditEvent.objects.filter(kind=AuditEvent.Kind.VIEWED_CONTACT)
    assert list(viewed.values_list("person_id", "actor_id")) == [
        (neighbour.pk, coordinator.person.pk)
    ]


def test_people_audit_page_lists_views_and_is_for_coordinators(
    coordinator, vetted_member, client_for, neighbour
):
    client = client_for(coordinator)
    detail(client, neighbour)
    page = client.get(reverse("members:audit_log")).content.decode()
    assert "Viewed contact details" in page and "Nora Neighbour" in page
    assert "Prefers calls" not in page and neighbour.email not in page
    assert client_for(vetted_member).get(reverse("members:audit_log")).status_code == 403
