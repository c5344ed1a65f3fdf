"""No training message is delivered after the training started: each is valid until
the start, so quiet hours never hold one past it."""

from datetime import timedelta

import pytest
from freezegun import freeze_time

from notifications.models import Message
from trainings import services
from trainings.models import Registration

from .factories import consenting, make_training

pytestmark = pytest.mark.django_db

NOON = "2026-11-23 20:00:00"  # 12:00 in Los Angeles
LATE = "2026-11-24 07:00:00"  # 23:00 in Los Angeles: quiet hours until 08:00


@freeze_time(NOON)
def test_confirmation_changed_and_cancelled_notices_expire_at_the_start(committee, coordinator):
    from committees.access import load_viewer

    actor = load_viewer(coordinator.person.user)
    training = make_training(committee, starts_in=timedelta(days=2))
    person = consenting(committee)
    services.registration_sign_up(training=training, person=person)
    first_start = training.starts_at
    training = services.training_update(
        actor=actor,
        training=training,
        starts_at=training.starts_at + timedelta(hours=1),
        ends_at=training.ends_at + timedelta(hours=1),
    )
    services.training_cancel(actor=actor, training=training)
    messages = {m.template: m for m in Message.objects.filter(person=person)}
    assert set(messages) >= {
        "trainings_confirmation",
        "trainings_changed",
        "trainings_cancelled",
    }
    assert messages["trainings_confirmation"].expires_at == first_start
    for template in ("trainings_changed", "trainings_cancelled"):
        assert messages[template].expires_at == training.starts_at, template


@freeze_time(LATE)
def test_confirmation_held_by_quiet_hours_past_the_start_is_not_sent(committee):
    training = make_training(committee, starts_in=timedelta(hours=1))
    person = consenting(committee)
    services.registration_sign_up(training=training, person=person)
    message = Message.objects.get(person=person, template="trainings_confirmation")
    assert message.status == "skipped"
    assert message.enqueued_at is None


@freeze_time(NOON)
def test_hour_before_reminder_and_offer_expire_at_the_start(committee):
    training = make_training(committee, starts_in=timedelta(minutes=50), capacity=1)
    first = consenting(committee)
    second = consenting(committee)
    with freeze_time("2026-11-22 20:00:00"):
        services.registration_sign_up(training=training, person=first)
        services.registration_sign_up(training=training, person=second)
    services.reminders_send()
    reminder = Message.objects.get(person=first, template="trainings_hour_before")
    assert reminder.expires_at == training.starts_at
    services.registration_cancel(registration=Registration.objects.get(person=first))
    offer = Message.objects.get(person=second, template="trainings_offer")
    assert offer.expires_at == training.starts_at
