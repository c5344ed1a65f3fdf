"""Giving up a place, claiming or declining a freed seat that was offered, and confirming
attendance (usually by SMS reply)."""

from __future__ import annotations

from datetime import datetime

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.access import Viewer

from .. import messaging
from ..models import (
    ACTIVE_STATUSES,
    SEAT_STATUSES,
    CancelReason,
    Registration,
    RegistrationStatus,
    Training,
)
from .common import (
    CancelRefused,
    OfferLapsed,
    _attach,
    _fill_free_seats,
    _lock_registration,
    _lock_training,
    _seat,
)


@transaction.atomic
def registration_cancel(
    *, registration: Registration, reason: str = CancelReason.BY_PERSON, now=None
) -> Registration:
    """Give up a seat, an offer or a waitlist place. A freed seat is offered at once to
    the next person on the waitlist. Cancelling twice changes nothing. Raises
    CancelRefused (with a kind message) once the training has started."""
    now = now or timezone.now()
    training = _lock_training(registration.training_id)
    registration = _attach(_lock_registration(registration.pk), training)
    if registration.status not in ACTIVE_STATUSES:
        return registration
    if reason == CancelReason.BY_PERSON and training.starts_at <= now:
        raise CancelRefused(_cancel_refusal())
    held_seat = registration.status in SEAT_STATUSES
    registration.status = RegistrationStatus.CANCELLED
    registration.cancelled_at = now
    registration.cancel_reason = reason
    registration.offer_expires_at = None
    registration.save()
    if held_seat:
        _fill_free_seats(training, now)
    return registration


def member_cancel(*, viewer: Viewer, training: Training) -> Registration | None:
    registration = Registration.objects.filter(training=training, person=viewer.person).first()
    if registration is None:
        return None
    return registration_cancel(registration=registration)


def training_cancel_audience(training: Training) -> int:
    """How many people a cancellation would tell (seats, offers and the waitlist)."""
    return Registration.objects.filter(training=training, status__in=ACTIVE_STATUSES).count()


def _cancel_refusal() -> str:
    return _(
        "This training has already started, so the place can no longer be given up. "
        "If you could not come, there is nothing else you need to do."
    )


def _lapse_message() -> str:
    return _(
        "Sorry: the time to claim this seat ran out and it was offered to the next person. "
        "You can sign up again to join the waitlist."
    )


def offer_claim(*, registration: Registration, now=None) -> Registration:
    """Take the offered seat. Raises OfferLapsed (with a kind message) after the offer's
    time ran out, or if the training was cancelled or has started. A lapsed offer the
    sweep had not reached yet is lapsed here, and the seat passed on, before refusing."""
    registration, refusal = _offer_claim(registration=registration, now=now or timezone.now())
    if refusal:
        raise OfferLapsed(refusal)
    return registration


@transaction.atomic
def _offer_claim(*, registration: Registration, now: datetime):
    training = _lock_training(registration.training_id)
    registration = _attach(_lock_registration(registration.pk), training)
    if registration.status in (RegistrationStatus.REGISTERED, RegistrationStatus.ATTENDED):
        return registration, None
    if registration.status != RegistrationStatus.OFFERED:
        return registration, _lapse_message()
    if training.cancelled_at:
        return registration, _("Sorry: this training was cancelled.")
    if registration.offer_expires_at <= now or training.starts_at <= now:
        _lapse(registration, now)
        _fill_free_seats(training, now)
        return registration, _lapse_message()
    _seat(registration, now)
    registration.save()
    messaging.send_confirmation(registration)
    return registration, None


def _lapse(registration: Registration, now: datetime) -> None:
    registration.status = RegistrationStatus.CANCELLED
    registration.cancel_reason = CancelReason.OFFER_LAPSED
    registration.cancelled_at = now
    registration.offer_expires_at = None
    registration.save()


def offer_decline(*, registration: Registration, now=None) -> Registration:
    return registration_cancel(
        registration=registration, reason=CancelReason.OFFER_DECLINED, now=now
    )


@transaction.atomic
def registration_confirm(*, registration: Registration, now=None) -> Registration:
    """They replied that they are coming."""
    registration = _lock_registration(registration.pk)
    if registration.status == RegistrationStatus.REGISTERED and not registration.confirmed_at:
        registration.confirmed_at = now or timezone.now()
        registration.save(update_fields=["confirmed_at", "updated_at"])
    return registration
