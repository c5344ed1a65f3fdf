"""iCalendar (.ics) for one person's training and for a committee's public feed."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from django.urls import reverse
from django.utils import timezone, translation
from icalendar import Calendar, Event

from .models import Training


def _host() -> str:
    return settings.PUBLIC_BASE_URL.split("://", 1)[-1].split("/", 1)[0] or "defensa"


def _event(training: Training, *, language: str, with_private: bool, url: str) -> Event:
    event = Event()
    event.add("uid", f"training-{training.pk}@{_host()}")
    event.add("dtstamp", timezone.now())
    event.add("dtstart", training.starts_at)
    event.add("dtend", training.ends_at)
    event.add("sequence", training.schedule_version)
    event.add("summary", training.title_in(language))
    where = [training.place_name]
    if training.address and (with_private or not training.address_private):
        where.append(training.address)
    if training.online_url and with_private:
        where.append(training.online_url)
    location = ", ".join(part for part in where if part)
    if location:
        event.add("location", location)
    description = training.description_in(language)
    event.add("description", f"{description}\n\n{url}".strip())
    event.add("url", url)
    event.add("status", "CANCELLED" if training.cancelled_at else "CONFIRMED")
    return event


def _calendar(name: str) -> Calendar:
    calendar = Calendar()
    calendar.add("prodid", "-//Defensa//Trainings//EN")
    calendar.add("version", "2.0")
    calendar.add("x-wr-calname", name)
    return calendar


def registration_calendar(registration, *, url: str) -> bytes:
    training = registration.training
    language = registration.person.language
    calendar = _calendar(training.title_in(language))
    calendar.add_component(_event(training, language=language, with_private=True, url=url))
    return calendar.to_ical()


def committee_feed(committee, trainings: Iterable[Training], *, language: str) -> bytes:
    with translation.override(language):
        from django.utils.translation import gettext

        name = gettext("Trainings: %(committee)s") % {"committee": committee.name}
    calendar = _calendar(name)
    for training in trainings:
        path = reverse(
            "trainings_public:training",
            kwargs={"committee_slug": committee.slug, "public_training_id": training.pk},
        )
        calendar.add_component(
            _event(
                training,
                language=language,
                with_private=False,
                url=f"{settings.PUBLIC_BASE_URL}{path}",
            )
        )
    return calendar.to_ical()
