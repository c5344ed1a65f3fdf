"""A person with open questions from several parts answers each one unambiguously, by
SMS through the signed webhook: numbered questions get their own numbers, and an
urgent alert's YES/SÍ always reaches the alert."""

from datetime import timedelta

import pytest
from django.test import Client

from notifications import routing, services
from notifications.backends import locmem
from notifications.models import InboundMessage

from .conftest import consenting_person, inbound_params, signed_post


@pytest.fixture
def handlers():
    saved = dict(routing.HANDLERS)
    yield routing.handler
    routing.HANDLERS.clear()
    routing.HANDLERS.update(saved)


def texts(person, body, capture):
    with capture(execute=True):
        response = signed_post(
            Client(), "/sms/inbound/", inbound_params(from_number=str(person.phone), body=body)
        )
    assert response.status_code == 200
    return InboundMessage.objects.order_by("-id").first()


def test_two_apps_asking_at_once_each_get_their_own_answer(
    open_committee, handlers, django_capture_on_commit_callbacks
):
    person = consenting_person(open_committee, language="es")
    answers = []
    handlers("training.question", choices=2)(
        lambda c, text, choice: answers.append(("training", c.object_id, choice))
    )
    handlers("court.offer", choices=2)(
        lambda c, text, choice: answers.append(("court", c.object_id, choice))
    )
    training = services.conversation_open(
        person=person, kind="training.question", object_id=7, open_for=timedelta(hours=2)
    )
    court = services.conversation_open(
        person=person, kind="court.offer", object_id=9, open_for=timedelta(hours=2)
    )
    assert training.codes == (1, 2) and court.codes == (3, 4)

    texts(person, "3", django_capture_on_commit_callbacks)  # yes to the court offer
    texts(person, " 2. ", django_capture_on_commit_callbacks)  # no to the training question

    assert answers == [("court", 9, 1), ("training", 7, 2)]


def test_an_urgent_alerts_yes_is_never_taken_by_another_app(
    open_committee, handlers, django_capture_on_commit_callbacks
):
    person = consenting_person(open_committee, language="es")
    answers = []
    handlers("raid.alert", urgent=True)(
        lambda c, text, choice: answers.append(("alert", c.object_id, choice))
    )
    handlers("training.question", choices=2)(
        lambda c, text, choice: answers.append(("training", c.object_id, choice))
    )
    handlers("fund.call", accepts=lambda text: text.upper().startswith(("YES", "SÍ", "SI")))(
        lambda c, text, choice: answers.append(("fund", c.object_id, text))
    )
    services.conversation_open(
        person=person, kind="raid.alert", object_id=1, open_for=timedelta(minutes=15)
    )
    # Questions opened after the alert do not take its YES.
    services.conversation_open(
        person=person, kind="fund.call", object_id=2, open_for=timedelta(days=1)
    )
    services.conversation_open(
        person=person, kind="training.question", object_id=3, open_for=timedelta(days=1)
    )

    for body in ("SÍ", "yes!", "Si"):
        inbound = texts(person, body, django_capture_on_commit_callbacks)
        assert inbound.conversation.kind == "raid.alert"
    texts(person, "SÍ 200", django_capture_on_commit_callbacks)
    texts(person, "1", django_capture_on_commit_callbacks)

    assert answers == [
        ("alert", 1, 1),
        ("alert", 1, 1),
        ("alert", 1, 1),
        ("fund", 2, "SÍ 200"),
        ("training", 3, 1),
    ]


def test_a_number_no_open_question_offers_waits_for_a_coordinator(
    open_committee, handlers, django_capture_on_commit_callbacks
):
    person = consenting_person(open_committee)
    handlers("training.question", choices=2)(lambda c, text, choice: "ok")
    services.conversation_open(
        person=person, kind="training.question", object_id=3, open_for=timedelta(days=1)
    )
    inbound = texts(person, "4", django_capture_on_commit_callbacks)
    assert inbound.outcome == InboundMessage.Outcome.UNMATCHED
    assert locmem.outbox == []


def test_asking_again_about_the_same_thing_reuses_its_numbers(open_committee, handlers):
    person = consenting_person(open_committee)
    handlers("training.question", choices=2)(lambda c, text, choice: None)
    first = services.conversation_open(
        person=person, kind="training.question", object_id=3, open_for=timedelta(days=1)
    )
    again = services.conversation_open(
        person=person, kind="training.question", object_id=3, open_for=timedelta(days=1)
    )
    assert first.codes == again.codes == (1, 2)
