"""Rate limits for the public pages, kept in Django's cache (no extra service).

Keys hold an IP address or a phone's keyed lookup hash, never a phone number.
"""

from __future__ import annotations

from django.conf import settings
from django.core.cache import cache
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

from lib.crypto import lookup_hash

CONTACT_LIMIT = (5, 60 * 60)  # public form sends per phone number or email per hour
# Public form sends per block of 100 consecutive numbers per hour: SMS pumping walks
# through a range of premium numbers; neighbours rarely share a block.
PREFIX_LIMIT = (3, 60 * 60)


def allow_number_in_block(e164: str) -> bool:
    """Count a number not seen this hour against its block of 100 consecutive numbers
    ("+12135550142" -> "+121355501"); False once the block had too many. The same
    number again is the per-contact limit's business."""
    from .crypto import lookup_hash

    seen = f"throttle:seen:{lookup_hash(e164)}"
    if not cache.add(seen, 1, PREFIX_LIMIT[1]):
        return True
    return allow(f"block:{lookup_hash(e164[:-2])}", PREFIX_LIMIT)


class Throttled(ValidationError):
    """Too many attempts; the message asks the person to wait (answer 429)."""

    def __init__(self):
        super().__init__(too_many_message())


def too_many_message() -> str:
    return _("Too many attempts. Please wait an hour and try again.")


def ip_limit() -> tuple[int, int]:
    """Public form sends per IP address per hour. Generous: a whole training room may
    sign up from one church Wi-Fi; the per-phone limit is what stops repeats."""
    return (settings.TRAININGS_SIGNUPS_PER_IP_PER_HOUR, 60 * 60)


def allow(key: str, limit: tuple[int, int]) -> bool:
    """Count one hit for `key`; False once more than `limit[0]` fell in the window."""
    most, seconds = limit
    cache_key = f"throttle:{key}"
    cache.add(cache_key, 0, seconds)
    try:
        hits = cache.incr(cache_key)
    except ValueError:  # expired between add and incr
        cache.set(cache_key, 1, seconds)
        hits = 1
    return hits <= most


def client_ip(request) -> str:
    """The visitor's address, honouring ALLAUTH_TRUSTED_PROXY_COUNT like the sign-in
    rate limits do."""
    from allauth.account.adapter import get_adapter

    try:
        return get_adapter(request).get_client_ip(request)
    except Exception:  # no address at all (a test client, a misconfigured proxy)
        return request.META.get("REMOTE_ADDR") or "unknown"


def address_allow(request) -> bool:
    """Count one public form sent from the visitor's address; False over `ip_limit()`."""
    return allow(f"ip:{client_ip(request)}", ip_limit())


def contact_check(contact: str) -> None:
    """Count one public form sent for this phone number or email (kept as its keyed
    hash); raise Throttled over `CONTACT_LIMIT`."""
    if not allow(f"contact:{lookup_hash(contact)}", CONTACT_LIMIT):
        raise Throttled
