"""What every rapid-response service shares: the committee's settings and the log."""

from __future__ import annotations

from django.conf import settings
from django.urls import reverse

from ..models import DispatchSettings, LogEntry


def dispatch_settings(committee) -> DispatchSettings:
    found = DispatchSettings.objects.filter(committee=committee).first()
    if found is None:
        found, _created = DispatchSettings.objects.get_or_create(committee=committee)
    return found


def log(incident, kind: str, *, actor=None, person=None, status: str = "", note: str = ""):
    """One line of the incident's log (who, what, when)."""
    return LogEntry.objects.create(
        incident=incident,
        kind=kind,
        actor=actor.membership if actor is not None else None,
        person=person,
        status=status,
        note=note or None,
    )


def incident_url(incident) -> str:
    return settings.PUBLIC_BASE_URL + reverse("rapid_response:incident", args=[incident.pk])
