"""Reports are grouped into incidents (same zone, within the hour), keep their source,
and a new incident texts the dispatchers on call, never the responders."""

from datetime import timedelta

import pytest
from django.utils import timezone

from notifications.models import Message, Urgency
from rapid_response import services
from rapid_response.models import DispatcherShift, Incident, IncidentStatus, Report

from ..factories import ZoneFactory, make_member, make_responder
from .conftest import sent_to
from .helpers import reported

pytestmark = pytest.mark.django_db


def on_shift(membership, *, hours=(-1, 3)):
    from tests.factories import grant_consent

    grant_consent(membership.person, "raid_alerts")
    now = timezone.now()
    return DispatcherShift.objects.create(
        committee=membership.committee,
        person=membership.person,
        starts_at=now + timedelta(hours=hours[0]),
        ends_at=now + timedelta(hours=hours[1]),
        languages=["es", "en"],
    )


def test_reports_in_one_zone_within_the_hour_are_one_incident_each_with_its_source(
    open_committee, zone3
):
    first = reported(open_committee, zone3, source=Report.Source.WEB)
    second = reported(open_committee, zone3, source=Report.Source.DISPATCHER)
    other_zone = reported(open_committee, ZoneFactory(committee=open_committee))
    assert first.incident_id == second.incident_id != other_zone.incident_id
    incident = Incident.objects.get(pk=first.incident_id)
    assert incident.report_count == 2
    assert sorted(incident.reports.values_list("source", flat=True)) == ["dispatcher", "web"]


def test_report_more_than_an_hour_later_opens_a_new_incident(open_committee, zone3):
    first = reported(open_committee, zone3)
    Incident.objects.filter(pk=first.incident_id).update(
        last_report_at=timezone.now() - timedelta(minutes=61)
    )
    assert reported(open_committee, zone3).incident_id != first.incident_id


def test_false_alarm_is_not_grouped_into(open_committee, zone3, dispatcher, viewer_of):
    first = reported(open_committee, zone3)
    services.incident_status_set(
        actor=viewer_of(dispatcher),
        incident=first.incident,
        status=IncidentStatus.FALSE_ALARM,
        reason="nothing_seen",
    )
    assert reported(open_committee, zone3).incident_id != first.incident_id


def test_a_second_source_makes_an_unverified_incident_probable_never_confirmed(
    open_committee, zone3
):
    first = reported(open_committee, zone3, source_hash="a")
    reported(open_committee, zone3, source_hash="a")
    assert Incident.objects.get(pk=first.incident_id).status == IncidentStatus.UNVERIFIED
    reported(open_committee, zone3, source_hash="b")
    assert Incident.objects.get(pk=first.incident_id).status == IncidentStatus.PROBABLE


def test_new_incident_texts_dispatchers_on_call_on_the_urgent_queue(
    open_committee, zone3, django_capture_on_commit_callbacks
):
    on_call = make_member(open_committee, roles=["dispatcher"], name="On call")
    off_call = make_member(open_committee, roles=["dispatcher"], name="Off call")
    on_shift(on_call)
    on_shift(off_call, hours=(5, 8))
    responder = make_responder(open_committee, [zone3])
    with django_capture_on_commit_callbacks(execute=True):
        report = reported(open_committee, zone3)
    [message] = Message.objects.filter(template="rapid_response_new_report")
    assert message.person == on_call.person and message.urgency == Urgency.URGENT
    [text] = sent_to(on_call.person)
    assert f"/dispatch/incidents/{report.incident_id}/" in text
    assert "5th St" not in text  # no report details by SMS
    assert sent_to(off_call.person) == [] and sent_to(responder) == []
    with django_capture_on_commit_callbacks(execute=True):
        reported(open_committee, zone3)  # grouped: no second text
    assert len(sent_to(on_call.person)) == 1


def test_with_nobody_on_call_every_dispatcher_is_texted(open_committee, zone3, dispatcher):
    from tests.factories import grant_consent

    grant_consent(dispatcher.person, "raid_alerts")
    reported(open_committee, zone3)
    assert Message.objects.filter(
        person=dispatcher.person, template="rapid_response_new_report"
    ).exists()


def test_report_with_a_zone_of_another_committee_is_refused(open_committee, other_committee):
    with pytest.raises(ValueError):
        reported(open_committee, ZoneFactory(committee=other_committee))
    assert not Report.objects.exists()
