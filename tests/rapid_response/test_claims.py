"""Claiming: whoever claims an incident owns it, the others see it, a stale claim can be
taken over; status moves are logged, a false alarm needs a reason."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from rapid_response import services
from rapid_response.models import Incident, IncidentStatus, LogEntry

from ..factories import make_member
from .helpers import reported

pytestmark = pytest.mark.django_db


@pytest.fixture
def second_dispatcher(committee):
    return make_member(committee, roles=["dispatcher"], name="Dora Dispatcher")


def test_fresh_claim_is_refused_to_another_dispatcher_and_stale_one_taken_over(
    open_committee, zone3, dispatcher, second_dispatcher, viewer_of
):
    incident = reported(open_committee, zone3).incident
    services.incident_claim(actor=viewer_of(dispatcher), incident=incident)
    with pytest.raises(services.ClaimRefused):
        services.incident_claim(actor=viewer_of(second_dispatcher), incident=incident)
    Incident.objects.filter(pk=incident.pk).update(
        claimed_at=timezone.now() - timedelta(minutes=11)
    )
    services.incident_claim(actor=viewer_of(second_dispatcher), incident=incident)
    incident.refresh_from_db()
    assert incident.claimed_by == second_dispatcher
    kinds = list(incident.log.values_list("kind", flat=True))
    assert LogEntry.Kind.CLAIMED in kinds and LogEntry.Kind.TAKEN_OVER in kinds


def test_claim_is_visible_to_the_other_dispatchers(
    open_committee, zone3, dispatcher, second_dispatcher, viewer_of, client_for
):
    incident = reported(open_committee, zone3).incident
    services.incident_claim(actor=viewer_of(dispatcher), incident=incident)
    page = client_for(second_dispatcher).get(reverse("rapid_response:inbox"))
    assert "Claimed by Diego Dispatcher" in page.content.decode()
    response = client_for(second_dispatcher).post(
        reverse("rapid_response:claim", args=[incident.pk])
    )
    assert response.status_code == 302
    incident.refresh_from_db()
    assert incident.claimed_by == dispatcher


def test_false_alarm_needs_a_reason_and_is_logged_with_who_and_when(
    open_committee, zone3, dispatcher, viewer_of
):
    incident = reported(open_committee, zone3).incident
    diego = viewer_of(dispatcher)
    with pytest.raises(ValidationError):
        services.incident_status_set(
            actor=diego, incident=incident, status=IncidentStatus.FALSE_ALARM
        )
    services.incident_status_set(
        actor=diego, incident=incident, status=IncidentStatus.FALSE_ALARM, reason="malicious"
    )
    entry = incident.log.get(kind=LogEntry.Kind.STATUS)
    assert entry.actor == dispatcher and entry.status == IncidentStatus.FALSE_ALARM and entry.at


def test_repeated_false_reports_from_one_source_show_as_a_count_not_the_number(
    open_committee, zone3, dispatcher, viewer_of, client_for
):
    diego = viewer_of(dispatcher)
    number = "+12135550177"
    from rapid_response.shared import lookup_hash

    for _ in range(2):
        incident = reported(
            open_committee, zone3, source_hash=lookup_hash(number), callback_phone=""
        ).incident
        services.incident_status_set(
            actor=diego, incident=incident, status=IncidentStatus.FALSE_ALARM, reason="malicious"
        )
    fresh = reported(open_committee, zone3, source_hash=lookup_hash(number)).incident
    body = client_for(dispatcher).get(reverse("rapid_response:incident", args=[fresh.pk]))
    text = body.content.decode()
    assert "2 earlier false alarms from this source" in text
    assert number not in text and lookup_hash(number) not in text


def test_responder_and_probationary_member_get_404_for_an_incident(
    open_committee, zone3, vetted_member, probationary_member, client_for
):
    incident = reported(open_committee, zone3).incident
    for member in (vetted_member, probationary_member):
        response = client_for(member).get(reverse("rapid_response:incident", args=[incident.pk]))
        assert response.status_code in (403, 404)
        assert "5th St" not in response.content.decode()
