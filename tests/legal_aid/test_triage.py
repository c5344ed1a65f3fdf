"""Triage: the conflict check, accept / refer / close with a reason, assignment, and the
organizer's intake on someone's behalf."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from committees.access import load_viewer
from legal_aid import selectors, services
from legal_aid.models import Case, LegalRequest

from ..factories import make_case, make_legal_request

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "typed, found",
    [
        ("Rosa Martinez", True),  # no accent
        ("ROSA MARTÍNES", True),  # a typo
        ("Martínez Rosa", True),  # surname first
        ("Rosa María Martínez", True),
        ("Roberto Méndez", False),
        ("Ana", False),
    ],
)
def test_conflict_check_finds_similar_names_among_the_committees_cases(
    committee, other_committee, typed, found
):
    case = make_case(committee, name="Rosa Martínez")
    make_case(other_committee, name="Rosa Martínez")  # another committee: never shown
    conflicts = selectors.conflicts(committee=committee, name=typed)
    assert [c.case_id for c in conflicts] == ([case.pk] if found else [])
    if found:
        assert conflicts[0].similarity >= 80


def test_request_page_shows_conflicts_to_the_legal_team(committee, legal_member, client_for):
    case = make_case(committee, name="José Hernández")
    request = make_legal_request(committee, name="Jose Hernandez")
    page = client_for(legal_member).get(reverse("legal_aid:request", args=[request.pk]))
    assert page.status_code == 200
    assert f"#{case.pk}" in page.content.decode()


def test_accept_assigns_the_team_and_opens_a_case(committee, legal_member, client_for):
    request = make_legal_request(committee, name="Rosa", urgency="detained")
    response = client_for(legal_member).post(
        reverse("legal_aid:request_accept", args=[request.pk]),
        {"team": [legal_member.pk], "partner_organization": ""},
    )
    case = Case.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/cases/{case.pk}/")
    assert case.urgency == "detained" and case.person == request.person
    assert list(case.team.all()) == [legal_member]
    request.refresh_from_db()
    assert request.status == "accepted" and request.decided_by == legal_member.person


def test_only_legal_members_can_be_on_a_team(committee, legal_member, coordinator):
    request = make_legal_request(committee)
    with pytest.raises(ValidationError):
        services.request_accept(
            actor=load_viewer(legal_member.person.user), request=request, team=[coordinator.pk]
        )
    assert not Case.objects.exists()


def test_accept_needs_someone_to_assign(committee, legal_member, client_for):
    request = make_legal_request(committee)
    response = client_for(legal_member).post(
        reverse("legal_aid:request_accept", args=[request.pk]), {}
    )
    assert response.status_code == 400
    assert "Asigne al menos un" in response.content.decode()
    assert not Case.objects.exists()


def test_refer_and_close_need_a_reason(committee, legal_member, client_for):
    client = client_for(legal_member)
    referred, closed = make_legal_request(committee), make_legal_request(committee)
    assert (
        client.post(reverse("legal_aid:request_refer", args=[referred.pk]), {}).status_code == 400
    )
    client.post(
        reverse("legal_aid:request_refer", args=[referred.pk]),
        {"partner": "CHIRLA", "reason": "Asylum specialists"},
    )
    client.post(reverse("legal_aid:request_close", args=[closed.pk]), {"reason": "Duplicate"})
    referred.refresh_from_db()
    closed.refresh_from_db()
    assert (referred.status, referred.referred_to) == ("referred", "CHIRLA")
    assert referred.disposition_reason == "Asylum specialists"
    assert (closed.status, closed.disposition_reason) == ("closed", "Duplicate")
    # Deciding twice is refused, not a 500.
    again = client.post(reverse("legal_aid:request_close", args=[closed.pk]), {"reason": "x"})
    assert again.status_code == 302
    assert LegalRequest.objects.get(pk=closed.pk).disposition_reason == "Duplicate"


def test_coordinator_sees_the_queue_without_names_and_cannot_triage(
    committee, coordinator, client_for
):
    request = make_legal_request(committee, name="Rosa Secreta", urgency="detained")
    client = client_for(coordinator)
    queue = client.get(reverse("legal_aid:queue")).content.decode()
    assert "Detained now" in queue and "Rosa Secreta" not in queue
    assert client.get(reverse("legal_aid:request", args=[request.pk])).status_code == 404


def test_organizer_takes_a_request_by_phone(committee, coordinator, client_for):
    response = client_for(coordinator).post(
        reverse("legal_aid:request_create"),
        {
            "urgency": "hearing_soon",
            "help_kind": "accompaniment",
            "for_someone_else": "0",
            "name": "Don Ramón",
            "phone": "213 555 0190",
            "contact_time": "morning",
            "language": "es",
            "note": "Check-in on Tuesday at 9",
        },
    )
    assert response.status_code == 302
    request = LegalRequest.objects.get()
    assert (request.source, request.created_by) == ("organizer", coordinator.person)
    assert request.note == "Check-in on Tuesday at 9"


def test_assignment_changes_the_team(committee, legal_member, other_legal_member, client_for):
    case = make_case(committee, team=[legal_member])
    client_for(other_legal_member).post(
        reverse("legal_aid:case_assign", args=[case.pk]),
        {"team": [other_legal_member.pk], "partner_organization": "CARECEN"},
    )
    case.refresh_from_db()
    assert list(case.team.all()) == [other_legal_member]
    assert case.partner_organization == "CARECEN"


def test_a_number_is_padded_and_checked(committee, legal_member, client_for):
    case = make_case(committee, team=[legal_member])
    client = client_for(legal_member)
    url = reverse("legal_aid:case_edit", args=[case.pk])
    data = {"status": "represented", "representation": "all", "a_number": "A 1234-5678"}
    assert client.post(url, data).status_code == 302
    case.refresh_from_db()
    assert case.a_number == "012345678"
    bad = client.post(url, {**data, "a_number": "12345"})
    assert bad.status_code == 400 and "9 dígitos" in bad.content.decode()


def test_case_page_shows_conflicts_with_the_committees_other_cases(
    committee, legal_member, client_for
):
    other = make_case(committee, name="Guadalupe Pérez")
    case = make_case(committee, team=[legal_member], name="Guadalupe Peres")
    html = client_for(legal_member).get(reverse("legal_aid:case", args=[case.pk])).content
    assert f"#{other.pk}</a>: Guadalupe Pérez".encode() in html


def test_calendar_with_a_bad_date_is_not_a_500(committee, legal_member, client_for):
    client = client_for(legal_member)
    for value in ("2026-02-30", "tomorrow", "9999-99-99", "9999-12-31", "0001-01-01", "2026-12-01"):
        assert client.get(reverse("legal_aid:calendar"), {"from": value}).status_code == 200
