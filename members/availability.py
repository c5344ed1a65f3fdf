"""Weekly availability: one bit per (weekday, part of day) in `Person.availability`.

An integer keeps the directory's rows free of an extra query and still answers
"who is available on Tuesday evening?" in SQL (`available_filter`).
"""

from __future__ import annotations

from django.db.models import F
from django.db.models.lookups import GreaterThan
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

WEEKDAYS = [
    (0, _("Monday")),
    (1, _("Tuesday")),
    (2, _("Wednesday")),
    (3, _("Thursday")),
    (4, _("Friday")),
    (5, _("Saturday")),
    (6, _("Sunday")),
]
PARTS = [
    ("morning", pgettext_lazy("part of day", "Morning")),
    ("afternoon", pgettext_lazy("part of day", "Afternoon")),
    ("evening", pgettext_lazy("part of day", "Evening")),
]
PART_INDEX = {name: index for index, (name, _label) in enumerate(PARTS)}
ALL_SLOTS = (1 << (len(WEEKDAYS) * len(PARTS))) - 1


def slot(weekday: int, part: str) -> str:
    return f"{weekday}-{part}"


def bit(weekday: int, part: str) -> int:
    return 1 << (weekday * len(PARTS) + PART_INDEX[part])


def to_mask(slots) -> int:
    """["1-evening", ...] -> integer; unknown slots are ignored."""
    mask = 0
    for value in slots or ():
        day, _sep, part = str(value).partition("-")
        if day.isdigit() and 0 <= int(day) < len(WEEKDAYS) and part in PART_INDEX:
            mask |= bit(int(day), part)
    return mask


def to_slots(mask: int) -> list[str]:
    return [slot(day, part) for day, _d in WEEKDAYS for part, _p in PARTS if mask & bit(day, part)]


def describe(mask: int) -> list[tuple[str, list[str]]]:
    """[(weekday label, [part labels])] for the days with any availability."""
    days = []
    for day, day_label in WEEKDAYS:
        parts = [str(label) for part, label in PARTS if mask & bit(day, part)]
        if parts:
            days.append((str(day_label), parts))
    return days


def mask_for(weekday: int | None = None, part: str | None = None) -> int:
    days = [weekday] if weekday is not None else [d for d, _l in WEEKDAYS]
    parts = [part] if part else [p for p, _l in PARTS]
    mask = 0
    for day in days:
        for name in parts:
            mask |= bit(day, name)
    return mask


def available_filter(weekday: int | None = None, part: str | None = None) -> GreaterThan:
    """A filter for people free on that weekday (any part of it), in that part of the day
    (any weekday), or both: `people.filter(available_filter(1, "evening"))`."""
    return GreaterThan(F("availability").bitand(mask_for(weekday, part)), 0)
