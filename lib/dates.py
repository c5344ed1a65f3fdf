"""Dates and times as a committee's members read them: in its time zone and their language.

`committee` is anything with a `timezone` attribute (an IANA name such as
"America/Los_Angeles").
"""

from __future__ import annotations

from datetime import date, datetime, time
from functools import lru_cache
from zoneinfo import ZoneInfo

from django.utils import formats, timezone, translation

# Per language, so that Spanish reads "martes 3 de marzo, 18:00" and English
# "Tuesday, March 3, 6:00 PM"; names of days and months come from Django's catalogue.
WHEN_FORMATS = {"es": r"l j \d\e F, H:i", "en": "l, F j, g:i A"}
TIME_FORMATS = {"es": "H:i", "en": "g:i A"}


def local(moment: datetime, committee) -> datetime:
    return timezone.localtime(moment, ZoneInfo(committee.timezone))


def local_datetime(committee, day: date, clock: time) -> datetime:
    """A wall-clock date and time in the committee's time zone, as an aware datetime."""
    return datetime.combine(day, clock, tzinfo=ZoneInfo(committee.timezone))


def format_when(moment: datetime, committee, language: str) -> str:
    return _formatted(moment, committee.timezone, language, WHEN_FORMATS.get(language, "r"))


def format_time(moment: datetime, committee, language: str) -> str:
    return _formatted(moment, committee.timezone, language, TIME_FORMATS.get(language, "H:i"))


@lru_cache(maxsize=8192)
def _formatted(moment: datetime, zone: str, language: str, pattern: str) -> str:
    """A moment written out, remembered: the same trainings' dates are written on every
    view of a list (a hundred a page), and switching the language and formatting each
    one was a quarter of the page's time. The answer depends only on the arguments
    (the catalogues of day and month names do not change while a process runs)."""
    with translation.override(language):
        return formats.date_format(timezone.localtime(moment, ZoneInfo(zone)), pattern)
