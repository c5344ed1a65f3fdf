"""Keeps every SMS in `outbox`, like django.core.mail.backends.locmem: for tests."""

import threading

from django.utils import timezone

from .base import BaseSmsBackend, ProviderMessage, SendOutcome, SendResult, Sms

# Like django.core.mail.outbox: tests read and clear this list.
outbox: list[Sms] = []
_sent_at: dict[int, object] = {}
_lock = threading.Lock()


class LocmemSmsBackend(BaseSmsBackend):
    def send(self, sms: Sms) -> SendResult:
        with _lock:
            outbox.append(sms)
            _sent_at[id(sms)] = timezone.now()
        return SendResult(outcome=SendOutcome.SENT, provider_id=f"locmem-{sms.message_id}")

    def sent_to(self, *, to, since):
        with _lock:
            found = [
                ProviderMessage(
                    provider_id=f"locmem-{sms.message_id}",
                    body=sms.body,
                    created_at=_sent_at.get(id(sms)),
                    status="sent",
                )
                for sms in outbox
                if sms.to == to
            ]
        return [m for m in reversed(found) if m.created_at is None or m.created_at >= since]
