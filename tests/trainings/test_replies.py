"""Replies to the day-before SMS confirm and cancel; a cancellation offers the seat to
the waitlist. The numbers are the conversation's own (notifications.routing); the
end-to-end path through the signed webhook is in test_reply_webhook below."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time

from notifications.backends import locmem
from notifications.models import Conversation
from notifications.routing import HANDLERS, select
from trainings import services
from trainings.models import Registration, RegistrationStatus

from .factories import consenting, make_training

pytestmark = pytest.mark.django_db

LA = ZoneInfo("America/Los_Angeles")
STARTS = datetime(2026, 11, 26, 18, 0, tzinfo=LA)
DAY_BEFORE = STARTS - timedelta(hours=23, minutes=55)


@pytest.fixture
def reminded(committee, django_capture_on_commit_callbacks):
    """A full training: one person with a seat who got the day-before SMS, one waiting."""
    with freeze_time(STARTS - timedelta(days=3)):
        training = make_training(committee, starts_at=STARTS, capacity=1)
        seated, waiting = consenting(committee, language="es"), consenting(committee, language="en")
        services.registration_sign_up(training=training, person=seated)
        services.registration_sign_up(training=training, person=waiting)
    with freeze_time(DAY_BEFORE), django_capture_on_commit_callbacks(execute=True):
        services.reminders_send()
    conversation = Conversation.objects.get(kind="trainings.day_before", person=seated)
    return training, seated, waiting, conversation


@pytest.mark.parametrize("text", ["1", " 1 ", "1.", "1!", "\n1\n"])
def test_reply_1_confirms_the_seat(reminded, text):
    training, seated, _waiting, conversation = reminded
    assert conversation.codes == (1, 2)
    found, choice = select([conversation], text)
    with freeze_time(DAY_BEFORE + timedelta(minutes=5)):
        answer = HANDLERS["trainings.day_before"].function(found, text, choice)
    registration = Registration.objects.get(training=training, person=seated)
    assert registration.confirmed_at is not None
    assert registration.status == RegistrationStatus.REGISTERED
    assert answer.startswith("¡Gracias! Nos vemos en Conozca sus derechos")


def test_reply_2_cancels_and_offers_the_seat_to_the_waitlist(
    reminded, django_capture_on_commit_callbacks
):
    training, seated, waiting, conversation = reminded
    locmem.outbox.clear()
    with (
        freeze_time(DAY_BEFORE + timedelta(minutes=5)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        answer = HANDLERS["trainings.day_before"].function(conversation, " 2.", 2)
    assert Registration.objects.get(training=training, person=seated).status == "cancelled"
    assert "Gracias por avisarnos" in answer
    offer = Registration.objects.get(training=training, person=waiting)
    assert offer.status == RegistrationStatus.OFFERED
    assert [sms.to for sms in locmem.outbox] == [str(waiting.phone)]
    assert "Reply 1 to take it" in locmem.outbox[0].body

    # The waitlisted person replies 1 to the offer and gets the seat.
    offer_conversation = Conversation.objects.get(kind="trainings.offer", person=waiting)
    locmem.outbox.clear()
    with (
        freeze_time(DAY_BEFORE + timedelta(minutes=30)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        answer = HANDLERS["trainings.offer"].function(offer_conversation, "1", 1)
    assert answer is None  # the seat confirmation is the answer: one text, not two
    [confirmation] = locmem.outbox
    assert confirmation.to == str(waiting.phone) and "you have a seat" in confirmation.body
    assert Registration.objects.get(pk=offer.pk).status == RegistrationStatus.REGISTERED


def test_anything_else_reaches_no_training_question_and_changes_nothing(reminded):
    training, seated, _waiting, conversation = reminded
    for text in ("hola", "", "12", "si", "3", "STOP", "BAJA", "CANCEL"):
        assert select([conversation], text) == (None, None)
    registration = Registration.objects.get(training=training, person=seated)
    assert registration.status == RegistrationStatus.REGISTERED
    assert registration.confirmed_at is None


def test_offer_reply_after_lapse_is_refused_kindly(reminded):
    training, seated, waiting, conversation = reminded
    with freeze_time(DAY_BEFORE):
        services.registration_cancel(
            registration=Registration.objects.get(training=training, person=seated)
        )
    offer_conversation = Conversation.objects.get(kind="trainings.offer", person=waiting)
    with freeze_time(STARTS - timedelta(minutes=1)):
        answer = HANDLERS["trainings.offer"].function(offer_conversation, "1", 1)
    assert answer.startswith("Sorry: the time to claim this seat ran out")
    assert Registration.objects.get(training=training, person=waiting).status == "cancelled"


def test_reply_webhook_confirms_the_seat_end_to_end(
    reminded, committee, django_capture_on_commit_callbacks
):
    """The day-before reply "1" through the signed /sms/inbound/ webhook."""
    from django.test import Client

    from notifications.models import InboundMessage

    from ..notifications.conftest import COMMITTEE_NUMBER, inbound_params, signed_post

    training, seated, _waiting, conversation = reminded
    committee.sms_number = COMMITTEE_NUMBER
    committee.save()
    with (
        freeze_time(DAY_BEFORE + timedelta(minutes=5)),
        django_capture_on_commit_callbacks(execute=True),
    ):
        response = signed_post(
            Client(), "/sms/inbound/", inbound_params(from_number=str(seated.phone), body="1")
        )
    assert response.status_code == 200
    inbound = InboundMessage.objects.get()
    assert inbound.conversation == conversation and inbound.outcome == "routed"
    registration = Registration.objects.get(training=training, person=seated)
    assert registration.confirmed_at is not None
