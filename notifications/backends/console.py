import sys
import threading

from .base import BaseSmsBackend, Outcome, SendResult, Sms


class ConsoleSmsBackend(BaseSmsBackend):
    """Print each SMS to stdout: a laptop's stand-in for Twilio."""

    _lock = threading.Lock()

    def send(self, sms: Sms) -> SendResult:
        with self._lock:
            sys.stdout.write(
                f"----- SMS #{sms.message_id} to {sms.to} -----\n{sms.body}\n{'-' * 40}\n"
            )
            sys.stdout.flush()
        return SendResult(outcome=Outcome.SENT, provider_id=f"console-{sms.message_id}")
