"""A person's own registration page, by signed link (`lib.links`): no login needed."""

from __future__ import annotations

from lib import links

SALT = "trainings.registration-link"
URL_NAME, KWARG = "trainings_public:registration", "registration_token"


def registration_token(registration) -> str:
    return links.token_for(registration.pk, salt=SALT)


def registration_id_from_token(token: str) -> int | None:
    """The registration id a token was made for, or None if it was not made by us."""
    return links.id_from_token(token, salt=SALT)


def registration_url(registration) -> str:
    return links.signed_url(URL_NAME, KWARG, registration.pk, salt=SALT)


def registration_urls(registrations) -> dict[int, str]:
    """`registration_url` of many registrations, by id: the URL is reversed once."""
    return links.signed_urls(URL_NAME, KWARG, [r.pk for r in registrations], salt=SALT)
