"""The shape every SMS backend has, like django.core.mail.backends.base."""

from __future__ import annotations

import enum
from dataclasses import dataclass


@dataclass(frozen=True)
class Sms:
    message_id: int
    to: str  # E.164
    body: str
    status_callback: str | None = None
    validity_period: int | None = None  # seconds; urgent alerts only


class Outcome(enum.StrEnum):
    SENT = "sent"  # accepted by the provider
    RETRY = "retry"  # not accepted (429, 5xx before acceptance, connection refused): try later
    FAILED = "failed"  # permanent: bad number, not a mobile, ...: never retry
    OPTED_OUT = "opted_out"  # the recipient unsubscribed at the carrier (Twilio 21610)
    UNKNOWN = "unknown"  # the request left but no answer came back: reconcile, never resend


@dataclass(frozen=True)
class SendResult:
    outcome: Outcome
    provider_id: str | None = None
    error_code: str = ""
    retry_after: float | None = None  # seconds, when the provider said


class BaseSmsBackend:
    def send(self, sms: Sms) -> SendResult:
        raise NotImplementedError("an SMS backend must implement send()")
