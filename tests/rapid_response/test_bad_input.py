"""Bad input to any dispatch screen gets a clear message, never a 500 and never
half-saved data; a dispatcher's own report (taken on a call) is saved and claimed."""

import pytest
from django.test import Client
from django.urls import reverse

from rapid_response.models import Alert, Handoff, Incident, LogEntry, Report

from ..factories import make_responder
from .helpers import confirmed_incident

pytestmark = pytest.mark.django_db

GARBAGE = [
    {},
    {"status": "exploded", "reason": "x" * 500, "note": "\x00"},
    {"person": ["abc", "-1", "99999999999999999999"]},
    {"zone": "'; DROP TABLE", "zones": ["x"], "where": "9" * 500, "agencies": ["tanks"]},
    {"kind": "launch", "text_en": "x" * 5000},
    {"warrant": "maybe", "detained_count": "-5"},
    {"phone": "call me", "language": "klingon"},
    {"case": "not a case", "amount": "lots"},
    {"send": "1", "zones": ["0"]},
]


def test_garbage_to_every_dispatch_action_never_500s(
    open_committee, zone3, dispatcher, coordinator, viewer_of
):
    make_responder(open_committee, [zone3])
    incident = confirmed_incident(open_committee, zone3, viewer_of(dispatcher))
    from rapid_response import services

    alert = services.alert_send(actor=viewer_of(dispatcher), incident=incident)
    record = Handoff.objects.create(incident=incident, legal_request_id=1)
    client = Client(raise_request_exception=False)
    client.force_login(coordinator.person.user)
    urls = [
        reverse(f"rapid_response:{name}", args=[incident.pk])
        for name in (
            "claim",
            "release",
            "status",
            "note",
            "zone",
            "confirmers",
            "observed",
            "handoff",
            "alert_new",
        )
    ] + [
        reverse("rapid_response:handoff_bond", args=[incident.pk, record.pk]),
        reverse("rapid_response:notice", args=[alert.pk]),
        reverse("rapid_response:report_new"),
        reverse("rapid_response:shifts"),
        reverse("rapid_response:settings"),
    ]
    logs = LogEntry.objects.count()
    for url in urls:
        for data in GARBAGE:
            response = client.post(url, data)
            assert response.status_code < 500, f"{url} {data}: {response.status_code}"
    assert Alert.objects.count() == 1 and Handoff.objects.count() == 1
    assert Report.objects.count() == 1
    # Only the claim and release left a trace: no status, note, alert or log from garbage.
    kinds = set(LogEntry.objects.all()[logs:].values_list("kind", flat=True))
    assert kinds <= {LogEntry.Kind.CLAIMED, LogEntry.Kind.RELEASED}


def test_another_committees_incident_is_a_404_for_every_action(
    open_committee, zone3, dispatcher, outsider, viewer_of, client_for
):
    incident = confirmed_incident(open_committee, zone3, viewer_of(dispatcher))
    client = client_for(outsider)
    for name in ("incident", "claim", "status", "alert_new", "handoff", "observed"):
        response = client.post(reverse(f"rapid_response:{name}", args=[incident.pk]))
        assert response.status_code == 404, name
    incident.refresh_from_db()
    assert incident.claimed_by is None


def test_dispatcher_enters_a_report_from_a_call_and_owns_the_incident(
    open_committee, zone3, dispatcher, client_for
):
    response = client_for(dispatcher).post(
        reverse("rapid_response:report_new"),
        {
            "zone": zone3.pk,
            "cross_streets": "Cesar Chavez and Soto",
            "activity": "Caller sees agents at the car wash",
            "agencies": ["ice", "police"],
            "size": "5",
            "uniforms": "vests marked POLICE ICE",
            "vehicles": "unmarked SUV",
            "seen_minutes_ago": "10",
            "callback": "213 555 0190",
            "language": "es",
        },
    )
    incident = Incident.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/{incident.pk}/")
    report = incident.reports.get()
    assert report.source == Report.Source.DISPATCHER and report.entered_by == dispatcher
    assert report.uniforms == "vests marked POLICE ICE" and report.seen_at
    assert incident.claimed_by == dispatcher
