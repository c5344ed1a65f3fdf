"""Must show 2: a case is need-to-know. Its team sees its contents; another legal-role
member sees that it exists, its people and hearings; a coordinator sees its urgency
and status; an accompanier sees only the hearing's card; an outsider gets a 404.
Every case view is in the one audit trail."""

import pytest
from django.urls import reverse

from committees.access import Action, load_viewer
from legal_aid.models import Accompaniment
from members.audit import AuditEvent

from ..factories import make_case, make_hearing

pytestmark = pytest.mark.django_db

A_NUMBER = "012345678"
FACILITY = "Adelanto ICE Processing Center"
NOTE = "Fled in 2019; asylum claim based on threats"


@pytest.fixture
def case(committee, legal_member):
    return make_case(
        committee,
        team=[legal_member],
        name="Rosa Martínez",
        a_number=A_NUMBER,
        detention_facility=FACILITY,
        notes=NOTE,
    )


@pytest.fixture
def hearing(case, accompanier):
    hearing = make_hearing(case, place="Los Angeles Immigration Court")
    Accompaniment.objects.create(hearing=hearing, person=accompanier.person, status="accepted")
    return hearing


def _secrets_in(html):
    return [s for s in (A_NUMBER, FACILITY, NOTE) if s in html]


def test_team_member_sees_contents_and_the_view_is_audited(client_for, legal_member, case):
    response = client_for(legal_member).get(reverse("legal_aid:case", args=[case.pk]))
    assert response.status_code == 200
    assert _secrets_in(response.content.decode()) == [A_NUMBER, FACILITY, NOTE]
    event = AuditEvent.objects.get(kind="legal_aid.case_viewed")
    assert (event.actor_id, event.person_id, event.target_id) == (
        legal_member.person.pk,
        case.person_id,
        case.pk,
    )


def test_legal_member_off_the_team_sees_the_case_but_not_its_contents(
    client_for, other_legal_member, case, hearing
):
    client = client_for(other_legal_member)
    response = client.get(reverse("legal_aid:case", args=[case.pk]))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Rosa Martínez" in html and "Los Angeles Immigration Court" in html
    assert _secrets_in(html) == []
    assert AuditEvent.objects.filter(
        kind="legal_aid.case_viewed", actor=other_legal_member.person, target_id=case.pk
    ).exists()
    # Changing the case is for its team only: a 404, as if it did not exist.
    edit = client.post(reverse("legal_aid:case_edit", args=[case.pk]), {"status": "closed"})
    assert edit.status_code == 404
    move = client.get(reverse("legal_aid:hearing_move", args=[hearing.pk]))
    assert move.status_code == 404


def test_coordinator_sees_existence_urgency_and_status_only(client_for, coordinator, case):
    client = client_for(coordinator)
    listing = client.get(reverse("legal_aid:cases"))
    assert listing.status_code == 200
    html = listing.content.decode()
    assert f"#{case.pk}" in html and "Hearing or check-in soon" in html
    assert "Rosa" not in html and _secrets_in(html) == []
    assert client.get(reverse("legal_aid:case", args=[case.pk])).status_code == 404


def test_accompanier_sees_only_the_card(client_for, accompanier, case, hearing):
    client = client_for(accompanier)
    assert client.get(reverse("legal_aid:case", args=[case.pk])).status_code == 404
    assert client.get(reverse("legal_aid:cases")).status_code == 403  # a role page, no object
    accompaniment = Accompaniment.objects.get(person=accompanier.person)
    card = client.get(reverse("legal_aid:card", args=[accompaniment.pk]))
    assert card.status_code == 200
    html = card.content.decode()
    assert "Rosa" in html and "Martínez" not in html
    assert "Los Angeles Immigration Court" in html and "Front steps" in html
    assert _secrets_in(html) == []


def test_another_volunteers_card_is_a_404(client_for, vetted_member, hearing):
    accompaniment = Accompaniment.objects.get(hearing=hearing)
    response = client_for(vetted_member).get(reverse("legal_aid:card", args=[accompaniment.pk]))
    assert response.status_code == 404


def test_outsider_gets_404_for_case_card_and_document(client_for, outsider, case, hearing):
    client = client_for(outsider)
    accompaniment = Accompaniment.objects.get(hearing=hearing)
    assert client.get(reverse("legal_aid:case", args=[case.pk])).status_code == 404
    assert client.get(reverse("legal_aid:card", args=[accompaniment.pk])).status_code == 404
    assert f"#{case.pk}" not in client.get(reverse("legal_aid:cases")).content.decode()


def test_access_module_answers_for_each_role(
    case, hearing, legal_member, other_legal_member, coordinator, accompanier, outsider
):
    accompaniment = Accompaniment.objects.get(hearing=hearing)
    case = type(case).objects.prefetch_related("team_members").get(pk=case.pk)

    def viewer(membership):
        return load_viewer(membership.person.user)

    team, legal, coord, acc, out = map(
        viewer, (legal_member, other_legal_member, coordinator, accompanier, outsider)
    )
    assert team.can(Action.VIEW_CASE_CONTENTS, case) and team.can(Action.EDIT_CASE, case)
    assert legal.can(Action.VIEW_CASE, case)
    assert not legal.can(Action.VIEW_CASE_CONTENTS, case)
    assert coord.can(Action.VIEW_CASE_STATUS) and not coord.can(Action.VIEW_CASE, case)
    assert acc.can(Action.ACCOMPANY, accompaniment) and not acc.can(Action.VIEW_CASE, case)
    assert not team.can(Action.ACCOMPANY, accompaniment)
    assert not out.can(Action.VIEW_CASE_STATUS, case)
