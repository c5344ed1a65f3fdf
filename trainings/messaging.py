"""Every SMS and email the trainings part sends, through `notifications.message_queue`
(one person) or `message_queue_many` (the reminder sweep).

Each function is called inside the service's transaction, so the outbox row is written
with the change that caused it. Idempotency keys are deterministic: a retried service,
a sweep that runs twice or runs late, never queues the same message twice.
Bodies carry the training, its time and a link; never anyone else's details.
"""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime, timedelta

from lib.dates import format_time, format_when
from members.consent import Channel, Purpose, consent_map, consented_channels
from notifications.models import Urgency
from notifications.services import (
    Recipient,
    conversation_open,
    conversation_open_many,
    message_queue,
    message_queue_many,
)

from .links import registration_url, registration_urls

DAY_BEFORE_CONVERSATION = "trainings.day_before"
OFFER_CONVERSATION = "trainings.offer"


def channel_for(person, channels=None) -> str | None:
    """SMS when we may text them, else email when we may write; None lets the outbox
    record why nothing was sent. `channels`, when given, limits the choice (to the
    addresses the person typed in themselves)."""
    answers = consent_map(person=person)
    consented = {
        channel
        for (purpose, channel), granted in answers.items()
        if purpose == Purpose.REMINDERS and granted
    }
    return _pick_channel(person, consented, channels)


def _pick_channel(person, consented, channels=None) -> str | None:
    """`channel_for`, given the channels on which the person consents to reminders."""
    allowed = set(channels) if channels is not None else {Channel.SMS, Channel.EMAIL}
    if Channel.SMS in allowed and person.phone and Channel.SMS in consented:
        return Channel.SMS
    if Channel.EMAIL in allowed and person.email and Channel.EMAIL in consented:
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
        **_reply_codes(conversation),
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


def _reply_codes(conversation) -> dict[str, str]:
    """The numbers this question's text offers (see notifications.routing)."""
    codes = conversation.codes if conversation is not None else ()
    return {"yes": str(codes[0]), "no": str(codes[1])} if len(codes) == 2 else {}


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


# The reminders the sweep sends: their template, and the question they ask (if any).
REMINDERS = {
    "day_before": ("trainings_day_before", DAY_BEFORE_CONVERSATION),
    "hour_before": ("trainings_hour_before", None),
}


def send_reminders(registrations, *, reminder: str, now: datetime) -> list:
    """Queue one kind of reminder (`REMINDERS`) to many registrations, in a constant
    number of queries: the same messages, keys and rules as `_send` one by one.

    Every registration has a seat (the sweep claims only those), so the text differs
    between two people of the same training and language only by their link: it is
    rendered once for them. The day-before reminder opens a conversation for each, so
    that their "1" or "2" reaches `replies.day_before_reply`.
    """
    template, question = REMINDERS[reminder]
    registrations = list(registrations)
    conversations = {}
    if question:
        opened = conversation_open_many(
            kind=question,
            openings=[
                (r.person, r.pk, max(r.training.starts_at - now, timedelta(minutes=1)))
                for r in registrations
            ],
        )
        conversations = {c.object_id: c for c in opened}
    consented = defaultdict(set)
    for person_id, channel in consented_channels(
        person_ids={r.person_id for r in registrations}, purpose=Purpose.REMINDERS
    ):
        consented[person_id].add(channel)
    links = registration_urls(registrations)
    contexts: dict[tuple[int, str], dict] = {}
    recipients = []
    for registration in registrations:
        training, person = registration.training, registration.person
        language = person.language
        context = contexts.get((training.pk, language))
        if context is None:
            context = contexts[(training.pk, language)] = {
                "training": training,
                # What the templates read of it (has_seat) is the same for everyone here.
                "registration": registration,
                "when": format_when(training.starts_at, training.committee, language),
                "start_time": format_time(training.starts_at, training.committee, language),
            }
        recipients.append(
            Recipient(
                person=person,
                idempotency_key=(
                    f"training-reminder:{registration.pk}:{reminder}:v{training.schedule_version}"
                ),
                context=context,
                fill={
                    "link": links[registration.pk],
                    **_reply_codes(conversations.get(registration.pk)),
                },
                channel=_pick_channel(person, consented[person.pk]),
                conversation=conversations.get(registration.pk),
                # Never delivered after the start (quiet hours would otherwise hold it past it).
                valid_until=training.starts_at,
            )
        )
    return message_queue_many(
        purpose=Purpose.REMINDERS,
        template=template,
        recipients=recipients,
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
