"""Must show 5: a volunteer offered a hearing by SMS answers through the signed webhook
while a training question of theirs is open too; each answer lands where it belongs."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from freezegun import freeze_time

from committees.access import load_viewer
from legal_aid import services
from legal_aid.models import Accompaniment
from notifications.backends import locmem
from trainings import services as training_services
from trainings.models import Registration

from ..factories import make_accompanier, make_case, make_hearing
from ..notifications.conftest import inbound_params, signed_post
from ..trainings.factories import make_training

pytestmark = pytest.mark.django_db

LA = ZoneInfo("America/Los_Angeles")
TRAINING = datetime(2026, 11, 26, 18, 0, tzinfo=LA)
NOW = TRAINING - timedelta(hours=23, minutes=55)


def text_in(person, body, capture):
    with capture(execute=True):
        return signed_post(
            Client(), "/sms/inbound/", inbound_params(from_number=str(person.phone), body=body)
        )


def texts_to(person):
    return [sms.body for sms in locmem.outbox if sms.to == str(person.phone)]


def test_offer_accepted_by_reply_while_a_training_question_is_open(
    open_committee, legal_member, accompanier, django_capture_on_commit_callbacks
):
    volunteer = accompanier.person
    with freeze_time(TRAINING - timedelta(days=3)):
        training = make_training(open_committee, starts_at=TRAINING)
        training_services.registration_sign_up(training=training, person=volunteer)
    case = make_case(open_committee, team=[legal_member], name="Rosa Martínez")
    hearing = make_hearing(
        case, starts_at=TRAINING + timedelta(days=5), accompaniers_needed=1, place="ICE ERO LA"
    )
    english = make_accompanier(open_committee, language="en", name="Ed English")
    untrained = make_accompanier(open_committee, language="es", trained=False)
    locmem.outbox.clear()

    with freeze_time(NOW), django_capture_on_commit_callbacks(execute=True):
        training_services.reminders_send()  # the training asks "1 or 2"
        asked = services.accompaniment_offer(
            actor=load_viewer(legal_member.person.user), hearing=hearing
        )
    assert asked == 1  # not the English speaker, not the untrained member
    assert texts_to(english.person) == [] and texts_to(untrained.person) == []
    reminder, offer = texts_to(volunteer)
    assert "1" in reminder
    assert "Responda 3" in offer and "4" in offer

    with freeze_time(NOW + timedelta(minutes=5)):
        accepted = text_in(volunteer, "3", django_capture_on_commit_callbacks)
        confirmed = text_in(volunteer, "1", django_capture_on_commit_callbacks)
    assert accepted.status_code == confirmed.status_code == 200
    assert Accompaniment.objects.get(person=volunteer).status == "accepted"
    assert Registration.objects.get(person=volunteer).confirmed_at is not None
    answers = texts_to(volunteer)[2:]
    assert any("acompañar" in a for a in answers)


def test_second_yes_when_enough_are_going_is_thanked_not_counted(
    open_committee, legal_member, django_capture_on_commit_callbacks
):
    case = make_case(open_committee, team=[legal_member])
    hearing = make_hearing(case, accompaniers_needed=1)
    first = make_accompanier(open_committee, name="Uno")
    second = make_accompanier(open_committee, name="Dos")
    with django_capture_on_commit_callbacks(execute=True):
        assert (
            services.accompaniment_offer(
                actor=load_viewer(legal_member.person.user), hearing=hearing
            )
            == 2
        )
    text_in(first.person, "1", django_capture_on_commit_callbacks)
    text_in(second.person, "1", django_capture_on_commit_callbacks)
    statuses = dict(Accompaniment.objects.values_list("person_id", "status"))
    assert statuses == {first.person.pk: "accepted", second.person.pk: "offered"}
