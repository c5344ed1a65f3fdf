"""Every SMS and email the trainings part sends, through `notifications.message_queue`.

Each function is called inside the service's transaction, so the outbox row is written
with the change that caused it. Idempotency keys are deterministic: a retried service,
a sweep that runs twice or runs late, never queues the same message twice.
Bodies carry the training, its time and a link; never anyone else's details.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.utils import formats, timezone, translation

from members.consent import Channel, Purpose, consent_map
from notifications.models import Urgency
from notifications.services import conversation_open, message_queue

from .links import registration_url

DAY_BEFORE_CONVERSATION = "trainings.day_before"
OFFER_CONVERSATION = "trainings.offer"

# Per language, so that Spanish reads "martes 3 de marzo, 18:00" and English
# "Tuesday, March 3, 6:00 PM"; names of days and months come from Django's catalogue.
WHEN_FORMATS = {"es": r"l j \d\e F, H:i", "en": "l, F j, g:i A"}
TIME_FORMATS = {"es": "H:i", "en": "g:i A"}


def local(moment: datetime, committee) -> datetime:
    return timezone.localtime(moment, ZoneInfo(committee.timezone))


def format_when(moment: datetime, committee, language: str) -> str:
    with translation.override(language):
        return formats.date_format(local(moment, committee), WHEN_FORMATS.get(language, "r"))


def format_time(moment: datetime, committee, language: str) -> str:
    with translation.override(language):
        return formats.date_format(local(moment, committee), TIME_FORMATS.get(language, "H:i"))


def channel_for(person, channels=None) -> str | None:
    """SMS when we may text them, else email when we may write; None lets the outbox
    record why nothing was sent. `channels`, when given, limits the choice (to the
    addresses the person typed in themselves)."""
    answers = consent_map(person=person)
    allowed = set(channels) if channels is not None else {Channel.SMS, Channel.EMAIL}
    if Channel.SMS in allowed and person.phone and answers.get((Purpose.REMINDERS, Channel.SMS)):
        return Channel.SMS
    if (
        Channel.EMAIL in allowed
        and person.email
        and answers.get((Purpose.REMINDERS, Channel.EMAIL))
    ):
        return Channel.EMAIL
    return None


def _send(
    registration,
    template: str,
    key: str,
    *,
    conversation=None,
    extra=None,
    urgency=None,
    channels=None,
    until_start=False,
):
    training, person = registration.training, registration.person
    channel = channel_for(person, channels)
    if channel is None and channels is not None:
        # Only an address the person did not type in could be used: send nothing.
        return None
    language = person.language
    context = {
        "training": training,
        "registration": registration,
        "when": format_when(training.starts_at, training.committee, language),
        "start_time": format_time(training.starts_at, training.committee, language),
        "link": registration_url(registration),
        **(extra or {}),
    }
    return message_queue(
        person=person,
        purpose=Purpose.REMINDERS,
        template=template,
        idempotency_key=key,
        context=context,
        urgency=urgency or Urgency.NORMAL,
        channel=channel,
        conversation=conversation,
        # Never delivered after the start (quiet hours would otherwise hold it past it).
        valid_until=training.starts_at if until_start else None,
    )


def _stamp(moment: datetime | None) -> str:
    return f"{moment.timestamp():.6f}" if moment else "0"


def send_confirmation(registration, *, channels=None):
    """A seat is theirs (at sign-up or after claiming an offer)."""
    return _send(
        registration,
        "trainings_confirmation",
        f"training-confirmation:{registration.pk}:{_stamp(registration.registered_at)}",
        until_start=True,
        channels=channels,
    )


def send_waitlisted(registration, *, channels=None):
    return _send(
        registration,
        "trainings_waitlisted",
        f"training-waitlisted:{registration.pk}:{registration.waitlist_position}",
        channels=channels,
    )


def send_status_again(registration, *, now: datetime, channels=None):
    """Someone signed up again with the same contact: tell the owner of that contact
    where they stand (at most once an hour, whoever keeps submitting)."""
    return _send(
        registration,
        "trainings_status",
        f"training-status:{registration.pk}:{now:%Y%m%d%H}",
        channels=channels,
    )


def send_offer(registration, *, now: datetime):
    training, person = registration.training, registration.person
    conversation = conversation_open(
        person=person,
        kind=OFFER_CONVERSATION,
        object_id=registration.pk,
        # Open until the start, so that a late "1" gets a kind answer, not silence.
        open_for=max(training.starts_at - now, timedelta(minutes=1)),
    )
    return _send(
        registration,
        "trainings_offer",
        f"training-offer:{registration.pk}:{registration.offer_count}",
        until_start=True,
        conversation=conversation,
        extra={
            "expires": format_when(
                registration.offer_expires_at, training.committee, person.language
            )
        },
    )


def send_day_before(registration, *, now: datetime):
    training = registration.training
    conversation = conversation_open(
        person=registration.person,
        kind=DAY_BEFORE_CONVERSATION,
        object_id=registration.pk,
        open_for=max(training.starts_at - now, timedelta(minutes=1)),
    )
    return _send(
        registration,
        "trainings_day_before",
        f"training-reminder:{registration.pk}:day_before:v{training.schedule_version}",
        until_start=True,
        conversation=conversation,
        urgency=Urgency.BULK,
    )


def send_hour_before(registration):
    return _send(
        registration,
        "trainings_hour_before",
        f"training-reminder:{registration.pk}:hour_before:v{registration.training.schedule_version}",
        until_start=True,
        urgency=Urgency.BULK,
    )


def send_changed(registration):
    return _send(
        registration,
        "trainings_changed",
        f"training-changed:{registration.pk}:v{registration.training.schedule_version}",
        until_start=True,
    )


def send_cancelled(registration):
    return _send(
        registration,
        "trainings_cancelled",
        f"training-cancelled:{registration.pk}",
        until_start=True,
    )
