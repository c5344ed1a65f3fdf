"""Every rapid-response page makes as many queries with many rows as with few; the board
stays constant between 10 and 2,000 alerted responders."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from rapid_response import services
from rapid_response.models import (
    AlertRecipient,
    ConfirmerRequest,
    DispatcherShift,
    Incident,
    LogEntry,
)

from ..factories import ZoneFactory, bulk_responders
from ..helpers import assert_constant_queries, count_queries
from .helpers import confirmed_incident, reported

pytestmark = pytest.mark.django_db


def alerted(committee, dispatcher_viewer, count, name):
    zone = ZoneFactory(committee=committee, name=name)
    people = bulk_responders(committee, zone, count, start=hash(name) % 5000)
    incident = confirmed_incident(committee, zone, dispatcher_viewer)
    alert = services.alert_send(actor=dispatcher_viewer, incident=incident)
    assert alert.recipient_count == count
    AlertRecipient.objects.filter(alert=alert, person__in=people[::3]).update(
        response="yes", responded_at=timezone.now()
    )
    AlertRecipient.objects.filter(alert=alert, person__in=people[1::3]).update(response="no")
    return alert


def test_board_query_count_is_the_same_for_10_and_2000_responders(
    open_committee, dispatcher, viewer_of, client_for
):
    diego = viewer_of(dispatcher)
    small = alerted(open_committee, diego, 10, "Small zone")
    large = alerted(open_committee, diego, 2000, "Large zone")
    client = client_for(dispatcher)
    for name in ("rapid_response:board", "rapid_response:board_rows"):
        assert client.get(reverse(name, args=[small.pk])).status_code == 200
        few = count_queries(lambda: client.get(reverse(name, args=[small.pk])))  # noqa: B023
        many = count_queries(lambda: client.get(reverse(name, args=[large.pk])))  # noqa: B023
        assert few == many, f"{name}: {few} queries for 10, {many} for 2,000"
    page = client.get(reverse("rapid_response:board_rows", args=[large.pk]))
    assert page.content.decode().count("<li>") >= 2000


def test_inbox_query_count_is_constant(open_committee, dispatcher, client_for):
    zones = [ZoneFactory(committee=open_committee) for _ in range(5)]

    def make_rows(n):
        now = timezone.now()
        Incident.objects.bulk_create(
            [
                Incident(
                    committee=open_committee,
                    zone=zones[i % 5],
                    claimed_by=dispatcher if i % 2 else None,
                    last_report_at=now,
                    closed_at=now if i % 4 == 0 else None,
                )
                for i in range(n)
            ]
        )
        for i in range(min(n, 20)):
            reported(open_committee, zones[i % 5])

    client = client_for(dispatcher)
    assert_constant_queries(make_rows, lambda: client.get(reverse("rapid_response:inbox")))


def test_incident_page_query_count_is_constant(
    open_committee, zone3, dispatcher, viewer_of, client_for
):
    incident = reported(open_committee, zone3, callback_phone="+12135550101").incident
    people = bulk_responders(open_committee, zone3, 60, start=7000)

    def make_rows(n):
        for _ in range(n // 10):
            reported(open_committee, zone3, callback_phone="+12135550101", source_hash="x")
        LogEntry.objects.bulk_create(
            [LogEntry(incident=incident, kind="note", actor=dispatcher, note="n") for _ in range(n)]
        )
        asked = set(incident.confirmers.values_list("person_id", flat=True))
        ConfirmerRequest.objects.bulk_create(
            [ConfirmerRequest(incident=incident, person=p) for p in people if p.pk not in asked][
                : n // 5
            ]
        )

    client = client_for(dispatcher)
    url = reverse("rapid_response:incident", args=[incident.pk])
    assert_constant_queries(make_rows, lambda: client.get(url), small=10, large=150)


def test_reports_page_query_count_is_constant(open_committee, dispatcher, client_for):
    zones = [ZoneFactory(committee=open_committee) for _ in range(4)]

    def make_rows(n):
        now = timezone.now()
        Incident.objects.bulk_create(
            [
                Incident(
                    committee=open_committee,
                    zone=zones[i % 4],
                    status=["unverified", "probable", "confirmed", "false_alarm"][i % 4],
                    opened_at=now - timedelta(days=i % 60),
                    verified_at=now - timedelta(days=i % 60) + timedelta(minutes=9),
                    alerted_at=now - timedelta(days=i % 60) + timedelta(minutes=14),
                )
                for i in range(n)
            ]
        )

    client = client_for(dispatcher)
    response = assert_constant_queries(
        make_rows, lambda: client.get(reverse("rapid_response:reports"))
    )
    assert response


def test_shifts_page_query_count_is_constant(open_committee, dispatcher, client_for):
    def make_rows(n):
        now = timezone.now()
        DispatcherShift.objects.bulk_create(
            [
                DispatcherShift(
                    committee=open_committee,
                    person=dispatcher.person,
                    starts_at=now + timedelta(hours=i),
                    ends_at=now + timedelta(hours=i + 1),
                    languages=["es"],
                )
                for i in range(n)
            ]
        )

    client = client_for(dispatcher)
    assert_constant_queries(make_rows, lambda: client.get(reverse("rapid_response:shifts")))


def test_alert_screen_and_dashboard_stay_within_their_query_budget(
    open_committee, zone3, dispatcher, viewer_of, client_for, django_assert_max_num_queries
):
    bulk_responders(open_committee, zone3, 500, start=8000)
    incident = confirmed_incident(open_committee, zone3, viewer_of(dispatcher))
    client = client_for(dispatcher)
    with django_assert_max_num_queries(30):
        page = client.get(reverse("rapid_response:alert_new", args=[incident.pk]))
    assert "500 trained responders" in page.content.decode()
    with django_assert_max_num_queries(40):
        assert client.get(reverse("dashboard")).status_code == 200


def test_alert_to_2000_responders_is_written_in_a_constant_number_of_statements(
    open_committee, dispatcher, viewer_of
):
    diego = viewer_of(dispatcher)
    counts = {}
    for count, name in ((10, "Ten"), (2000, "Two thousand")):
        zone = ZoneFactory(committee=open_committee, name=name)
        bulk_responders(open_committee, zone, count, start=5000 if count == 10 else 0)
        incident = confirmed_incident(open_committee, zone, diego)
        counts[count] = count_queries(
            lambda incident=incident: services.alert_send(actor=diego, incident=incident)
        )
    from django.db import connection

    if connection.vendor == "postgresql":
        # One INSERT … SELECT each for the conversations and the outbox, one INSERT for
        # the board's rows: the same statements for 10 and 2,000.
        assert counts[2000] == counts[10], counts
    else:
        # SQLite caps the parameters of one statement, so the board's rows take an
        # INSERT per ~30: still never a statement per responder.
        assert counts[2000] - counts[10] < 2000 / 20, counts
