"""Must show 2: a freed seat is offered to the first waitlisted person; a lapsed offer
passes to the second; a claim after the lapse is refused kindly."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone
from freezegun import freeze_time

from notifications.backends import locmem
from notifications.models import Conversation
from trainings import services
from trainings.models import Registration, RegistrationStatus

from .factories import consenting, make_training

pytestmark = pytest.mark.django_db

START = "2026-11-23 16:30:00"  # 08:30 in Los Angeles, after quiet hours


def full_training_with_waitlist(committee, waiting=2):
    training = make_training(committee, capacity=1, starts_in=timedelta(days=5))
    holder = consenting(committee, language="en")
    waitlisted = [consenting(committee, language=lang) for lang in ("es", "en")[:waiting]]
    services.registration_sign_up(training=training, person=holder)
    for person in waitlisted:
        services.registration_sign_up(training=training, person=person)
    return training, holder, waitlisted


def registration_of(training, person):
    return Registration.objects.get(training=training, person=person)


def test_cancellation_offers_the_seat_to_the_first_waitlisted_then_lapses_to_the_second(
    committee, django_capture_on_commit_callbacks
):
    with freeze_time(START):
        training, holder, (first, second) = full_training_with_waitlist(committee)
        locmem.outbox.clear()
        with django_capture_on_commit_callbacks(execute=True):
            services.registration_cancel(registration=registration_of(training, holder))
        offer = registration_of(training, first)
        assert offer.status == RegistrationStatus.OFFERED
        assert offer.offer_expires_at == timezone.now() + timedelta(hours=12)
        assert registration_of(training, second).status == RegistrationStatus.WAITLISTED
        # The first person was told, in Spanish, with the reply digits and a claim link.
        [sms] = locmem.outbox
        assert sms.to == str(first.phone)
        assert "hay un lugar libre" in sms.body and "Responda 1" in sms.body
        assert Conversation.objects.filter(
            person=first, kind="trainings.offer", object_id=offer.pk
        ).exists()

    with freeze_time("2026-11-24 04:31:00"), django_capture_on_commit_callbacks(execute=True):
        assert services.offers_expire() == 1
        assert services.offers_expire() == 0  # a second sweep changes nothing
    lapsed = registration_of(training, first)
    assert lapsed.status == RegistrationStatus.CANCELLED
    assert lapsed.cancel_reason == "offer_lapsed"
    assert registration_of(training, second).status == RegistrationStatus.OFFERED
    assert [sms.to for sms in locmem.outbox[-1:]] == [str(second.phone)]

    with freeze_time("2026-11-24 04:35:00"):
        with pytest.raises(services.OfferLapsed) as refusal:
            services.offer_claim(registration=lapsed)
        assert "Sorry" in refusal.value.messages[0]  # the viewer's language (English here)
        # The second person claims in time and gets the seat and a confirmation.
        with django_capture_on_commit_callbacks(execute=True):
            claimed = services.offer_claim(registration=registration_of(training, second))
    assert claimed.status == RegistrationStatus.REGISTERED
    assert "you have a seat" in locmem.outbox[-1].body
    assert (
        Registration.objects.filter(training=training, status__in=["registered", "offered"]).count()
        == 1
    )


def test_offer_that_lapsed_before_the_sweep_is_refused_and_passed_on(committee):
    with freeze_time(START):
        training, holder, (first, second) = full_training_with_waitlist(committee)
        services.registration_cancel(registration=registration_of(training, holder))
    with freeze_time("2026-11-24 05:00:00"):  # past the 12 hours, sweep not yet run
        with pytest.raises(services.OfferLapsed):
            services.offer_claim(registration=registration_of(training, first))
    assert registration_of(training, first).status == RegistrationStatus.CANCELLED
    assert registration_of(training, second).status == RegistrationStatus.OFFERED


def test_offer_window_is_shorter_close_to_the_start_and_never_past_it(committee):
    with freeze_time(START):
        now = timezone.now()
        soon = make_training(committee, starts_in=timedelta(hours=8))
        assert services.offer_expiry(soon, now) == now + timedelta(hours=2)
        very_soon = make_training(committee, starts_in=timedelta(minutes=10))
        assert services.offer_expiry(very_soon, now) == very_soon.starts_at
        far = make_training(committee, starts_in=timedelta(days=10))
        assert services.offer_expiry(far, now) == now + timedelta(hours=12)
    # At 23:00 in Los Angeles the offer is texted at 08:00: twelve hours from then.
    with freeze_time("2026-11-24 07:00:00"):
        assert services.offer_expiry(far, timezone.now()) == timezone.make_aware(
            datetime(2026, 11, 24, 20, 0), timezone=ZoneInfo("America/Los_Angeles")
        )


def test_more_seats_are_offered_to_the_waitlist_in_order(committee, coordinator):
    from committees.access import load_viewer

    with freeze_time(START):
        training, holder, (first, second) = full_training_with_waitlist(committee)
        services.training_update(
            actor=load_viewer(coordinator.person.user), training=training, capacity=3
        )
    assert registration_of(training, first).status == RegistrationStatus.OFFERED
    assert registration_of(training, second).status == RegistrationStatus.OFFERED


def test_declining_an_offer_passes_it_on(committee):
    with freeze_time(START):
        training, holder, (first, second) = full_training_with_waitlist(committee)
        services.registration_cancel(registration=registration_of(training, holder))
        services.offer_decline(registration=registration_of(training, first))
    assert registration_of(training, first).cancel_reason == "offer_declined"
    assert registration_of(training, second).status == RegistrationStatus.OFFERED


def test_cancelling_twice_frees_one_seat_only(committee):
    with freeze_time(START):
        training, holder, (first, second) = full_training_with_waitlist(committee)
        registration = registration_of(training, holder)
        services.registration_cancel(registration=registration)
        services.registration_cancel(registration=registration)
    assert registration_of(training, first).status == RegistrationStatus.OFFERED
    assert registration_of(training, second).status == RegistrationStatus.WAITLISTED


def test_someone_signing_up_again_after_cancelling_goes_to_the_end_of_the_waitlist(committee):
    with freeze_time(START):
        training, holder, (first, second) = full_training_with_waitlist(committee)
        services.registration_cancel(registration=registration_of(training, second))
        again = services.registration_sign_up(training=training, person=second)
    assert again.outcome == "waitlisted"
    assert again.registration.waitlist_position == 3
    assert Registration.objects.filter(training=training, person=second).count() == 1
