"""The legal-aid panel on the organizer's "today" page: counts only, a constant
number of queries."""

from __future__ import annotations

from datetime import timedelta

from django.db.models import Count, Q
from django.utils import timezone

from committees.access import Action
from committees.dashboard import Panel, register

from . import selectors
from .models import Hearing, HearingStatus, LegalRequest, RequestStatus, Urgency


@register
def legal_panel(viewer) -> Panel | None:
    if viewer.membership is None or not viewer.can(Action.VIEW_LEGAL_QUEUE):
        return None
    committee = viewer.committee
    waiting = LegalRequest.objects.filter(committee=committee, status=RequestStatus.NEW).aggregate(
        waiting=Count("id"), detained=Count("id", filter=Q(urgency=Urgency.DETAINED))
    )
    now = timezone.now()
    hearings = Hearing.objects.filter(
        case__committee=committee,
        starts_at__gte=now,
        starts_at__lt=now + timedelta(days=7),
        status__in=[HearingStatus.SCHEDULED, HearingStatus.MOVED],
    ).count()
    mine = selectors.my_cases_count(viewer=viewer) if viewer.can(Action.VIEW_CASE) else None
    return Panel(
        template="legal_aid/panels/legal.html",
        context={**waiting, "hearings": hearings, "mine": mine},
        order=40,
    )
