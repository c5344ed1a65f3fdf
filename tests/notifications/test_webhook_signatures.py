"""Twilio's webhooks act only on requests Twilio signed (must show 3)."""

import pytest
from django.conf import settings
from django.db import transaction
from django.test import Client
from django.urls import reverse
from twilio.request_validator import RequestValidator

from members.consent import Consent, ConsentEvent
from notifications import services
from notifications.models import Conversation, InboundMessage, Message, NumberFlag, Status

from .conftest import consenting_person, inbound_params, signed_post

INBOUND = "/sms/inbound/"
STATUS = "/sms/status/"


def row_counts():
    models = (InboundMessage, Message, NumberFlag, Consent, ConsentEvent, Conversation)
    return {model.__name__: model.objects.count() for model in models}


@pytest.fixture
def sender(open_committee):
    return consenting_person(open_committee, language="es")


def test_webhook_paths_are_the_documented_ones():
    assert reverse("sms_inbound") == INBOUND
    assert reverse("sms_status") == STATUS


@pytest.mark.parametrize("path", [INBOUND, STATUS])
def test_forged_signature_is_refused_and_writes_nothing(path, sender):
    before = row_counts()
    params = inbound_params(from_number=str(sender.phone), body="STOP")
    params["MessageStatus"] = "delivered"
    response = signed_post(Client(), path, params, token="not-our-token")
    assert response.status_code == 403
    assert row_counts() == before


@pytest.mark.parametrize("path", [INBOUND, STATUS])
def test_missing_signature_is_refused_and_writes_nothing(path, sender):
    before = row_counts()
    params = inbound_params(from_number=str(sender.phone), body="STOP")
    response = Client().post(path, params)
    assert response.status_code == 403
    assert row_counts() == before


def test_signature_over_other_parameters_is_refused(sender):
    """A signature copied from another request does not carry over to a changed body."""
    before = row_counts()
    params = inbound_params(from_number=str(sender.phone), body="Hola")
    signature = RequestValidator(settings.TWILIO_AUTH_TOKEN).compute_signature(
        settings.PUBLIC_BASE_URL + INBOUND, params
    )
    response = signed_post(Client(), INBOUND, {**params, "Body": "STOP"}, signature=signature)
    assert response.status_code == 403
    assert row_counts() == before


def test_signature_for_another_address_is_refused(sender):
    """Checked against PUBLIC_BASE_URL: a request signed for another host is not ours."""
    before = row_counts()
    params = inbound_params(from_number=str(sender.phone), body="STOP")
    signature = RequestValidator(settings.TWILIO_AUTH_TOKEN).compute_signature(
        "https://attacker.example.net" + INBOUND, params
    )
    response = signed_post(Client(), INBOUND, params, signature=signature)
    assert response.status_code == 403
    assert row_counts() == before


@pytest.mark.parametrize("path", [INBOUND, STATUS])
def test_without_an_auth_token_every_request_is_refused(path, sender, settings):
    settings.TWILIO_AUTH_TOKEN = ""
    before = row_counts()
    params = inbound_params(from_number=str(sender.phone), body="STOP")
    response = signed_post(Client(), path, params, token="")
    assert response.status_code == 403
    assert row_counts() == before


def test_correctly_signed_inbound_is_accepted_behind_a_tls_proxy(sender):
    """The app sees plain HTTP from the proxy; the signature is over the public https URL."""
    params = inbound_params(from_number=str(sender.phone), body="Hola, ¿quién es?")
    response = signed_post(
        Client(), INBOUND, params, HTTP_X_FORWARDED_PROTO="https", HTTP_HOST="localhost:8000"
    )
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    assert "<Response" in response.content.decode()
    inbound = InboundMessage.objects.get()
    assert inbound.person == sender
    assert inbound.body == "Hola, ¿quién es?"
    assert inbound.outcome == InboundMessage.Outcome.UNMATCHED


def test_correctly_signed_status_callback_is_accepted(sender, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True), transaction.atomic():
        message = services.message_queue(
            person=sender, purpose="reminders", template="check", idempotency_key="cb"
        )
    message.refresh_from_db()
    params = {
        "MessageSid": message.provider_id,
        "MessageStatus": "delivered",
        "AccountSid": "AC" + "0" * 32,
    }
    response = signed_post(Client(), f"{STATUS}?message={message.pk}", params)
    assert response.status_code == 200
    message.refresh_from_db()
    assert message.status == Status.DELIVERED


def test_webhooks_answer_get_with_405():
    assert Client().get(INBOUND).status_code == 405
    assert Client().get(STATUS).status_code == 405
