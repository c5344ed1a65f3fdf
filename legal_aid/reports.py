"""Numbers for the committee's reports: no names, nothing that identifies anyone.
Counts survive the retention purge (it keeps urgency, status, dates and outcomes)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

from django.db.models import Count, Q
from django.db.models.functions import TruncMonth
from django.utils import timezone

from .models import AccompanimentStatus, Case, Hearing, HearingOutcome, HearingStatus, Urgency
from .models.cases import OPEN_CASE_STATUSES

AGE_BUCKETS = ((7, "0-7"), (30, "8-30"), (90, "31-90"), (None, "90+"))


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    x: int
    y: int
    width: int
    height: int


def bars(rows: list[tuple[str, int]], *, width=320, height=120) -> list[Bar]:
    """Geometry of a simple bar chart, drawn server-side as SVG."""
    if not rows:
        return []
    top = max(v for _, v in rows) or 1
    slot = width // len(rows)
    return [
        Bar(
            label=label,
            value=value,
            x=i * slot + 4,
            y=height - round(value / top * (height - 16)),
            width=max(slot - 8, 4),
            height=round(value / top * (height - 16)),
        )
        for i, (label, value) in enumerate(rows)
    ]


def open_cases(committee, *, now: datetime) -> dict:
    cases = Case.objects.filter(committee=committee, status__in=list(OPEN_CASE_STATUSES))
    by_urgency = dict(cases.values_list("urgency").annotate(n=Count("id")).order_by())
    ages = {}
    lower = 0
    for upper, label in AGE_BUCKETS:
        q = Q(opened_at__lte=now - timedelta(days=lower))
        if upper is not None:
            q &= Q(opened_at__gt=now - timedelta(days=upper))
        ages[label] = Q(q)
        lower = (upper or 0) + 1
    age_counts = cases.aggregate(
        **{f"a{i}": Count("id", filter=q) for i, q in enumerate(ages.values())}
    )
    return {
        "by_urgency": [(label, by_urgency.get(value, 0)) for value, label in Urgency.choices],
        "by_age": [(label, age_counts[f"a{i}"]) for i, label in enumerate(ages)],
        "total": sum(by_urgency.values()),
    }


def hearings_this_week(committee, *, now: datetime) -> dict:
    local = timezone.localtime(now, ZoneInfo(committee.timezone))
    start = local.replace(hour=0, minute=0, second=0, microsecond=0)
    hearings = (
        Hearing.objects.filter(
            case__committee=committee,
            starts_at__gte=start,
            starts_at__lt=start + timedelta(days=7),
            status__in=[HearingStatus.SCHEDULED, HearingStatus.MOVED],
        )
        .annotate(
            going=Count(
                "accompaniments", filter=Q(accompaniments__status=AccompanimentStatus.ACCEPTED)
            )
        )
        .values_list("accompaniers_needed", "going")
    )
    filled = missing = not_asked = 0
    for needed, going in hearings:
        if needed == 0:
            not_asked += 1
        elif going >= needed:
            filled += 1
        else:
            missing += 1
    return {"filled": filled, "missing": missing, "not_asked": not_asked}


def outcomes_by_month(committee, *, now: datetime, months: int = 6) -> list[dict]:
    since = now - timedelta(days=31 * months)
    rows = (
        Hearing.objects.filter(case__committee=committee, starts_at__gte=since, starts_at__lte=now)
        .exclude(outcome="")
        .annotate(month=TruncMonth("starts_at"))
        .values("month", "outcome")
        .annotate(n=Count("id"))
        .order_by("month", "outcome")
    )
    labels = dict(HearingOutcome.choices)
    table: dict = {}
    for row in rows:
        key = row["month"].strftime("%Y-%m")
        table.setdefault(key, {})[row["outcome"]] = row["n"]
    return [
        {"month": month, "counts": [(labels[o], n) for o, n in sorted(counts.items())]}
        for month, counts in table.items()
    ]


def report(committee, *, now: datetime | None = None) -> dict:
    now = now or timezone.now()
    opened = open_cases(committee, now=now)
    return {
        "open": opened,
        "urgency_bars": bars([(str(label), n) for label, n in opened["by_urgency"]]),
        "age_bars": bars(opened["by_age"]),
        "week": hearings_this_week(committee, now=now),
        "outcomes": outcomes_by_month(committee, now=now),
    }
