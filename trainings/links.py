"""Links that work without a login: a person's own registration page, by signed token.

The token is the registration id and a truncated HMAC of it, short enough for an SMS.
It says nothing about the person; without SECRET_KEY it cannot be forged.
"""

from __future__ import annotations

import base64
import hmac
import re

from django.conf import settings
from django.urls import reverse
from django.utils.crypto import salted_hmac

SALT = "trainings.registration-link"
# Registration ids are 64-bit at most: 16 hex digits. Anything longer is not ours (and
# a huge number would be slow, or refused outright, to turn into text).
TOKEN_ID = re.compile(r"[0-9a-f]{1,16}")


def _signature(registration_id: int, secret: str | None = None) -> str:
    digest = salted_hmac(SALT, str(registration_id), secret=secret, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest[:12]).decode().rstrip("=")


def registration_token(registration) -> str:
    return f"{registration.pk:x}-{_signature(registration.pk)}"


def registration_id_from_token(token: str) -> int | None:
    """The registration id a token was made for, or None if it was not made by us."""
    head, _sep, signature = token.partition("-")
    if not TOKEN_ID.fullmatch(head):
        return None
    registration_id = int(head, 16)
    if registration_id <= 0:
        return None
    # Links already sent by SMS keep working while an old SECRET_KEY sits in
    # SECRET_KEY_FALLBACKS (a rotation). Compared as bytes: a non-ASCII signature
    # ("1-é") is simply not ours.
    given = signature.encode("utf-8", "surrogatepass")
    for secret in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]:
        if hmac.compare_digest(given, _signature(registration_id, secret).encode()):
            return registration_id
    return None


def registration_url(registration) -> str:
    path = reverse(
        "trainings_public:registration",
        kwargs={"registration_token": registration_token(registration)},
    )
    return f"{settings.PUBLIC_BASE_URL}{path}"


def registration_urls(registrations) -> dict[int, str]:
    """`registration_url` of many registrations, by id: the URL is reversed once."""
    path = reverse("trainings_public:registration", kwargs={"registration_token": "TOKEN"})
    before, after = path.split("TOKEN")
    return {
        r.pk: f"{settings.PUBLIC_BASE_URL}{before}{registration_token(r)}{after}"
        for r in registrations
    }


def absolute(path: str) -> str:
    return f"{settings.PUBLIC_BASE_URL}{path}"
