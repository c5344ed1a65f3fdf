"""A text to the committee's number that answers no question is a possible report: it
reaches the dispatch inbox (not the coordinators' inbox) and the sender is answered in
their language. A flood of texts is throttled: no 500, no alert, no answer storm."""

import pytest
from django.test import Client

from notifications.models import InboundMessage, Message, NumberFlag
from notifications.services import number_opt_out
from rapid_response.models import Incident, Report

from ..factories import make_responder
from ..notifications.conftest import inbound_params, signed_post
from .conftest import COMMITTEE_NUMBER

pytestmark = pytest.mark.django_db

SENDER = "+13235550199"


def text(body, sender=SENDER, **extra):
    return signed_post(
        Client(), "/sms/inbound/", inbound_params(from_number=sender, body=body, **extra)
    )


def acknowledgements():
    return Message.objects.filter(template="rapid_response_received")


def test_unmatched_text_becomes_a_report_and_is_acknowledged_in_spanish(
    open_committee, zone3, django_capture_on_commit_callbacks
):
    from notifications.backends import locmem

    with django_capture_on_commit_callbacks(execute=True):
        response = text("Hay migra en la esquina de Soto, zone 3, 2 camionetas")
    assert response.status_code == 200
    report = Report.objects.get()
    assert report.source == Report.Source.SMS and report.zone == zone3
    assert report.language == "es" and report.callback_phone == SENDER
    inbound = InboundMessage.objects.get()
    assert inbound.outcome == InboundMessage.Outcome.ROUTED  # not waiting in the inbox
    [ack] = [sms for sms in locmem.outbox if sms.to == SENDER]
    assert "Recibimos su reporte" in ack.body


def test_english_text_is_acknowledged_in_english(open_committee, zone3):
    text("ICE agents at the bus stop on 1st street")
    assert Message.objects.get(template="rapid_response_received").language == "en"


def test_a_retried_webhook_makes_one_report(open_committee, zone3):
    params = inbound_params(from_number=SENDER, body="agents here", sid="SMsame")
    for _ in range(3):
        signed_post(Client(), "/sms/inbound/", params)
    assert Report.objects.count() == 1 and acknowledgements().count() == 1


def test_an_opted_out_number_gets_no_acknowledgement(open_committee, zone3):
    from rapid_response.shared import lookup_hash

    number_opt_out(
        committee=open_committee,
        phone_hash=lookup_hash(SENDER),
        source=NumberFlag.Source.KEYWORD,
        reason="STOP",
        language="es",
    )
    text("migra en zone 3")
    assert Report.objects.count() == 1
    assert not acknowledgements().exists()


def test_unsigned_text_makes_no_report(open_committee, zone3):
    response = Client().post(
        "/sms/inbound/",
        inbound_params(from_number=SENDER, body="migra"),
        HTTP_X_TWILIO_SIGNATURE="x",
    )
    assert response.status_code == 403
    assert not Report.objects.exists()


def test_a_flood_of_texts_is_throttled_without_500_or_alert(open_committee, zone3):
    responder = make_responder(open_committee, [zone3])
    statuses = [text(f"migra en zone 3 #{n}").status_code for n in range(25)]
    assert set(statuses) == {200}
    assert Report.objects.count() == 5  # per number per hour
    assert acknowledgements().count() == 5
    assert Incident.objects.count() == 1
    assert not Message.objects.filter(person=responder).exists()
    # Throttled texts are claimed, not piled into the coordinators' inbox.
    assert not InboundMessage.objects.filter(outcome=InboundMessage.Outcome.UNMATCHED).exists()


def test_keywords_are_not_reports(open_committee, zone3):
    text("STOP")
    text("AYUDA")
    assert not Report.objects.exists()


def test_a_reply_to_an_open_question_is_not_a_report(open_committee, zone3, dispatcher, viewer_of):
    from rapid_response import services

    from .helpers import reported

    confirmer = make_responder(open_committee, [zone3], name="Carla")
    incident = reported(open_committee, zone3).incident
    services.confirmers_ask(
        actor=viewer_of(dispatcher), incident=incident, person_ids=[confirmer.pk]
    )
    text("1", sender=str(confirmer.phone))
    assert Report.objects.count() == 1  # only the first, web report
    assert COMMITTEE_NUMBER


@pytest.mark.parametrize("late", ["1", "Sí", "no", " 2 "])
def test_a_late_numbered_or_yes_no_answer_waits_for_a_coordinator(open_committee, zone3, late):
    text(late)
    assert not Report.objects.exists()
    assert InboundMessage.objects.get().outcome == InboundMessage.Outcome.UNMATCHED
