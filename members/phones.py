"""Phone numbers: stored in E.164, read in whatever shape people type them."""

from __future__ import annotations

import re

import phonenumbers
from django.conf import settings

PHONE_LIKE = re.compile(r"^\+?[\d\s().\-]{7,24}$")


def normalise_phone(raw: str) -> str | None:
    """E.164 for a valid number (US numbers may omit +1), otherwise None."""
    raw = (raw or "").strip()
    if not raw or not PHONE_LIKE.match(raw):
        return None
    try:
        number = phonenumbers.parse(raw, settings.PHONENUMBER_DEFAULT_REGION)
    except phonenumbers.NumberParseException:
        return None
    if not phonenumbers.is_valid_number(number):
        return None
    return phonenumbers.format_number(number, phonenumbers.PhoneNumberFormat.E164)


def looks_like_phone(text: str) -> bool:
    return bool(PHONE_LIKE.match((text or "").strip())) and sum(c.isdigit() for c in text) >= 7


def display_phone(e164: str | None) -> str:
    """(213) 555-0142 for US numbers, +52 ... for others."""
    if not e164:
        return ""
    try:
        number = phonenumbers.parse(str(e164))
    except phonenumbers.NumberParseException:
        return str(e164)
    region_code = phonenumbers.region_code_for_number(number)
    style = (
        phonenumbers.PhoneNumberFormat.NATIONAL
        if region_code == settings.PHONENUMBER_DEFAULT_REGION
        else phonenumbers.PhoneNumberFormat.INTERNATIONAL
    )
    return phonenumbers.format_number(number, style)
