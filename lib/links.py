"""Links that work without a login (a person's own page, by signed token), and absolute URLs.

A token is an object's id and a truncated HMAC of it, short enough for an SMS. It says
nothing about the person; without SECRET_KEY it cannot be forged. Each kind of link has
its own salt, so a token made for one kind of object opens nothing else.
"""

from __future__ import annotations

import base64
import hmac
import re

from django.conf import settings
from django.urls import reverse
from django.utils.crypto import salted_hmac

# Ids are 64-bit at most: 16 hex digits. Anything longer is not ours (and a huge number
# would be slow, or refused outright, to turn into text).
TOKEN_ID = re.compile(r"[0-9a-f]{1,16}")


def _signature(salt: str, object_id: int, secret: str | None = None) -> str:
    digest = salted_hmac(salt, str(object_id), secret=secret, algorithm="sha256").digest()
    return base64.urlsafe_b64encode(digest[:12]).decode().rstrip("=")


def token_for(object_id: int, *, salt: str) -> str:
    return f"{object_id:x}-{_signature(salt, object_id)}"


def id_from_token(token: str, *, salt: str) -> int | None:
    """The id a token was made for with this salt, or None if it was not made by us."""
    head, _sep, signature = token.partition("-")
    if not TOKEN_ID.fullmatch(head):
        return None
    object_id = int(head, 16)
    if object_id <= 0:
        return None
    # Links already sent by SMS keep working while an old SECRET_KEY sits in
    # SECRET_KEY_FALLBACKS (a rotation). Compared as bytes: a non-ASCII signature
    # ("1-é") is simply not ours.
    given = signature.encode("utf-8", "surrogatepass")
    for secret in [settings.SECRET_KEY, *settings.SECRET_KEY_FALLBACKS]:
        if hmac.compare_digest(given, _signature(salt, object_id, secret).encode()):
            return object_id
    return None


def absolute(path: str) -> str:
    return f"{settings.PUBLIC_BASE_URL}{path}"


def signed_url(url_name: str, kwarg: str, object_id: int, *, salt: str) -> str:
    """The absolute URL of `url_name` with `kwarg` set to the object's signed token."""
    return absolute(reverse(url_name, kwargs={kwarg: token_for(object_id, salt=salt)}))


def signed_urls(url_name: str, kwarg: str, object_ids, *, salt: str) -> dict[int, str]:
    """`signed_url` of many objects, by id: the URL is reversed once."""
    path = reverse(url_name, kwargs={kwarg: "TOKEN"})
    before, after = path.split("TOKEN")
    return {
        pk: f"{settings.PUBLIC_BASE_URL}{before}{token_for(pk, salt=salt)}{after}"
        for pk in object_ids
    }
