"""Must-show 1 through the real worker path: a Celery worker process on Redis sends every
text with the real Twilio client to the fake Twilio, and every text people send comes in
through the signed inbound webhook. A report by SMS, a confirmer asked and confirming by
reply, the alert to the zone's trained responders in their languages, YES replies on the
board, and the all clear to exactly the people who got the alert.

On PostgreSQL and Redis, as in production (CI sets DATABASE_URL and REDIS_URL and fails on
a skipped test). The broker is this test's own redis-server (tests/workers.py), so no other
run's tasks are in its queues. Every wait polls with a generous deadline: on a loaded
2-core machine a step may take seconds; only what arrives is asserted, never how fast.
"""

import pytest
from django.conf import settings
from django.db import connection
from django.test import Client
from django.urls import reverse

from notifications.models import Message, Status
from rapid_response.models import Alert, AlertRecipient, Incident, IncidentStatus

from ..factories import grant_consent, make_responder
from ..notifications.conftest import inbound_params, signed_post
from ..workers import Worker, publishing_to, wait_for

pytestmark = pytest.mark.django_db(transaction=True)

REPORTER = "+13235550142"
DEADLINE = 90.0  # seconds for any one step; a healthy run takes well under one each
IN_FLIGHT = (Status.QUEUED, Status.SENDING)


@pytest.fixture(autouse=True)
def _postgresql_and_redis():
    if connection.vendor != "postgresql" or not settings.REDIS_URL:
        pytest.skip(
            "needs PostgreSQL and Redis (set DATABASE_URL and REDIS_URL); CI runs it on both"
        )


def sms(sender, body):
    """A text to the committee's number, as Twilio posts it: signed."""
    response = signed_post(Client(), "/sms/inbound/", inbound_params(from_number=sender, body=body))
    assert response.status_code == 200


def all_sent():
    """Nothing left in the outbox on its way (every row handed over has been sent)."""
    return not Message.objects.filter(status__in=IN_FLIGHT).exists()


def test_sms_report_to_alert_board_and_all_clear_through_a_real_worker(
    open_committee, zone3, dispatcher, client_for, redis_server, twilio_for_workers, tmp_path
):
    fake = twilio_for_workers

    def bodies_to(number) -> list[str]:
        return [m.body for m in fake.messages_to(str(number))]

    grant_consent(dispatcher.person, "raid_alerts")
    confirmer = make_responder(open_committee, [zone3], name="Carla", language="es")
    rosa = make_responder(open_committee, [zone3], name="Rosa", language="es")
    tom = make_responder(open_committee, [zone3], name="Tom", language="en")
    quiet = make_responder(open_committee, [zone3], name="Quiet", language="en")
    newcomer = make_responder(open_committee, [zone3], status="probationary", name="Newcomer")
    untrained = make_responder(open_committee, [zone3], trained=None, name="Untrained")
    desk = client_for(dispatcher)
    worker = Worker(
        name="all",
        queues="urgent,default,bulk",
        redis_server=redis_server,
        fake_twilio=fake,
        log_dir=tmp_path,
        concurrency=2,
    )
    try:
        with publishing_to(redis_server.url(0)):
            worker.start(timeout=90)

            # 1. A neighbour texts the committee's number: an acknowledgement in their
            # language, a text with the link to the dispatcher, nothing to responders.
            sms(REPORTER, "Migra en Zone 3, Soto y 1st, dos camionetas")
            incident = Incident.objects.get()
            assert incident.status == IncidentStatus.UNVERIFIED
            wait_for(lambda: bodies_to(REPORTER), timeout=DEADLINE, interval=0.1)
            assert any("reporte" in body for body in bodies_to(REPORTER))
            link = f"/dispatch/incidents/{incident.pk}/"
            wait_for(
                lambda: any(link in b for b in bodies_to(dispatcher.person.phone)),
                timeout=DEADLINE,
                interval=0.1,
            )

            # 2. The dispatcher claims it and asks a confirmer near the zone to look.
            assert desk.post(reverse("rapid_response:claim", args=[incident.pk])).status_code == 302
            desk.post(
                reverse("rapid_response:confirmers", args=[incident.pk]), {"person": confirmer.pk}
            )
            wait_for(lambda: bodies_to(confirmer.phone), timeout=DEADLINE, interval=0.1)
            wait_for(all_sent, timeout=DEADLINE)
            for person in (rosa, tom, quiet, newcomer, untrained):
                assert not bodies_to(person.phone)  # nothing broadcast from a report

            # 3. The confirmer sees agents and answers by text: the incident is confirmed.
            sms(str(confirmer.phone), "1")
            incident.refresh_from_db()
            assert incident.status == IncidentStatus.CONFIRMED
            wait_for(lambda: len(bodies_to(confirmer.phone)) >= 2, timeout=DEADLINE)  # thanks

            # 4. The one-screen confirm: the count and each language's text; send.
            page = desk.get(reverse("rapid_response:alert_new", args=[incident.pk]))
            screen = page.content.decode()
            assert "4 trained responders will get this alert" in screen
            assert "RAID ALERT" in screen and "ALERTA" in screen
            wait_for(all_sent, timeout=DEADLINE)
            before = {p.pk: len(bodies_to(p.phone)) for p in (confirmer, rosa, tom, quiet)}
            response = desk.post(
                reverse("rapid_response:alert_new", args=[incident.pk]),
                {"where": "Soto St and 1st St", "agencies": ["ice"], "send": "1"},
            )
            alert = Alert.objects.get()
            assert response.status_code == 302
            assert response["Location"].endswith(f"/alerts/{alert.pk}/")
            alerted = (confirmer, rosa, tom, quiet)
            wait_for(
                lambda: all(len(bodies_to(p.phone)) > before[p.pk] for p in alerted),
                timeout=DEADLINE,
                interval=0.1,
            )
            wait_for(all_sent, timeout=DEADLINE)
            for person in alerted:
                [text] = bodies_to(person.phone)[before[person.pk] :]
                if person.language == "es":
                    assert "ALERTA" in text and "SÍ" in text and "RAID ALERT" not in text
                else:
                    assert "RAID ALERT" in text and "YES" in text and "ALERTA" not in text
                assert "Soto St and 1st St" in text
            for person in (newcomer, untrained):
                assert not bodies_to(person.phone)
            assert fake.accepted_to(str(rosa.phone)) == 1  # once, no retry doubled it

            # 5. YES / SÍ / NO come back through the signed webhook and show on the board.
            sms(str(rosa.phone), "Sí")
            sms(str(tom.phone), "yes")
            sms(str(confirmer.phone), "NO")
            answers = dict(
                AlertRecipient.objects.filter(alert=alert).values_list("person_id", "response")
            )
            assert answers == {
                rosa.pk: AlertRecipient.Response.YES,
                tom.pk: AlertRecipient.Response.YES,
                confirmer.pk: AlertRecipient.Response.NO,
                quiet.pk: AlertRecipient.Response.NONE,
            }
            board = desk.get(reverse("rapid_response:board_rows", args=[alert.pk]))
            html = board.content.decode()
            going = html.split('id="going-h"')[1].split("</section>")[0]
            declined = html.split('id="declined-h"')[1].split("</section>")[0]
            waiting = html.split('id="waiting-h"')[1].split("</section>")[0]
            assert "Rosa" in going and "Tom" in going and "Carla" not in going
            assert "Carla" in declined
            assert "Quiet" in waiting and "Rosa" not in waiting
            # The delivery state the worker recorded: every alert left for Twilio.
            assert "Sent 4" in html
            # Each answer is thanked, by text, in the responder's language.
            wait_for(lambda: len(bodies_to(rosa.phone)) >= 2, timeout=DEADLINE)
            wait_for(lambda: len(bodies_to(tom.phone)) >= 2, timeout=DEADLINE)
            wait_for(all_sent, timeout=DEADLINE)

            # 6. The all clear reaches exactly the people who got the alert: not someone
            # who joined the zone since, not the probationary or untrained member.
            late = make_responder(open_committee, [zone3], name="Late", language="es")
            with fake.lock:
                already = len(fake.messages)
            assert (
                desk.post(
                    reverse("rapid_response:notice", args=[alert.pk]), {"kind": "all_clear"}
                ).status_code
                == 302
            )
            wait_for(
                lambda: len(fake.messages) >= already + len(alerted), timeout=DEADLINE, interval=0.1
            )
            wait_for(all_sent, timeout=DEADLINE)
    finally:
        worker.stop()

    with fake.lock:
        all_clear = list(fake.messages[already:])
    assert sorted(m.to for m in all_clear) == sorted(str(p.phone) for p in alerted)
    for person in (late, newcomer, untrained):
        assert not bodies_to(person.phone)
    alert.refresh_from_db()
    assert alert.all_clear_at is not None
    # Every text went once: Twilio accepted no number's message twice for one row.
    assert sum(fake.accepted.values()) == Message.objects.filter(status=Status.SENT).count()
    assert REPORTER not in worker.log() and str(rosa.phone) not in worker.log()
