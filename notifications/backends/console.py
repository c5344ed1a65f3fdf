import sys
import threading

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from .base import BaseSmsBackend, SendOutcome, SendResult, Sms


class ConsoleSmsBackend(BaseSmsBackend):
    """Print each SMS to stdout: a laptop's stand-in for Twilio.

    It prints phone numbers and message bodies, so it refuses to run without DEBUG
    (production.py refuses it outright).
    """

    _lock = threading.Lock()

    def __init__(self):
        if not settings.DEBUG:
            raise ImproperlyConfigured("the console SMS backend is for a laptop (DEBUG) only")

    def send(self, sms: Sms) -> SendResult:
        with self._lock:
            sys.stdout.write(
                f"----- SMS #{sms.message_id} to {sms.to} -----\n{sms.body}\n{'-' * 40}\n"
            )
            sys.stdout.flush()
        return SendResult(outcome=SendOutcome.SENT, provider_id=f"console-{sms.message_id}")

    def sent_to(self, *, to, since):
        # A console cannot be asked what it printed; printing a message twice on a
        # laptop harms no one, so an unanswered send is simply tried again.
        return []
