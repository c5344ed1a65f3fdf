"""Twilio, through the official client, with every failure sorted into what to do next.

* accepted (201)                                    -> SENT, with Twilio's message SID
* 429, 500, 503, connection refused, connect timeout -> RETRY: the request never created
  a message, so sending again later cannot double it
* 21610 (the recipient texted STOP to us at the carrier) -> OPTED_OUT, never retried
* 21211, 21614 (not a valid number, not a mobile)    -> BAD_NUMBER, never retried
* other 4xx                                          -> FAILED, never retried
* read timeout, connection dropped mid-request, 502/504 -> UNKNOWN: Twilio may have
  created the message. The outbox reconciles (status callback, or a lookup with
  `sent_to`) and never blindly sends again.

`TWILIO_API_BASE_URL` points the client elsewhere (the test suite's fake Twilio, or a
regional edge).
"""

from __future__ import annotations

import functools
import logging
import os
import threading
import urllib.request
from datetime import datetime

import requests
from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from twilio.base.exceptions import TwilioException, TwilioRestException
from twilio.http.http_client import TwilioHttpClient
from twilio.rest import Client
from urllib3.exceptions import ConnectTimeoutError, NewConnectionError

from .base import BaseSmsBackend, LookupFailed, ProviderMessage, SendOutcome, SendResult, Sms

logger = logging.getLogger(__name__)

RETRY_STATUSES = {429, 500, 503}
BAD_NUMBER_CODES = {21211, 21614}
OPTED_OUT_CODES = {21610}
# Credentials or sender misconfigured: fixable by the deployer, so worth retrying for a
# while rather than failing every message at once.
CONFIGURATION_STATUSES = {401, 403}


class _QuietHttpClient(TwilioHttpClient):
    """The stock client logs query strings (the `To` number of a lookup) at INFO."""

    def __init__(self, connect_timeout: float, read_timeout: float):
        super().__init__(timeout=None, max_retries=None)
        # requests takes (connect, read); TwilioHttpClient's own check wants a number.
        self.timeout = (connect_timeout, read_timeout)
        # One pooled keep-alive connection, reused by every send (the stock client keeps
        # a Session). Without a proxy in the environment, what requests would read from
        # the environment on every send (a third of the client's own time per message
        # here) is read once: the CA bundle, if one is set.
        if self.session is not None and not urllib.request.getproxies():
            self.session.trust_env = False
            bundle = os.environ.get("REQUESTS_CA_BUNDLE") or os.environ.get("CURL_CA_BUNDLE")
            if bundle:
                self.session.verify = bundle

    def log_request(self, kwargs):
        pass

    def log_response(self, status_code, response):
        pass


class _PerThread:
    """`functools.lru_cache` kept per thread: a worker running sends in threads (`-P
    threads`) gives each thread its own client, HTTP session and kept-alive connection
    (a Session shared by threads is not thread-safe, and its pool would hold fewer
    connections than there are threads). `cache_clear()` forgets every thread's."""

    def __init__(self, make):
        self.make, self.local, self.generation = make, threading.local(), 0
        functools.update_wrapper(self, make)

    def __call__(self, *args):
        cached = getattr(self.local, "cached", None)
        if cached is None or cached[0] != self.generation:
            cached = self.local.cached = (self.generation, {})
        clients = cached[1]
        if args not in clients:
            clients[args] = self.make(*args)
        return clients[args]

    def cache_clear(self):
        self.generation += 1


@_PerThread
def _client(
    account_sid: str, auth_token: str, base_url: str, connect: float, read: float
) -> Client:
    # One client (and one pooled HTTPS session) per thread and configuration.
    client = Client(
        account_sid, auth_token, http_client=_QuietHttpClient(connect, read), environment={}
    )
    client.api.base_url = base_url
    return client


def _never_left(error: requests.exceptions.RequestException) -> bool:
    """True when the request certainly did not reach Twilio (no connection was made)."""
    if isinstance(error, requests.exceptions.ConnectTimeout):
        return True
    if not isinstance(error, requests.exceptions.ConnectionError):
        return False
    reason = error.args[0] if error.args else None
    reason = getattr(reason, "reason", reason)  # urllib3's MaxRetryError wraps the cause
    return isinstance(reason, NewConnectionError | ConnectTimeoutError)


class TwilioSmsBackend(BaseSmsBackend):
    def __init__(self):
        if not (settings.TWILIO_ACCOUNT_SID and settings.TWILIO_AUTH_TOKEN):
            raise ImproperlyConfigured("TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN must be set")
        if not (settings.TWILIO_MESSAGING_SERVICE_SID or settings.TWILIO_FROM_NUMBER):
            raise ImproperlyConfigured(
                "set TWILIO_MESSAGING_SERVICE_SID (recommended) or TWILIO_FROM_NUMBER"
            )
        self.client = _client(
            settings.TWILIO_ACCOUNT_SID,
            settings.TWILIO_AUTH_TOKEN,
            settings.TWILIO_API_BASE_URL,
            settings.TWILIO_CONNECT_TIMEOUT,
            settings.TWILIO_READ_TIMEOUT,
        )

    def _sender(self, sms: Sms) -> dict:
        sender = {}
        if settings.TWILIO_MESSAGING_SERVICE_SID:
            sender["messaging_service_sid"] = settings.TWILIO_MESSAGING_SERVICE_SID
        # The committee's own number, so that replies come back to it (with a Messaging
        # Service it must be in the service's sender pool).
        from_number = sms.from_number or settings.TWILIO_FROM_NUMBER
        if from_number:
            sender["from_"] = from_number
        return sender

    def send(self, sms: Sms) -> SendResult:
        params = {"to": sms.to, "body": sms.body, **self._sender(sms)}
        if sms.status_callback:
            params["status_callback"] = sms.status_callback
        if sms.validity_period:
            params["validity_period"] = max(5, min(36000, int(sms.validity_period)))
        try:
            created = self.client.messages.create(**params)
        except TwilioRestException as error:
            return self._refused(sms, error)
        except requests.exceptions.RequestException as error:
            if _never_left(error):
                logger.warning("sms %s: Twilio unreachable; will retry", sms.message_id)
                return SendResult(outcome=SendOutcome.RETRY, error_code="unreachable")
            logger.warning(
                "sms %s: no answer from Twilio (%s); to be reconciled",
                sms.message_id,
                type(error).__name__,
            )
            return SendResult(outcome=SendOutcome.UNKNOWN, error_code="timeout")
        return SendResult(outcome=SendOutcome.SENT, provider_id=created.sid)

    def _refused(self, sms: Sms, error: TwilioRestException) -> SendResult:
        code = error.code if isinstance(error.code, int) else None
        label = str(code or error.status)
        if code in OPTED_OUT_CODES:
            return SendResult(outcome=SendOutcome.OPTED_OUT, error_code=label)
        if code in BAD_NUMBER_CODES:
            return SendResult(outcome=SendOutcome.BAD_NUMBER, error_code=label)
        if error.status in RETRY_STATUSES:
            logger.warning("sms %s: Twilio answered %s; will retry", sms.message_id, label)
            return SendResult(outcome=SendOutcome.RETRY, error_code=label)
        if error.status in CONFIGURATION_STATUSES:
            logger.error(
                "sms %s: Twilio refused our credentials or sender (%s); check TWILIO_*",
                sms.message_id,
                label,
            )
            return SendResult(outcome=SendOutcome.RETRY, error_code=label)
        if error.status >= 500:
            # 502/504: a gateway gave up, Twilio itself may have created the message.
            return SendResult(outcome=SendOutcome.UNKNOWN, error_code=label)
        logger.warning("sms %s: refused by Twilio (%s)", sms.message_id, label)
        return SendResult(outcome=SendOutcome.FAILED, error_code=label)

    def sent_to(self, *, to: str, since: datetime) -> list[ProviderMessage]:
        """Twilio's messages to `to` created since `since` (the newest 50 at most).

        Filtered on our side by creation time: Twilio's DateSent filter has a day's
        precision and ignores messages still queued at Twilio.
        """
        try:
            records = self.client.messages.list(to=to, limit=50, page_size=50)
        except (TwilioException, requests.exceptions.RequestException) as error:
            raise LookupFailed(type(error).__name__) from None
        found = []
        for record in records:
            if record.date_created is not None and record.date_created < since:
                continue
            if record.direction and not str(record.direction).startswith("outbound"):
                continue
            found.append(
                ProviderMessage(
                    provider_id=record.sid,
                    body=record.body or "",
                    created_at=record.date_created,
                    status=str(record.status or ""),
                    error_code=str(record.error_code or ""),
                )
            )
        return found
