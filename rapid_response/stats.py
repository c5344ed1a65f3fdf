"""The reports page: reports, confirmed incidents and false alarms per week and zone, and
the times from first report to verification and to alert. Numbers only, no people."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta
from statistics import median

from django.db.models import Count
from django.db.models.functions import TruncWeek
from django.utils import timezone

from committees.access import scope

from .models import Incident, IncidentStatus, Report

WEEKS = 12
KINDS = ("reports", "confirmed", "false")


@dataclass
class Row:
    week: object
    zone: str
    reports: int = 0
    incidents: int = 0
    confirmed: int = 0
    false_alarms: int = 0
    to_verify: list = field(default_factory=list)
    to_alert: list = field(default_factory=list)

    @property
    def minutes_to_verify(self):
        return round(median(self.to_verify)) if self.to_verify else None

    @property
    def minutes_to_alert(self):
        return round(median(self.to_alert)) if self.to_alert else None


def _minutes(start, end):
    return (end - start).total_seconds() / 60 if start and end else None


def weekly(*, viewer, weeks: int = WEEKS) -> list[Row]:
    """Rows per (week, zone), newest week first. Two queries whatever the volume."""
    since = timezone.now() - timedelta(weeks=weeks)
    rows: dict[tuple, Row] = {}

    def row(week, zone):
        key = (week.date() if hasattr(week, "date") else week, zone or "—")
        if key not in rows:
            rows[key] = Row(week=key[0], zone=key[1])
        return rows[key]

    reports = (
        scope(Report.objects.all(), viewer)
        .filter(received_at__gte=since)
        .annotate(week=TruncWeek("received_at"))
        .values("week", "zone__name")
        .annotate(count=Count("id"))
    )
    for item in reports:
        row(item["week"], item["zone__name"]).reports += item["count"]
    incidents = (
        scope(Incident.objects.all(), viewer)
        .filter(opened_at__gte=since)
        .annotate(week=TruncWeek("opened_at"))
        .values_list("week", "zone__name", "status", "opened_at", "verified_at", "alerted_at")
    )
    for week, zone, status, opened, verified, alerted in incidents:
        target = row(week, zone)
        target.incidents += 1
        target.confirmed += status == IncidentStatus.CONFIRMED
        target.false_alarms += status == IncidentStatus.FALSE_ALARM
        if (minutes := _minutes(opened, verified)) is not None:
            target.to_verify.append(minutes)
        if (minutes := _minutes(opened, alerted)) is not None:
            target.to_alert.append(minutes)
    return sorted(rows.values(), key=lambda r: (r.week, r.zone), reverse=True)


def chart(rows: list[Row], *, width: int = 640, height: int = 200) -> dict:
    """Bars per week (reports, confirmed, false alarms) for an inline SVG."""
    totals: dict = defaultdict(lambda: [0, 0, 0])
    for r in rows:
        totals[r.week][0] += r.reports
        totals[r.week][1] += r.confirmed
        totals[r.week][2] += r.false_alarms
    weeks = sorted(totals)
    top = max([max(v) for v in totals.values()] + [1])
    slot = width / max(len(weeks), 1)
    bar = max(slot / 4, 2)
    bars = []
    for i, week in enumerate(weeks):
        for j, (value, kind) in enumerate(zip(totals[week], KINDS, strict=True)):
            h = (height - 20) * value / top
            bars.append(
                {
                    "x": round(i * slot + j * bar + bar / 2, 1),
                    "y": round(height - 20 - h, 1),
                    "w": round(bar, 1),
                    "h": round(h, 1),
                    "kind": kind,
                    "value": value,
                    "week": week,
                }
            )
    labels = [{"x": round(i * slot + slot / 2, 1), "week": w} for i, w in enumerate(weeks)]
    return {"width": width, "height": height, "bars": bars, "labels": labels, "top": top}
