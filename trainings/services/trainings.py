"""Creating, changing and cancelling trainings (and weekly series); the people with a
place hear about a change of time or place, and about a cancellation."""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.access import Action, Viewer
from members.models import Person

from .. import messaging
from ..models import (
    ACTIVE_STATUSES,
    Registration,
    Training,
    TrainingSeries,
)
from .common import (
    MAX_DAYS_AHEAD,
    MAX_SERIES_SESSIONS,
    SCHEDULE_FIELDS,
    TRAINING_FIELDS,
    _attach,
    _fill_free_seats,
    _lock_training,
)


def _validate_training(fields: dict, *, creating: bool, now: datetime) -> None:
    errors = {}
    if not (fields.get("title_en", "").strip() or fields.get("title_es", "").strip()):
        errors["title_es"] = _("Give the training a title, in Spanish or English.")
    if fields["ends_at"] <= fields["starts_at"]:
        errors["ends_at"] = _("The training must end after it starts.")
    if creating and fields["starts_at"] <= now:
        errors["starts_at"] = _("The training must start in the future.")
    elif fields["starts_at"] > now + timedelta(days=MAX_DAYS_AHEAD + 1):
        errors["starts_at"] = _("Choose a date between yesterday and two years from today.")
    if not (fields.get("place_name", "").strip() or fields.get("online_url", "").strip()):
        errors["place_name"] = _("Say where the training is, or give an online link.")
    if fields.get("capacity", 0) < 1:
        errors["capacity"] = _("A training needs at least one seat.")
    if errors:
        raise ValidationError(errors)


def _trainers_of(committee, trainers) -> list[Person]:
    trainers = list(trainers or [])
    if any(t.committee_id != committee.pk for t in trainers):
        raise PermissionDenied
    return trainers


@transaction.atomic
def training_create(
    *, actor: Viewer, trainers=(), weeks: int = 1, now: datetime | None = None, **fields
) -> list[Training]:
    """Create a training, or a weekly series of `weeks` sessions at the same local time.

    Each session keeps the committee's wall-clock time across daylight-saving changes.
    Side effects: the Training rows (and a TrainingSeries when weeks > 1).
    """
    actor.require(Action.MANAGE_TRAININGS)
    now = now or timezone.now()
    fields = {k: fields[k] for k in TRAINING_FIELDS if k in fields}
    _validate_training(fields, creating=True, now=now)
    if not 1 <= weeks <= MAX_SERIES_SESSIONS:
        raise ValidationError(
            {
                "weeks": _("A series has between 1 and %(max)s sessions.")
                % {"max": MAX_SERIES_SESSIONS}
            }
        )
    committee = actor.committee
    trainers = _trainers_of(committee, trainers)
    zone = ZoneInfo(committee.timezone)
    start_local = timezone.localtime(fields["starts_at"], zone).replace(tzinfo=None)
    duration = fields["ends_at"] - fields["starts_at"]
    series = (
        TrainingSeries.objects.create(committee=committee, created_by=actor.membership)
        if weeks > 1
        else None
    )
    created = []
    for week in range(weeks):
        starts_at = (start_local + timedelta(weeks=week)).replace(tzinfo=zone)
        training = Training.objects.create(
            committee=committee,
            series=series,
            created_by=actor.membership,
            **{**fields, "starts_at": starts_at, "ends_at": starts_at + duration},
        )
        training.trainers.set(trainers)
        created.append(training)
    return created


@transaction.atomic
def training_update(
    *, actor: Viewer, training: Training, trainers=None, now: datetime | None = None, **fields
) -> Training:
    """Change a training. A new time or place is announced to everyone with a seat, an
    offer or a waitlist place (once per change) and re-arms their reminders; more seats
    are offered to the waitlist at once."""
    actor.require(Action.MANAGE_TRAININGS)
    now = now or timezone.now()
    if training.committee_id != actor.committee.pk:
        raise PermissionDenied
    training = _lock_training(training.pk)
    fields = {k: fields[k] for k in TRAINING_FIELDS if k in fields}
    merged = {k: getattr(training, k) for k in TRAINING_FIELDS} | fields
    _validate_training(merged, creating=False, now=now)
    schedule_changed = any(merged[k] != getattr(training, k) for k in SCHEDULE_FIELDS)
    for name, value in fields.items():
        setattr(training, name, value)
    if schedule_changed:
        training.schedule_version += 1
    training.save()
    if trainers is not None:
        training.trainers.set(_trainers_of(training.committee, trainers))
    if schedule_changed and not training.cancelled_at and training.ends_at > now:
        people = list(
            Registration.objects.select_for_update()
            .select_related("person__committee")
            .filter(training=training, status__in=ACTIVE_STATUSES)
        )
        Registration.objects.filter(pk__in=[r.pk for r in people]).update(
            confirmed_at=None, day_before_sent_at=None, hour_before_sent_at=None
        )
        for registration in people:
            messaging.send_changed(_attach(registration, training))
    _fill_free_seats(training, now)
    return training


@transaction.atomic
def training_cancel(
    *, actor: Viewer, training: Training, reason: str = "", now: datetime | None = None
) -> Training:
    """Cancel a training and tell everyone who had a seat, an offer or a waitlist place;
    `reason` (the organizer's words) goes into that message."""
    actor.require(Action.MANAGE_TRAININGS)
    if training.committee_id != actor.committee.pk:
        raise PermissionDenied
    training = _lock_training(training.pk)
    if training.cancelled_at:
        return training
    training.cancelled_at = now or timezone.now()
    training.cancellation_reason = " ".join(reason.split())[:300]
    training.save(update_fields=["cancelled_at", "cancellation_reason", "updated_at"])
    if training.ends_at > training.cancelled_at:
        for registration in (
            Registration.objects.select_related("person__committee")
            .filter(training=training, status__in=ACTIVE_STATUSES)
            .order_by("id")
        ):
            messaging.send_cancelled(_attach(registration, training))
    return training
