"""Never promise what consent forbids: whom the trainings part can reach, and the one-tap
opt-in to reminders a member is offered when they signed up without it."""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from committees.access import Viewer
from members.consent import Channel, ConsentSource, Purpose, consent_record
from members.models import Person
from notifications.services import channel_choose

from .models import PassedOver, Registration, RegistrationStatus


def reachability(person: Person) -> str:
    """Why the app cannot send `person` training messages ("" when it can)."""
    if not person.phone and not person.email:
        return PassedOver.NO_ADDRESS
    if reminder_channel(person) is None:
        return PassedOver.NO_CONSENT
    return ""


def reminder_channel(person: Person) -> str | None:
    """The channel reminders would reach `person` on now, or None: what pages promise."""
    return channel_choose(person=person, purpose=Purpose.REMINDERS)


@transaction.atomic
def reminders_turn_on(*, viewer: Viewer, wording: str, language: str) -> list[str]:
    """A signed-in person agrees, in one tap, to reminders on every channel they have an
    address for. Recorded as consent events with the exact `wording` they read, its
    language, source "their own profile" and themselves as recorder. Waitlist places
    they were passed over on become eligible again, and any seat free there is offered.
    Returns the channels now on."""
    person = Person.objects.get(pk=viewer.person.pk)
    channels = [
        channel
        for channel, address in ((Channel.SMS, person.phone), (Channel.EMAIL, person.email))
        if address
    ]
    for channel in channels:
        consent_record(
            person=person,
            purpose=Purpose.REMINDERS,
            channel=channel,
            granted=True,
            wording=wording,
            language=language,
            source=ConsentSource.PROFILE,
            recorded_by=person,
        )
    if channels:
        from .services.common import _fill_free_seats, _lock_training

        now = timezone.now()
        passed = list(
            Registration.objects.filter(
                person=person,
                status=RegistrationStatus.WAITLISTED,
                passed_over_at__isnull=False,
                training__starts_at__gt=now,
            ).values_list("pk", "training_id")
        )
        Registration.objects.filter(pk__in=[pk for pk, _t in passed]).update(
            passed_over_at=None, passed_over_reason=""
        )
        for training_id in sorted({t for _pk, t in passed}):
            _fill_free_seats(_lock_training(training_id), now)
    return channels
