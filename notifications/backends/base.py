"""The shape every SMS backend has, like django.core.mail.backends.base."""

from __future__ import annotations

import enum
from dataclasses import dataclass
from datetime import datetime


@dataclass(frozen=True)
class Sms:
    message_id: int
    to: str  # E.164
    body: str
    from_number: str = ""  # the committee's number, when it has one
    status_callback: str | None = None
    validity_period: int | None = None  # seconds; urgent alerts only

    def __repr__(self):  # never the number or the text, even in a traceback
        return f"Sms(message_id={self.message_id})"


class SendOutcome(enum.StrEnum):
    SENT = "sent"  # accepted by the provider
    RETRY = "retry"  # not accepted (429, 5xx before acceptance, connection refused): try later
    FAILED = "failed"  # permanent (the message itself was refused): never retry
    BAD_NUMBER = "bad_number"  # permanent: not a valid mobile number; flag it, never retry
    OPTED_OUT = "opted_out"  # the recipient unsubscribed at the carrier (Twilio 21610)
    UNKNOWN = "unknown"  # the request left but no answer came back: reconcile, never resend


@dataclass(frozen=True)
class SendResult:
    outcome: SendOutcome
    provider_id: str | None = None
    error_code: str = ""
    retry_after: float | None = None  # seconds, when the provider said


@dataclass(frozen=True)
class ProviderMessage:
    """A message as the provider knows it, found when reconciling an unanswered send."""

    provider_id: str
    body: str
    created_at: datetime | None
    status: str  # the provider's own word: queued, sent, delivered, failed...
    error_code: str = ""

    def __repr__(self):
        return f"ProviderMessage(provider_id={self.provider_id!r}, status={self.status!r})"


class LookupUnsupported(Exception):
    """The backend cannot tell whether a message it may have sent exists."""


class BaseSmsBackend:
    def send(self, sms: Sms) -> SendResult:
        raise NotImplementedError("an SMS backend must implement send()")

    def sent_to(self, *, to: str, since: datetime) -> list[ProviderMessage]:
        """Messages the provider holds for `to`, created at or after `since`, newest first.

        Used to settle sends whose answer was lost: if the message is there it was
        sent; if not, it is safe to send it again.
        """
        raise LookupUnsupported(type(self).__name__)


class LookupFailed(Exception):
    """The provider could not be asked right now (down, rate-limited): try again later."""
