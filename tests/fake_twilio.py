"""A fake Twilio Messages API on loopback, for the real `twilio` client to talk to.

The app is pointed at it with TWILIO_API_BASE_URL, so everything up to the HTTP
request is the production code path. It speaks enough of the 2010-04-01 API:

* POST /2010-04-01/Accounts/{sid}/Messages.json           create (201, or an error)
* GET  /2010-04-01/Accounts/{sid}/Messages/{MessageSid}.json   fetch
* GET  /2010-04-01/Accounts/{sid}/Messages.json?To=...      list, newest first

and it can be told to misbehave: a rate limit (token bucket, 429 above it), scripted
faults per recipient or for the next requests (429, 500, 503, 21610, 21211, 21614,
"timeout" = accept the message but answer too late, "drop" = accept and hang up), and
signed status callbacks POSTed to each message's StatusCallback URL.

It counts: every create request per recipient (`attempts`) and every message it
accepted (`accepted`), which is what "delivered exactly once" is measured by.
"""

from __future__ import annotations

import base64
import collections
import json
import threading
import time
import uuid
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlencode, urlsplit
from urllib.request import Request, urlopen

from twilio.request_validator import RequestValidator

ERRORS = {
    "429": (429, 20429, "Too Many Requests"),
    "500": (500, 20500, "Internal Server Error"),
    "503": (503, 20503, "Service Unavailable"),
    "21610": (400, 21610, "Attempt to send to unsubscribed recipient"),
    "21211": (400, 21211, "The 'To' number is not a valid phone number."),
    "21614": (400, 21614, "'To' number is not a valid mobile number"),
}


@dataclass
class FakeMessage:
    sid: str
    to: str
    from_: str
    body: str
    messaging_service_sid: str
    status_callback: str
    validity_period: str
    created: datetime
    status: str = "queued"
    error_code: int | None = None
    accepted_at: float = field(default_factory=time.monotonic)

    def resource(self, account_sid: str) -> dict:
        return {
            "sid": self.sid,
            "account_sid": account_sid,
            "api_version": "2010-04-01",
            "body": self.body,
            "date_created": format_datetime(self.created, usegmt=True),
            "date_updated": format_datetime(self.created, usegmt=True),
            "date_sent": None,
            "direction": "outbound-api",
            "error_code": self.error_code,
            "error_message": None,
            "from": self.from_ or None,
            "messaging_service_sid": self.messaging_service_sid or None,
            "num_media": "0",
            "num_segments": "1",
            "price": None,
            "price_unit": "USD",
            "status": self.status,
            "subresource_uris": {},
            "to": self.to,
            "uri": f"/2010-04-01/Accounts/{account_sid}/Messages/{self.sid}.json",
        }


class FakeTwilio:
    def __init__(
        self,
        *,
        account_sid: str,
        auth_token: str,
        rate: float | None = None,
        burst: float | None = None,
        latency: float = 0.0,
        hang: float = 2.0,
        callbacks: tuple[str, ...] = (),
        callback_base_url: str | None = None,
    ):
        self.account_sid = account_sid
        self.auth_token = auth_token
        self.latency = latency  # seconds between accepting a message and answering
        self.hang = hang  # how late a "timeout" fault answers
        self.callbacks = callbacks  # statuses to report by callback, e.g. ("sent", "delivered")
        self.callback_base_url = callback_base_url  # rewrite the callback host (tests)
        self.rate, self.burst = rate, burst or rate
        self._tokens = self.burst or 0.0
        self._refilled = time.monotonic()
        self.lock = threading.Lock()
        self.messages: list[FakeMessage] = []
        self.attempts: collections.Counter = collections.Counter()
        self.accepted: collections.Counter = collections.Counter()
        self.rejected: collections.Counter = collections.Counter()
        self.requests: list[tuple[str, str]] = []
        self._faults_for: dict[str, collections.deque] = collections.defaultdict(collections.deque)
        self._faults_next: collections.deque = collections.deque()
        self.callback_errors: list[str] = []
        self._server: ThreadingHTTPServer | None = None
        self._callback_threads: list[threading.Thread] = []

    # --- control -----------------------------------------------------------------------

    @property
    def url(self) -> str:
        host, port = self._server.server_address[:2]
        return f"http://{host}:{port}"

    def start(self) -> FakeTwilio:
        fake = self

        class Handler(_Handler):
            twilio = fake

        self._server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self._server.daemon_threads = True
        threading.Thread(target=self._server.serve_forever, daemon=True).start()
        return self

    def stop(self) -> None:
        if self._server is not None:
            self._server.shutdown()
            self._server.server_close()
        for thread in self._callback_threads:
            thread.join(timeout=5)

    def fail(self, fault: str, *, to: str | None = None, times: int = 1) -> None:
        """Answer the next `times` create requests (to `to`, or any) with `fault`."""
        with self.lock:
            queue = self._faults_for[to] if to else self._faults_next
            queue.extend([fault] * times)

    def set_rate(self, rate: float | None, burst: float | None = None) -> None:
        with self.lock:
            self.rate, self.burst = rate, burst or rate
            self._tokens, self._refilled = self.burst or 0.0, time.monotonic()

    def accepted_to(self, number: str) -> int:
        with self.lock:
            return self.accepted[number]

    def attempts_to(self, number: str) -> int:
        with self.lock:
            return self.attempts[number]

    def total_accepted(self) -> int:
        with self.lock:
            return sum(self.accepted.values())

    def messages_to(self, number: str) -> list[FakeMessage]:
        with self.lock:
            return [m for m in self.messages if m.to == number]

    def first_accepted_at(self, number: str) -> float | None:
        with self.lock:
            times = [m.accepted_at for m in self.messages if m.to == number]
        return min(times) if times else None

    def send_status_callback(self, message: FakeMessage, status: str, error_code=None) -> int:
        """POST a signed status callback for `message`, as Twilio does. Returns the HTTP status."""
        url = message.status_callback
        if self.callback_base_url:
            parts = urlsplit(url)
            url = (
                self.callback_base_url.rstrip("/")
                + parts.path
                + (f"?{parts.query}" if parts.query else "")
            )
        params = {
            "MessageSid": message.sid,
            "SmsSid": message.sid,
            "MessageStatus": status,
            "SmsStatus": status,
            "AccountSid": self.account_sid,
            "To": message.to,
            "From": message.from_ or "",
            "ApiVersion": "2010-04-01",
        }
        if error_code:
            params["ErrorCode"] = str(error_code)
        return post_signed(url, params, self.auth_token)

    # --- request handling ----------------------------------------------------------------

    def _take_token(self) -> bool:
        if not self.rate:
            return True
        now = time.monotonic()
        self._tokens = min(self.burst, self._tokens + (now - self._refilled) * self.rate)
        self._refilled = now
        if self._tokens >= 1:
            self._tokens -= 1
            return True
        return False

    def _next_fault(self, to: str) -> str | None:
        if self._faults_for[to]:
            return self._faults_for[to].popleft()
        if self._faults_next:
            return self._faults_next.popleft()
        return None

    def create(self, form: dict) -> tuple[int, dict, str | None]:
        """Returns (HTTP status, JSON body, fault applied)."""
        to = form.get("To", "")
        with self.lock:
            self.attempts[to] += 1
            if not self._take_token():
                self.rejected[to] += 1
                return _error(*ERRORS["429"]), "429"
            fault = self._next_fault(to)
            if fault in ERRORS:
                self.rejected[to] += 1
                return _error(*ERRORS[fault]), fault
            message = FakeMessage(
                sid="SM" + uuid.uuid4().hex,
                to=to,
                from_=form.get("From", ""),
                body=form.get("Body", ""),
                messaging_service_sid=form.get("MessagingServiceSid", ""),
                status_callback=form.get("StatusCallback", ""),
                validity_period=form.get("ValidityPeriod", ""),
                created=datetime.now(UTC).replace(microsecond=0),
                status="accepted" if form.get("MessagingServiceSid") else "queued",
            )
            self.messages.append(message)
            self.accepted[to] += 1
        if self.callbacks and message.status_callback:
            thread = threading.Thread(target=self._report, args=(message,), daemon=True)
            self._callback_threads.append(thread)
            thread.start()
        return (201, message.resource(self.account_sid)), fault

    def _report(self, message: FakeMessage) -> None:
        for status in self.callbacks:
            time.sleep(0.05)
            message.status = status
            try:
                self.send_status_callback(message, status)
            except Exception as error:  # the test asserts on this list
                self.callback_errors.append(f"{type(error).__name__}: {error}")

    def fetch(self, sid: str):
        with self.lock:
            for message in self.messages:
                if message.sid == sid:
                    return 200, message.resource(self.account_sid)
        return _error(404, 20404, "The requested resource was not found")

    def list(self, query: dict) -> tuple[int, dict]:
        to = query.get("To", [""])[0]
        size = int(query.get("PageSize", ["50"])[0])
        with self.lock:
            found = [m for m in reversed(self.messages) if not to or m.to == to][:size]
            records = [m.resource(self.account_sid) for m in found]
        base = f"/2010-04-01/Accounts/{self.account_sid}/Messages.json"
        return 200, {
            "messages": records,
            "end": max(0, len(records) - 1),
            "first_page_uri": base,
            "next_page_uri": None,
            "page": 0,
            "page_size": size,
            "previous_page_uri": None,
            "start": 0,
            "uri": base,
        }


def _error(status: int, code: int, message: str) -> tuple[int, dict]:
    return status, {
        "code": code,
        "message": message,
        "more_info": f"https://www.twilio.com/docs/errors/{code}",
        "status": status,
    }


def post_signed(url: str, params: dict, auth_token: str, *, timeout: float = 10) -> int:
    signature = RequestValidator(auth_token).compute_signature(url, params)
    request = Request(
        url,
        data=urlencode(params).encode(),
        headers={
            "X-Twilio-Signature": signature,
            "Content-Type": "application/x-www-form-urlencoded",
        },
        method="POST",
    )
    with urlopen(request, timeout=timeout) as response:  # noqa: S310 (loopback only)
        return response.status


class _Handler(BaseHTTPRequestHandler):
    twilio: FakeTwilio
    protocol_version = "HTTP/1.1"
    # Headers and body go out as two writes; without this, Nagle plus the client's delayed
    # ACK holds every answer back ~40 ms, which a real Twilio (one TLS record) does not.
    disable_nagle_algorithm = True

    def log_message(self, *args):
        pass

    def _authorised(self) -> bool:
        header = self.headers.get("Authorization", "")
        expected = base64.b64encode(
            f"{self.twilio.account_sid}:{self.twilio.auth_token}".encode()
        ).decode()
        return header == f"Basic {expected}"

    def _send(self, status: int, payload: dict) -> None:
        body = json.dumps(payload).encode()
        try:
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)
        except (BrokenPipeError, ConnectionResetError):
            pass  # the client gave up (a timeout test): Twilio would not notice either

    def _messages_path(self) -> str:
        return f"/2010-04-01/Accounts/{self.twilio.account_sid}/Messages"

    def do_POST(self):
        path = urlsplit(self.path).path
        length = int(self.headers.get("Content-Length", 0))
        raw = self.rfile.read(length)
        if len(raw) < length:
            # The sender died mid-request (a killed worker: headers out, body not): Twilio
            # never sees a whole request, so it creates nothing.
            self.close_connection = True
            return None
        form = {k: v[0] for k, v in parse_qs(raw.decode()).items()}
        with self.twilio.lock:
            self.twilio.requests.append(("POST", path))
        if not self._authorised():
            return self._send(*_error(401, 20003, "Authenticate"))
        if path != self._messages_path() + ".json":
            return self._send(*_error(404, 20404, "Not found"))
        (status, payload), fault = self.twilio.create(form)
        if fault == "timeout":
            time.sleep(self.twilio.hang)
        elif fault == "drop":
            self.close_connection = True
            self.connection.shutdown(2)
            return None
        elif status == 201 and self.twilio.latency:
            time.sleep(self.twilio.latency)
        return self._send(status, payload)

    def do_GET(self):
        parts = urlsplit(self.path)
        with self.twilio.lock:
            self.twilio.requests.append(("GET", parts.path))
        if not self._authorised():
            return self._send(*_error(401, 20003, "Authenticate"))
        base = self._messages_path()
        if parts.path == base + ".json":
            return self._send(*self.twilio.list(parse_qs(parts.query)))
        if parts.path.startswith(base + "/") and parts.path.endswith(".json"):
            sid = parts.path[len(base) + 1 : -len(".json")]
            return self._send(*self.twilio.fetch(sid))
        return self._send(*_error(404, 20404, "Not found"))
