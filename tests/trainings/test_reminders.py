"""Must show 3: over three simulated days, each registered person gets exactly one
confirmation, one day-before and one hour-before message, in their language; a person
without reminder consent gets none; running the sweep twice sends nothing twice."""

from collections import Counter
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from freezegun import freeze_time

from notifications.backends import locmem
from notifications.models import Conversation, Message
from trainings import services

from ..factories import PersonFactory
from .factories import consenting, make_training

pytestmark = pytest.mark.django_db

LA = ZoneInfo("America/Los_Angeles")
SIGN_UP = datetime(2026, 11, 23, 10, 0, tzinfo=LA)  # Monday 10:00
STARTS = datetime(2026, 11, 26, 18, 0, tzinfo=LA)  # Thursday 18:00


def templates_for(person):
    return Counter(
        Message.objects.filter(person=person, status="sent").values_list("template", flat=True)
    )


def test_three_days_of_sweeps_send_each_reminder_once_in_each_language(
    committee, django_capture_on_commit_callbacks
):
    with freeze_time(SIGN_UP) as clock:
        training = make_training(committee, starts_at=STARTS, capacity=4)
        spanish = consenting(committee, language="es")
        english = consenting(committee, language="en")
        email_only = consenting(committee, language="es", channels=["email"])
        email_only.set_contact(email="solo.correo@example.org")
        email_only.save()
        no_consent = PersonFactory(committee=committee, language="es")
        waiting = consenting(committee, language="en")
        with django_capture_on_commit_callbacks(execute=True):
            for person in (spanish, english, email_only, no_consent, waiting):
                services.registration_sign_up(training=training, person=person)

        # A sweep every ten minutes, twice each time, until after the training.
        while timezone.now() < STARTS + timedelta(hours=3):
            clock.tick(timedelta(minutes=10))
            with django_capture_on_commit_callbacks(execute=True):
                services.reminders_send()
                services.reminders_send()

    for person in (spanish, english):
        assert templates_for(person) == {
            "trainings_confirmation": 1,
            "trainings_day_before": 1,
            "trainings_hour_before": 1,
        }
        texts = [sms.body for sms in locmem.outbox if sms.to == str(person.phone)]
        assert len(texts) == 3
    spanish_texts = [sms.body for sms in locmem.outbox if sms.to == str(spanish.phone)]
    assert (
        "es mañana" in spanish_texts[1] and "Responda 1 si viene, 2 si no puede" in spanish_texts[1]
    )
    assert "empieza a las 18:00" in spanish_texts[2]
    english_texts = [sms.body for sms in locmem.outbox if sms.to == str(english.phone)]
    assert "is tomorrow" in english_texts[1] and "Reply 1 if you are coming" in english_texts[1]
    assert "starts at 6:00 PM" in english_texts[2]
    # Email-only consent: the same three, by email.
    assert templates_for(email_only) == templates_for(spanish)
    # No consent: nothing sent, every attempt recorded as skipped with the reason.
    assert templates_for(no_consent) == {}
    assert not [sms for sms in locmem.outbox if sms.to == str(no_consent.phone)]
    assert set(
        Message.objects.filter(person=no_consent).values_list("status_reason", flat=True)
    ) == {"no consent"}
    # The waitlisted person had only the waitlist notice: no reminders for a seat they lack.
    assert templates_for(waiting) == {"trainings_waitlisted": 1}
    # The day-before reminder opened a conversation for the reply.
    assert Conversation.objects.filter(kind="trainings.day_before").count() == 4


def test_a_late_sweep_skips_the_day_before_but_still_sends_the_hour_before(
    committee, django_capture_on_commit_callbacks
):
    with freeze_time(SIGN_UP):
        training = make_training(committee, starts_at=STARTS)
        person = consenting(committee, language="es")
        services.registration_sign_up(training=training, person=person)
    with freeze_time(STARTS - timedelta(hours=2)):  # the sweep was down all day
        assert services.reminders_send() == {"day_before": 0, "hour_before": 0}
    with freeze_time(STARTS - timedelta(minutes=30)):
        assert services.reminders_send() == {"day_before": 0, "hour_before": 1}
    with freeze_time(STARTS - timedelta(minutes=5)):
        assert services.reminders_send() == {"day_before": 0, "hour_before": 0}
    assert list(
        Message.objects.filter(person=person).order_by("id").values_list("template", flat=True)
    ) == ["trainings_confirmation", "trainings_hour_before"]


def test_someone_who_signs_up_the_same_day_gets_no_day_before_reminder(committee):
    with freeze_time(STARTS - timedelta(hours=20)):
        training = make_training(committee, starts_at=STARTS)
        person = consenting(committee)
        services.registration_sign_up(training=training, person=person)
        assert services.reminders_send() == {"day_before": 0, "hour_before": 0}
    with freeze_time(STARTS - timedelta(minutes=58)):
        assert services.reminders_send() == {"day_before": 0, "hour_before": 1}


def test_cancelled_training_gets_no_reminders_and_people_are_told_once(
    committee, coordinator, django_capture_on_commit_callbacks
):
    from committees.access import load_viewer

    with freeze_time(SIGN_UP):
        training = make_training(committee, starts_at=STARTS, capacity=1)
        seated, waiting = consenting(committee, language="en"), consenting(committee)
        for person in (seated, waiting):
            services.registration_sign_up(training=training, person=person)
        locmem.outbox.clear()
        actor = load_viewer(coordinator.person.user)
        with django_capture_on_commit_callbacks(execute=True):
            services.training_cancel(actor=actor, training=training)
            services.training_cancel(actor=actor, training=training)
    assert sorted(sms.to for sms in locmem.outbox) == sorted(
        [str(seated.phone), str(waiting.phone)]
    )
    assert "has been cancelled" in next(s.body for s in locmem.outbox if s.to == str(seated.phone))
    assert "fue cancelada" in next(s.body for s in locmem.outbox if s.to == str(waiting.phone))
    with freeze_time(STARTS - timedelta(hours=23)):
        assert services.reminders_send() == {"day_before": 0, "hour_before": 0}


def test_moved_training_tells_people_once_and_rearms_reminders(
    committee, coordinator, django_capture_on_commit_callbacks
):
    from committees.access import load_viewer

    with freeze_time(SIGN_UP):
        training = make_training(committee, starts_at=STARTS)
        person = consenting(committee, language="es")
        services.registration_sign_up(training=training, person=person)
    with freeze_time(STARTS - timedelta(hours=23)):
        assert services.reminders_send()["day_before"] == 1
        actor = load_viewer(coordinator.person.user)
        later = STARTS + timedelta(days=1)
        with django_capture_on_commit_callbacks(execute=True):
            services.training_update(
                actor=actor, training=training, starts_at=later, ends_at=later + timedelta(hours=2)
            )
            # Saving again without a change of time or place tells no one anything.
            services.training_update(actor=actor, training=training, title_en="KYR")
    changed = [s.body for s in locmem.outbox if "cambió" in s.body]
    assert len(changed) == 1 and "viernes 27 de noviembre, 18:00" in changed[0]
    with freeze_time(later - timedelta(hours=23)):
        assert services.reminders_send()["day_before"] == 1  # re-armed for the new time
    assert Message.objects.filter(template="trainings_day_before").count() == 2
