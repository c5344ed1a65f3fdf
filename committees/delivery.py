"""How an invitation leaves the app, without the base importing the notifications part.

The notifications part registers the one sender at start-up (its AppConfig.ready). The
committees services call `send()` inside their transaction, so the outbox rows are
written with the invitation; the invitations page asks `statuses()` what became of them.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Protocol

from django.core.exceptions import ImproperlyConfigured


@dataclass(frozen=True)
class Delivery:
    channel: str  # "sms" or "email"
    status: str  # the outbox status ("queued", "sent", "delivered", "failed", "skipped", ...)
    label: str  # the status, translated
    reason: str = ""  # why it was skipped or failed, translated


class InvitationSender(Protocol):
    def send(self, *, invitation, link: str, channels: list[str]) -> None: ...

    def statuses(self, invitations) -> dict[int, list[Delivery]]: ...


_sender: InvitationSender | None = None


def register(sender: InvitationSender) -> None:
    global _sender
    _sender = sender


def _get() -> InvitationSender:
    if _sender is None:
        raise ImproperlyConfigured("no invitation sender registered (is notifications installed?)")
    return _sender


def send(*, invitation, link: str, channels: list[str]) -> None:
    _get().send(invitation=invitation, link=link, channels=channels)


def statuses(invitations) -> dict[int, list[Delivery]]:
    return _get().statuses(invitations)
