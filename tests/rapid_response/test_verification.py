"""Verification: confirmers near the zone (vetted responders with the rapid-responder or
legal-observer training) are asked by SMS; their numbered replies move the incident."""

import pytest
from django.core.exceptions import ValidationError
from django.test import Client
from django.urls import reverse

from committees.roles import MembershipStatus
from notifications.models import Message, Urgency
from rapid_response import services
from rapid_response.models import ConfirmerRequest, IncidentStatus, LogEntry

from ..factories import ZoneFactory, make_responder
from ..notifications.conftest import inbound_params, signed_post
from .conftest import sent_to
from .helpers import reported

pytestmark = pytest.mark.django_db


def reply(person, body):
    return signed_post(
        Client(), "/sms/inbound/", inbound_params(from_number=str(person.phone), body=body)
    )


@pytest.fixture
def diego(dispatcher, viewer_of):
    return viewer_of(dispatcher)


def test_candidates_are_the_zones_vetted_trained_responders(open_committee, zone3):
    carla = make_responder(open_committee, [zone3], name="Carla")
    observer = make_responder(open_committee, [zone3], trained="legal_observer", name="Obs")
    make_responder(open_committee, [zone3], trained=None, name="Untrained")
    make_responder(open_committee, [zone3], status=MembershipStatus.PROBATIONARY, name="New")
    make_responder(open_committee, [ZoneFactory(committee=open_committee)], name="Far")
    incident = reported(open_committee, zone3).incident
    assert set(services.confirmer_candidates(incident)) == {carla, observer}


def test_confirmer_is_asked_urgently_and_reply_1_confirms(
    open_committee, zone3, diego, django_capture_on_commit_callbacks
):
    carla = make_responder(open_committee, [zone3], name="Carla")
    incident = reported(open_committee, zone3, where="Soto St and 1st St").incident
    with django_capture_on_commit_callbacks(execute=True):
        assert services.confirmers_ask(actor=diego, incident=incident, person_ids=[carla.pk]) == 1
    message = Message.objects.get(template="rapid_response_confirm")
    assert message.urgency == Urgency.URGENT
    [asked] = sent_to(carla)
    assert "Soto St and 1st St" in asked and "1" in asked and "2" in asked
    with django_capture_on_commit_callbacks(execute=True):
        assert reply(carla, "1").status_code == 200
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.CONFIRMED and incident.verified_at
    entry = incident.log.get(kind=LogEntry.Kind.SEEN)
    assert entry.person == carla and entry.at
    assert len(sent_to(carla)) == 2  # the thank-you


def test_the_claimer_is_texted_when_a_confirmer_sees_agents(
    open_committee, zone3, diego, dispatcher, django_capture_on_commit_callbacks
):
    from ..factories import grant_consent

    grant_consent(dispatcher.person, "raid_alerts")
    carla = make_responder(open_committee, [zone3], name="Carla")
    incident = reported(open_committee, zone3).incident
    services.incident_claim(actor=diego, incident=incident)
    services.confirmers_ask(actor=diego, incident=incident, person_ids=[carla.pk])
    with django_capture_on_commit_callbacks(execute=True):
        reply(carla, "1")
    [text] = [b for b in sent_to(dispatcher.person) if "SEES AGENTS" in b]
    assert f"/dispatch/incidents/{incident.pk}/alert/" in text


def test_reply_2_is_logged_and_leaves_the_decision_to_the_dispatcher(open_committee, zone3, diego):
    carla = make_responder(open_committee, [zone3], name="Carla")
    incident = reported(open_committee, zone3).incident
    services.confirmers_ask(actor=diego, incident=incident, person_ids=[carla.pk])
    reply(carla, "2")
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.UNVERIFIED
    assert ConfirmerRequest.objects.get().answer == ConfirmerRequest.Answer.NOT_SEEN
    assert incident.log.filter(kind=LogEntry.Kind.NOT_SEEN, person=carla).exists()


def test_nobody_outside_the_candidates_can_be_asked(open_committee, zone3, diego):
    untrained = make_responder(open_committee, [zone3], trained=None)
    incident = reported(open_committee, zone3).incident
    with pytest.raises(ValidationError):
        services.confirmers_ask(actor=diego, incident=incident, person_ids=[untrained.pk])
    assert not Message.objects.filter(person=untrained).exists()


def test_incident_page_shows_who_verified_what_and_when(
    open_committee, zone3, diego, dispatcher, client_for
):
    carla = make_responder(open_committee, [zone3], name="Carla Confirmer")
    incident = reported(open_committee, zone3).incident
    services.confirmers_ask(actor=diego, incident=incident, person_ids=[carla.pk])
    reply(carla, "1")
    page = client_for(dispatcher).get(reverse("rapid_response:incident", args=[incident.pk]))
    body = page.content.decode()
    assert "Carla Confirmer" in body and "A confirmer sees agents" in body
    assert "Diego Dispatcher" in body  # who asked
