"""The dispatch panel on the organizer's "today" page (one query for its three counts)."""

from django.utils import timezone

from committees.access import Action, scope
from committees.dashboard import Panel, register
from lib.counts import counts

from .models import Alert, Incident


@register
def dispatch_panel(viewer) -> Panel | None:
    if not viewer.can(Action.DISPATCH):
        return None
    open_incidents = scope(Incident.objects.all(), viewer).filter(closed_at__isnull=True)
    now = timezone.now()
    return Panel(
        template="rapid_response/panels/dispatch.html",
        context=counts(
            open_count=open_incidents,
            unclaimed=open_incidents.filter(claimed_by__isnull=True),
            active_alerts=scope(Alert.objects.all(), viewer).filter(
                all_clear_at__isnull=True, retracted_at__isnull=True, expires_at__gt=now
            ),
        ),
        order=15,
    )
