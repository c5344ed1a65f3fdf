"""Patterns across incidents, for the lawyers: counts by zone, agency and kind of conduct
per month. Numbers, never people; a count of 1 or 2 is shown as "fewer than 3", so
that a small number cannot point at one family."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ..models import Accompaniment, CourtWatchReport, WatchResult
from . import sources

MONTHS = 12
SUPPRESS_BELOW = 3

CONDUCT_LABELS = {
    "no_warrant": _("No judicial warrant shown"),
    "police_with_ice": _("Local police there with ICE or CBP"),
    "courthouse_arrest": _("Arrests at a court or check-in"),
}


@dataclass
class Table:
    title: object
    months: list[date]
    rows: dict[str, dict[date, int]] = field(default_factory=dict)

    def add(self, label: str, month, count: int) -> None:
        month = month.date() if hasattr(month, "date") else month
        month = month.replace(day=1)
        if month in self.months:
            row = self.rows.setdefault(str(label), {})
            row[month] = row.get(month, 0) + count

    def lines(self) -> list[tuple[str, list[str], str]]:
        """(label, a shown count per month, the shown total), by label."""
        return [
            (
                label,
                [shown(row.get(m, 0)) for m in self.months],
                shown(sum(row.values())),
            )
            for label, row in sorted(self.rows.items())
        ]


def shown(count: int) -> str:
    if 0 < count < SUPPRESS_BELOW:
        return f"<{SUPPRESS_BELOW}"
    return str(count)


def _months(today: date, months: int) -> list[date]:
    first = today.replace(day=1)
    found = []
    for back in range(months - 1, -1, -1):
        year, month = divmod(first.year * 12 + first.month - 1 - back, 12)
        found.append(date(year, month + 1, 1))
    return found


def patterns(*, committee, months: int = MONTHS, today: date | None = None) -> list[Table]:
    """Three tables, a constant number of queries whatever the number of incidents."""
    today = today or timezone.localdate()
    month_list = _months(today, months)
    since = timezone.make_aware(
        timezone.datetime.combine(month_list[0], timezone.datetime.min.time())
    )
    zones = Table(_("Confirmed incidents by zone"), month_list)
    agencies = Table(_("Observer logs by agency present"), month_list)
    conduct = Table(_("Kinds of conduct"), month_list)
    rapid = sources._rapid_response()
    if rapid is not None:
        counts = rapid.incident_patterns(committee=committee, since=since)
        for month, zone, n in counts["zones"]:
            zones.add(zone, month, n)
        for month, agency, n in counts["agencies"]:
            agencies.add(agency, month, n)
        for month, kind, n in counts["conduct"]:
            conduct.add(str(CONDUCT_LABELS[kind]), month, n)
    arrests = (
        CourtWatchReport.objects.filter(
            hearing__case__committee=committee, result=WatchResult.DETAINED, created_at__gte=since
        )
        .annotate(month=TruncMonth("created_at"))
        .values_list("month")
        .annotate(n=Count("id"))
    )
    for month, n in arrests:
        conduct.add(str(CONDUCT_LABELS["courthouse_arrest"]), month, n)
    # An accompanier's "detained" report without a court-watch form saying so.
    reported = (
        Accompaniment.objects.filter(
            hearing__case__committee=committee, detained_reported_at__gte=since
        )
        .exclude(Q(hearing__reports__result=WatchResult.DETAINED))
        .annotate(month=TruncMonth("detained_reported_at"))
        .values_list("month")
        .annotate(n=Count("hearing", distinct=True))
    )
    for month, n in reported:
        conduct.add(str(CONDUCT_LABELS["courthouse_arrest"]), month, n)
    return [zones, agencies, conduct]
