"""Throughput and latency of pages under load (wrk), and their query counts."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

LUA = Path(__file__).with_name("report.lua")


def ensure_wrk() -> str:
    """wrk from Debian's packages, installed by the bench itself when missing."""
    path = shutil.which("wrk")
    if path:
        return path
    subprocess.run(
        ["apt-get", "install", "-y", "-qq", "wrk"],
        check=False,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    path = shutil.which("wrk")
    if not path:
        subprocess.run(["apt-get", "update", "-qq"], check=False, stdout=subprocess.DEVNULL)
        subprocess.run(
            ["apt-get", "install", "-y", "-qq", "wrk"], check=True, stdout=subprocess.DEVNULL
        )
        path = shutil.which("wrk")
    return path


def load(
    url: str, *, cookie: str | None, seconds: int, connections: int = 8, body: str | None = None
) -> dict:
    """Hit `url` for `seconds` with `connections` keep-alive connections; POST `body`
    (form-encoded) when given."""
    args = [
        ensure_wrk(),
        "-t2",
        f"-c{connections}",
        f"-d{seconds}s",
        "--timeout",
        "10s",
        "-s",
        str(LUA),
        url,
    ]
    if cookie:
        args[1:1] = ["-H", f"Cookie: {cookie}"]
    env = {**os.environ, "WRK_BODY": body or ""}
    result = subprocess.run(args, capture_output=True, text=True, check=True, env=env)
    line = [ln for ln in result.stdout.splitlines() if ln.startswith("{")][-1]
    figures = json.loads(line)
    if "Non-2xx or 3xx responses" in result.stdout:
        figures["errors"] = figures.get("errors", 0) or -1
    return figures


def form_post(base: str, path: str, cookie: str, data: dict) -> tuple[str, str]:
    """(cookie, body) to POST `data` to `path` as the page's own form does: the CSRF
    token from the page (GET) and its cookie beside the session's."""
    import re
    import urllib.request
    from urllib.parse import urlencode

    request = urllib.request.Request(base + path, headers={"Cookie": cookie})
    with urllib.request.urlopen(request, timeout=30) as response:
        page = response.read().decode()
        set_cookies = response.headers.get_all("Set-Cookie") or []
    token = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', page).group(1)
    csrf = [c.split(";", 1)[0] for c in set_cookies if c.startswith("csrftoken=")]
    return "; ".join([cookie, *csrf]), urlencode({"csrfmiddlewaretoken": token, **data})


def query_count(client, path: str, data: dict | None = None) -> int:
    """Queries one request makes (in-process Django test client, same database); a POST
    of `data` when given."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def fetch():
        return client.post(path, data) if data is not None else client.get(path)

    fetch()  # warm caches (sessions, content types) like a running server has
    with CaptureQueriesContext(connection) as captured:
        response = fetch()
    assert response.status_code == 200, (path, response.status_code)
    return len(captured.captured_queries)


def wsgi_query_count(application, path: str, cookie: str) -> int:
    """Queries one GET of `path` makes through a WSGI `application` (in-process)."""
    from wsgiref.util import setup_testing_defaults

    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def fetch():
        environ = {"PATH_INFO": path, "HTTP_HOST": "127.0.0.1", "HTTP_COOKIE": cookie}
        setup_testing_defaults(environ)
        statuses = []
        body = application(environ, lambda status, headers, exc_info=None: statuses.append(status))
        b"".join(body)
        body.close()
        return statuses[0]

    fetch()
    with CaptureQueriesContext(connection) as captured:
        status = fetch()
    assert status.startswith("200"), (path, status)
    return len(captured.captured_queries)
