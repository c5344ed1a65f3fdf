"""The hand-offs other apps call (PLUGPOINTS.md): a rapid-response incident opens a
"detained now" request; the bond fund reads a case summary, its hearings and the cases
a viewer may choose, without sensitive fields."""

import dataclasses

import pytest

from committees.access import load_viewer
from legal_aid import selectors, services
from legal_aid.models import LegalRequest

from ..factories import make_case, make_hearing

pytestmark = pytest.mark.django_db


def test_incident_opens_a_detained_now_request_once(committee, coordinator):
    actor = load_viewer(coordinator.person.user)
    first = services.legal_request_open_from_incident(
        actor=actor, incident_id=41, name="Lucía", phone="213 555 0144", note="Taken at 6am"
    )
    again = services.legal_request_open_from_incident(actor=actor, incident_id=41)
    assert first.pk == again.pk and LegalRequest.objects.count() == 1
    assert (first.urgency, first.source, first.incident_id) == ("detained", "rapid_response", 41)
    assert first.contact.preferred_name == "Lucía" and first.person is None
    assert [r.pk for r in selectors.triage_queue(viewer=actor)] == [first.pk]


def test_incident_without_a_contact(committee, coordinator):
    request = services.legal_request_open_from_incident(
        actor=load_viewer(coordinator.person.user), incident_id=7
    )
    assert request.contact is None and request.urgency == "detained"


def test_case_summary_has_no_sensitive_fields(committee, other_committee, legal_member):
    case = make_case(
        committee, team=[legal_member], name="Rosa Martínez", a_number="012345678",
        detention_facility="Adelanto",
    )  # fmt: skip
    hearing = make_hearing(case, kind="bond")
    summary = selectors.case_summary(case_id=case.pk, committee=committee)
    assert summary.person_first_name == "Rosa" and summary.detention_facility_known
    assert summary.next_hearing_kind == "bond" and summary.next_hearing_at == hearing.starts_at
    values = " ".join(str(v) for v in dataclasses.asdict(summary).values())
    assert "012345678" not in values and "Adelanto" not in values and "Martínez" not in values
    assert selectors.case_summary(case_id=case.pk, committee=other_committee) is None
    by_case = selectors.hearings_for_cases(case_ids=[case.pk])
    assert [h.hearing_id for h in by_case[case.pk]] == [hearing.pk]


def test_cases_for_bond_choice_only_for_those_who_may_ask_the_bond_fund(
    committee, legal_member, coordinator, treasurer, dispatcher
):
    case = make_case(committee, name="Rosa Martínez", a_number="012345678")
    label = [(case.pk, f"#{case.pk} · Rosa")]  # never the surname or the A-number
    for member in (legal_member, coordinator, treasurer):
        assert selectors.cases_for_bond_choice(viewer=load_viewer(member.person.user)) == label
    assert selectors.cases_for_bond_choice(viewer=load_viewer(dispatcher.person.user)) == []
