"""Must-show 3 (this part's side): a detained person's hand-off opens a legal-aid request
(and a bond request when asked) through those parts' services; the incident page shows
them to the legal team, never to responders. The other parts are replaced at the seam
(`rapid_response.handoff`); the integrator's test runs them for real."""

from types import SimpleNamespace

import pytest
from django.urls import reverse

from rapid_response import handoff
from rapid_response.models import Handoff, LogEntry

from .helpers import reported

pytestmark = pytest.mark.django_db


@pytest.fixture
def other_parts(monkeypatch):
    calls = {"legal": [], "bond": []}

    def legal(**kwargs):
        calls["legal"].append(kwargs)
        return SimpleNamespace(pk=77)

    def bond(**kwargs):
        calls["bond"].append(kwargs)
        return SimpleNamespace(pk=88)

    monkeypatch.setattr(handoff, "legal_request_open", legal)
    monkeypatch.setattr(handoff, "bond_request_open", bond)
    monkeypatch.setattr(handoff, "cases_for_bond_choice", lambda viewer: [(5, "Case 5 · María")])
    return calls


def test_dispatcher_hands_off_a_detained_person_to_legal_aid(
    open_committee, zone3, dispatcher, client_for, other_parts
):
    incident = reported(open_committee, zone3).incident
    response = client_for(dispatcher).post(
        reverse("rapid_response:handoff", args=[incident.pk]),
        {"name": "Lucía", "phone": "213 555 0160", "language": "es", "note": "Her brother"},
    )
    assert response.status_code == 302
    [call] = other_parts["legal"]
    assert call["incident_id"] == incident.pk and call["phone"] == "+12135550160"
    assert call["actor"].membership == dispatcher
    record = Handoff.objects.get()
    assert record.legal_request_id == 77 and record.bond_request_id is None
    assert incident.log.filter(kind=LogEntry.Kind.HANDOFF).exists()
    # Nothing about the person is kept here: only the other part's id.
    assert "Lucía" not in str(list(Handoff.objects.values_list()))


def test_legal_team_asks_the_bond_fund_and_sees_both(
    open_committee, zone3, dispatcher, legal_member, client_for, other_parts
):
    incident = reported(open_committee, zone3).incident
    client_for(dispatcher).post(
        reverse("rapid_response:handoff", args=[incident.pk]), {"language": "es"}
    )
    record = Handoff.objects.get()
    legal_member.person.user.language = "en"
    legal_member.person.user.save(update_fields=["language"])
    lawyer = client_for(legal_member, language="en")
    response = lawyer.post(
        reverse("rapid_response:handoff_bond", args=[incident.pk, record.pk]),
        {"case": "5", "amount": "1500", "note": ""},
    )
    assert response.status_code == 302
    [call] = other_parts["bond"]
    assert call["case_id"] == 5 and call["amount_cents"] == 150000
    record.refresh_from_db()
    assert record.bond_request_id == 88
    page = lawyer.get(reverse("rapid_response:incident", args=[incident.pk])).content.decode()
    assert "Legal-aid request #77" in page and "bond request #88" in page


def test_responders_never_see_or_make_hand_offs(
    open_committee, zone3, dispatcher, vetted_member, client_for, other_parts
):
    incident = reported(open_committee, zone3).incident
    client_for(dispatcher).post(
        reverse("rapid_response:handoff", args=[incident.pk]), {"language": "es"}
    )
    responder = client_for(vetted_member)
    page = responder.get(reverse("rapid_response:incident", args=[incident.pk]))
    assert page.status_code in (403, 404) and "#77" not in page.content.decode()
    response = responder.post(
        reverse("rapid_response:handoff", args=[incident.pk]), {"language": "es"}
    )
    assert response.status_code in (403, 404)
    assert Handoff.objects.count() == 1 and len(other_parts["legal"]) == 1


def test_dispatcher_cannot_ask_the_bond_fund(
    open_committee, zone3, dispatcher, client_for, other_parts
):
    incident = reported(open_committee, zone3).incident
    client_for(dispatcher).post(
        reverse("rapid_response:handoff", args=[incident.pk]), {"language": "es"}
    )
    record = Handoff.objects.get()
    response = client_for(dispatcher).post(
        reverse("rapid_response:handoff_bond", args=[incident.pk, record.pk]), {"case": "5"}
    )
    assert response.status_code in (403, 404)
    assert other_parts["bond"] == []


def test_a_refusal_from_legal_aid_is_shown_and_nothing_is_half_saved(
    open_committee, zone3, dispatcher, client_for, monkeypatch
):
    from django.core.exceptions import ValidationError

    def refuse(**kwargs):
        raise ValidationError("Legal aid is not set up for this committee.")

    monkeypatch.setattr(handoff, "legal_request_open", refuse)
    incident = reported(open_committee, zone3).incident
    response = client_for(dispatcher).post(
        reverse("rapid_response:handoff", args=[incident.pk]), {"language": "es"}, follow=True
    )
    assert "Legal aid is not set up" in response.content.decode()
    assert not Handoff.objects.exists()
    assert not incident.log.filter(kind=LogEntry.Kind.HANDOFF).exists()
