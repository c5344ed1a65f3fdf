"""Must-show 1, end to end through the signed webhook and the outbox: a report by SMS,
verified by a confirmer's reply, alerted to the zone's trained responders in their
languages; their YES appears on the board; the all clear reaches exactly the alerted."""

import pytest
from django.test import Client
from django.urls import reverse

from notifications.backends import locmem
from rapid_response.models import Alert, Incident, IncidentStatus

from ..factories import grant_consent, make_responder
from ..notifications.conftest import inbound_params, signed_post

pytestmark = pytest.mark.django_db(transaction=False)

REPORTER = "+13235550142"


def sms(sender, body):
    response = signed_post(Client(), "/sms/inbound/", inbound_params(from_number=sender, body=body))
    assert response.status_code == 200


def bodies_to(number) -> list[str]:
    return [m.body for m in locmem.outbox if m.to == str(number)]


def test_sms_report_to_confirmed_alert_board_and_all_clear(
    open_committee, zone3, dispatcher, client_for, django_capture_on_commit_callbacks
):
    grant_consent(dispatcher.person, "raid_alerts")
    confirmer = make_responder(open_committee, [zone3], name="Carla", language="es")
    rosa = make_responder(open_committee, [zone3], name="Rosa", language="es")
    tom = make_responder(open_committee, [zone3], name="Tom", language="en")
    quiet = make_responder(open_committee, [zone3], name="Quiet", language="en")
    newcomer = make_responder(open_committee, [zone3], status="probationary", name="Newcomer")
    desk = client_for(dispatcher)

    # 1. A neighbour texts the committee's number.
    with django_capture_on_commit_callbacks(execute=True):
        sms(REPORTER, "Migra en Zone 3, Soto y 1st, dos camionetas")
    incident = Incident.objects.get()
    assert incident.status == IncidentStatus.UNVERIFIED
    assert any("reporte" in body for body in bodies_to(REPORTER))
    assert any(
        f"/dispatch/incidents/{incident.pk}/" in b for b in bodies_to(dispatcher.person.phone)
    )
    assert not bodies_to(rosa.phone) and not bodies_to(tom.phone)  # nothing broadcast yet

    # 2. The dispatcher claims it and asks a confirmer to go and look.
    desk.post(reverse("rapid_response:claim", args=[incident.pk]))
    with django_capture_on_commit_callbacks(execute=True):
        desk.post(
            reverse("rapid_response:confirmers", args=[incident.pk]), {"person": confirmer.pk}
        )
    assert len(bodies_to(confirmer.phone)) == 1

    # 3. The confirmer sees agents: the incident is confirmed by their reply.
    with django_capture_on_commit_callbacks(execute=True):
        sms(str(confirmer.phone), "1")
    incident.refresh_from_db()
    assert incident.status == IncidentStatus.CONFIRMED

    # 4. The one-screen confirm shows the count and both texts; the dispatcher sends it.
    screen = desk.get(reverse("rapid_response:alert_new", args=[incident.pk])).content.decode()
    assert "4 trained responders will get this alert" in screen
    assert "RAID ALERT" in screen and "ALERTA" in screen
    with django_capture_on_commit_callbacks(execute=True):
        response = desk.post(
            reverse("rapid_response:alert_new", args=[incident.pk]),
            {"where": "Soto St and 1st St", "agencies": ["ice"], "send": "1"},
        )
    alert = Alert.objects.get()
    assert response.status_code == 302 and response["Location"].endswith(f"/alerts/{alert.pk}/")
    [to_rosa] = bodies_to(rosa.phone)
    [to_tom] = bodies_to(tom.phone)
    assert "ALERTA" in to_rosa and "SÍ" in to_rosa
    assert "RAID ALERT" in to_tom and "YES" in to_tom
    assert not bodies_to(newcomer.phone)
    alerted = {str(p.phone) for p in (confirmer, rosa, tom, quiet)}

    # 5. YES / SÍ / NO come back through the webhook and show on the board.
    with django_capture_on_commit_callbacks(execute=True):
        sms(str(rosa.phone), "Sí")
        sms(str(tom.phone), "yes")
        sms(str(confirmer.phone), "NO")
    rows = desk.get(reverse("rapid_response:board_rows", args=[alert.pk]))
    board = rows.content.decode()
    going = board.split('id="going-h"')[1].split("</section>")[0]
    assert "Rosa" in going and "Tom" in going and "Carla" not in going
    assert "Quiet" in board.split('id="waiting-h"')[1]
    # Nothing changed since: the poll is answered 304 Not Modified.
    again = desk.get(
        reverse("rapid_response:board_rows", args=[alert.pk]), HTTP_IF_NONE_MATCH=rows["ETag"]
    )
    assert again.status_code == 304

    # 6. The all clear reaches exactly the people who got the alert.
    late = make_responder(open_committee, [zone3], name="Late", language="es")
    before = len(locmem.outbox)
    with django_capture_on_commit_callbacks(execute=True):
        desk.post(reverse("rapid_response:notice", args=[alert.pk]), {"kind": "all_clear"})
    all_clear = locmem.outbox[before:]
    assert {m.to for m in all_clear} == alerted
    assert not bodies_to(late.phone) and not bodies_to(newcomer.phone)
    alert.refresh_from_db()
    assert alert.all_clear_at is not None
