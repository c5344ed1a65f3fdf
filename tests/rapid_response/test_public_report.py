"""The public report form: fast, EN/ES, no account; bad input and floods get clear
messages, never a 500, and never an alert."""

import time

import pytest
from django.urls import reverse

from lib import antibot
from notifications.models import Message
from rapid_response.models import Incident, Report

from ..factories import make_responder

pytestmark = pytest.mark.django_db


def stamp(seconds_ago=30):
    return antibot.stamp(time.time() - seconds_ago)


def form(area, **overrides):
    data = {
        "zone": area.pk,
        "cross_streets": "Cesar Chavez Ave and Soto St",
        "activity": "Three agents in vests stopping people at the bus stop",
        "agencies": ["ice"],
        "size": "3",
        "vehicles": "two grey vans",
        "callback": "",
        "language": "es",
        "website": "",
        "started": stamp(),
    }
    data.update(overrides)
    return data


def url(committee):
    return reverse("rapid_response_public:report", args=[committee.slug])


def test_public_report_makes_an_incident_and_alerts_nobody(anonymous, open_committee, zone3):
    responder = make_responder(open_committee, [zone3])
    response = anonymous.post(url(open_committee), form(zone3, callback="213 555 0142"))
    assert response.status_code == 200
    report = Report.objects.get()
    assert report.source == Report.Source.WEB and report.zone == zone3
    assert report.callback_phone == "+12135550142"
    assert report.incident.status == "unverified"
    assert not Message.objects.filter(person=responder).exists()


def test_form_is_in_spanish_for_a_spanish_visitor(anonymous, open_committee, zone3):
    anonymous.cookies["defensa_language"] = "es"
    page = anonymous.get(url(open_committee)).content.decode()
    assert "Enviar reporte" in page and "Calles que cruzan" in page


def test_a_house_number_is_refused_with_a_clear_message(anonymous, open_committee, zone3):
    response = anonymous.post(url(open_committee), form(zone3, cross_streets="1234 Main St"))
    assert response.status_code == 400
    assert "not a house number" in response.content.decode()
    assert not Report.objects.exists()


@pytest.mark.parametrize(
    "bad",
    [
        {"zone": "99999999999999999999"},
        {"zone": "abc"},
        {"cross_streets": ""},
        {"activity": "   "},
        {"activity": "x" * 5000},
        {"callback": "not a phone"},
        {"agencies": ["tanks"]},
        {"started": "forged"},
        {"website": "http://spam.example"},
        {"language": "fr"},
    ],
)
def test_bad_input_gets_a_message_never_a_500_nor_a_report(anonymous, open_committee, zone3, bad):
    response = anonymous.post(url(open_committee), form(zone3, **bad))
    assert response.status_code == 400
    assert not Report.objects.exists()


def test_zone_of_another_committee_is_refused(anonymous, open_committee, other_committee):
    from ..factories import ZoneFactory

    foreign = ZoneFactory(committee=other_committee)
    response = anonymous.post(url(open_committee), form(foreign))
    assert response.status_code == 400
    assert not Report.objects.exists()


def test_unknown_committee_is_a_404(anonymous):
    assert anonymous.get("/report/nobody-here/").status_code == 404


def test_a_flood_is_throttled_with_a_clear_message_no_500_and_no_alert(
    anonymous, open_committee, zone3
):
    responder = make_responder(open_committee, [zone3])
    statuses = [anonymous.post(url(open_committee), form(zone3)).status_code for _ in range(40)]
    assert 500 not in statuses
    assert statuses[:10] == [200] * 10
    assert set(statuses[10:]) == {429}
    refused = anonymous.post(url(open_committee), form(zone3))
    assert "Too many reports from this connection" in refused.content.decode()
    assert Report.objects.count() == 10
    assert Incident.objects.count() == 1  # one zone, one hour: one incident
    assert not Message.objects.filter(person=responder).exists()


def test_one_callback_number_cannot_flood_from_many_addresses(open_committee, zone3):
    from django.test import Client

    statuses = []
    for n in range(6):
        client = Client(REMOTE_ADDR=f"10.0.0.{n}")
        statuses.append(
            client.post(url(open_committee), form(zone3, callback="2135550142")).status_code
        )
    assert statuses == [200, 200, 200, 429, 429, 429]
