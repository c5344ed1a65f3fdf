from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.db import IntegrityError, transaction
from freezegun import freeze_time

from notifications.backends import locmem
from notifications.models import Message
from trainings import services
from trainings.models import Registration, RegistrationStatus

from ..factories import PersonFactory
from .factories import consenting, make_training

pytestmark = pytest.mark.django_db

NOON = "2026-11-23 20:00:00"  # 12:00 in Los Angeles: outside quiet hours


@freeze_time(NOON)
def test_first_people_get_seats_then_the_waitlist_in_order(committee):
    training = make_training(committee, capacity=2)
    people = [consenting(committee) for _ in range(4)]
    outcomes = [services.registration_sign_up(training=training, person=p).outcome for p in people]
    assert outcomes == ["registered", "registered", "waitlisted", "waitlisted"]
    waitlist = Registration.objects.filter(status=RegistrationStatus.WAITLISTED).order_by(
        "waitlist_position"
    )
    assert [r.person for r in waitlist] == people[2:]
    assert [r.waitlist_position for r in waitlist] == [1, 2]


@freeze_time(NOON)
def test_signing_up_twice_keeps_one_registration(committee):
    training = make_training(committee, capacity=5)
    person = consenting(committee)
    first = services.registration_sign_up(training=training, person=person)
    again = services.registration_sign_up(training=training, person=person)
    assert again.outcome == "already"
    assert again.registration.pk == first.registration.pk
    assert Registration.objects.count() == 1
    with pytest.raises(IntegrityError), transaction.atomic():
        Registration.objects.create(
            training=training, person=person, status="registered", source="member"
        )


@freeze_time(NOON)
def test_confirmation_is_sent_at_sign_up_in_the_persons_language(
    committee, django_capture_on_commit_callbacks
):
    training = make_training(committee)
    spanish = consenting(committee, language="es")
    english = consenting(committee, language="en")
    with django_capture_on_commit_callbacks(execute=True):
        services.registration_sign_up(training=training, person=spanish)
        services.registration_sign_up(training=training, person=english)
    bodies = {sms.to: sms.body for sms in locmem.outbox}
    assert "tiene un lugar" in bodies[str(spanish.phone)]
    assert "Conozca sus derechos" in bodies[str(spanish.phone)]
    assert "you have a seat" in bodies[str(english.phone)]
    assert "Know Your Rights" in bodies[str(english.phone)]
    assert "/t/r/" in bodies[str(english.phone)]


@freeze_time(NOON)
def test_cancelled_started_or_closed_training_refuses_sign_up(committee):
    person = consenting(committee)
    cancelled = make_training(committee)
    cancelled.cancelled_at = cancelled.starts_at - timedelta(days=1)
    cancelled.save()
    closed = make_training(committee, signup_closed=True)
    past = make_training(committee, starts_in=-timedelta(hours=1))
    for training in (cancelled, closed, past):
        with pytest.raises(services.SignUpRefused):
            services.registration_sign_up(training=training, person=person)
    assert Registration.objects.count() == 0


def test_person_of_another_committee_cannot_sign_up(committee, other_committee):
    training = make_training(committee)
    stranger = PersonFactory(committee=other_committee)
    with pytest.raises(PermissionDenied):
        services.registration_sign_up(training=training, person=stranger)
    assert Registration.objects.count() == 0


@freeze_time(NOON)
def test_person_without_consent_is_signed_up_but_gets_no_message(
    committee, django_capture_on_commit_callbacks
):
    training = make_training(committee)
    person = PersonFactory(committee=committee)
    with django_capture_on_commit_callbacks(execute=True):
        result = services.registration_sign_up(training=training, person=person)
    assert result.outcome == "registered"
    assert locmem.outbox == []
    assert Message.objects.get().status == "skipped"
