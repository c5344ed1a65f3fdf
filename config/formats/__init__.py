"""Input formats shared by every language (settings.FORMAT_MODULE_PATH).

Browsers' date and time inputs (`<input type="date">`, `type="time"`,
`type="datetime-local"`) take and give ISO values only (2026-12-08, 18:30,
2026-12-08T18:30), whatever the page's language: a value in the language's own format
(Spanish renders 08/12/2026) is dropped by the browser, and saving then says the field is
required. So the first input format — the one a form renders an initial value with — is
ISO in every language; dates typed by hand in the local style are still accepted.
"""

from django.conf import global_settings
from django.conf.locale.en import formats as en
from django.conf.locale.es import formats as es

ISO_DATE, ISO_TIME, ISO_DATETIME = "%Y-%m-%d", "%H:%M", "%Y-%m-%dT%H:%M"


def iso_first(formats: list[str], first: str) -> list[str]:
    return [first, *(f for f in formats if f != first)]


def input_formats(locale_formats) -> dict[str, list[str]]:
    """The locale's own input formats (or Django's defaults), ISO first."""
    firsts = {
        "DATE_INPUT_FORMATS": ISO_DATE,
        "TIME_INPUT_FORMATS": ISO_TIME,
        "DATETIME_INPUT_FORMATS": ISO_DATETIME,
    }
    return {
        name: iso_first(getattr(locale_formats, name, getattr(global_settings, name)), first)
        for name, first in firsts.items()
    }


LOCALES = {"en": en, "es": es}
