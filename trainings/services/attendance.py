"""Check-in, no-shows, walk-ins and closing a training's attendance; what a completed
training records on the person (`members.TrainingRecord`)."""

from __future__ import annotations

from datetime import datetime

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.access import Action, Viewer
from members.consent import ConsentSource
from members.models import TrainingRecord
from members.services import contact_find_or_create

from ..models import (
    Registration,
    RegistrationStatus,
    Source,
    Training,
)
from .common import CHECK_IN_OPENS, _attach, _lock_registration, _lock_training
from .sign_up import _record_contact_consent, _submitted_channels


def _require_runner(actor: Viewer, training: Training) -> None:
    actor.require(Action.RUN_TRAINING)
    if training.committee_id != actor.committee.pk:
        raise PermissionDenied


def _check_in_refusal(training: Training, now: datetime) -> str | None:
    if training.cancelled_at:
        return _("This training was cancelled.")
    if now < training.starts_at - CHECK_IN_OPENS:
        return _("Check-in opens two hours before the start.")
    return None


def person_mark_trained(*, registration: Registration, now: datetime) -> None:
    """The one place where attending makes a person trained for the training's kind.

    The attended registration is the record (see selectors.trained_kinds and
    people_trained_in); this is where a people-record entry is written as well.
    """
    registration.status = RegistrationStatus.ATTENDED
    registration.attended_at = now
    TrainingRecord.objects.get_or_create(
        person_id=registration.person_id,
        kind=registration.training.kind,
        source=TrainingRecord.Source.SESSION,
        completed_at=registration.training.starts_at,
    )


def person_unmark_trained(*, registration: Registration) -> None:
    """Undo `person_mark_trained` (a check-in tapped by mistake)."""
    registration.status = RegistrationStatus.REGISTERED
    registration.attended_at = None
    TrainingRecord.objects.filter(
        person_id=registration.person_id,
        kind=registration.training.kind,
        source=TrainingRecord.Source.SESSION,
        completed_at=registration.training.starts_at,
    ).delete()


@transaction.atomic
def registration_check_in(
    *, actor: Viewer, registration: Registration, attended: bool = True, now=None
) -> Registration:
    """Tap to mark someone attended (which marks them trained), or tap again to undo.
    Anyone on the roster may be checked in: people on the waitlist sometimes just come."""
    now = now or timezone.now()
    training = _lock_training(registration.training_id)
    _require_runner(actor, training)
    refusal = _check_in_refusal(training, now)
    if refusal:
        raise ValidationError(refusal)
    registration = _attach(_lock_registration(registration.pk), training)
    if attended and registration.status != RegistrationStatus.ATTENDED:
        person_mark_trained(registration=registration, now=now)
        registration.save()
    elif not attended and registration.status in (
        RegistrationStatus.ATTENDED,
        RegistrationStatus.NO_SHOW,
    ):
        person_unmark_trained(registration=registration)
        registration.save()
    return registration


@transaction.atomic
def registration_mark_no_show(
    *, actor: Viewer, registration: Registration, now=None
) -> Registration:
    now = now or timezone.now()
    training = _lock_training(registration.training_id)
    _require_runner(actor, training)
    if training.starts_at > now:
        raise ValidationError(_("Mark people as not coming only once the training has started."))
    registration = _attach(_lock_registration(registration.pk), training)
    if registration.status in (RegistrationStatus.REGISTERED, RegistrationStatus.ATTENDED):
        registration.status = RegistrationStatus.NO_SHOW
        registration.attended_at = None
        registration.save()
    return registration


@transaction.atomic
def training_close_attendance(*, actor: Viewer, training: Training, now=None) -> int:
    """After the training: everyone with a seat who was not checked in did not come."""
    now = now or timezone.now()
    training = _lock_training(training.pk)
    _require_runner(actor, training)
    if training.starts_at > now:
        raise ValidationError(_("Mark people as not coming only once the training has started."))
    return Registration.objects.filter(
        training=training, status__in=[RegistrationStatus.REGISTERED, RegistrationStatus.OFFERED]
    ).update(status=RegistrationStatus.NO_SHOW, offer_expires_at=None, updated_at=now)


@transaction.atomic
def registration_note(*, actor: Viewer, registration: Registration, notes: str) -> Registration:
    training = Training.objects.get(pk=registration.training_id)
    _require_runner(actor, training)
    registration = _lock_registration(registration.pk)
    registration.notes = notes.strip() or None
    registration.save(update_fields=["notes", "updated_at"])
    return registration


@transaction.atomic
def walk_in_add(
    *,
    actor: Viewer,
    training: Training,
    name: str,
    phone: str = "",
    email: str = "",
    language: str,
    consent_wording: str,
    wording_language: str,
    now=None,
) -> Registration:
    """Someone came without signing up: add them, checked in, with the consent they gave
    aloud (recorded with the wording the trainer read, and by whom). A person the
    committee already knows (same phone or email) is not duplicated."""
    now = now or timezone.now()
    training = _lock_training(training.pk)
    _require_runner(actor, training)
    refusal = _check_in_refusal(training, now)
    if refusal:
        raise ValidationError(refusal)
    match = contact_find_or_create(
        committee=training.committee, name=name, phone=phone, email=email, language=language
    )
    person, new = match.person, match.created
    _record_contact_consent(
        person,
        channels=_submitted_channels(person, phone=phone, email=email, new=new),
        wording=consent_wording,
        language=wording_language,
        source=ConsentSource.SPOKEN,
        by=actor.person,
    )
    registration = (
        Registration.objects.select_for_update().filter(training=training, person=person).first()
    )
    if registration is None:
        registration = Registration(training=training, person=person, source=Source.WALK_IN)
    _attach(registration, training)
    if registration.status != RegistrationStatus.ATTENDED:
        person_mark_trained(registration=registration, now=now)
    registration.save()
    return registration
