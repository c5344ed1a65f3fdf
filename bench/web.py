"""Throughput and latency of pages under load (wrk), and their query counts."""

from __future__ import annotations

import json
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


def load(url: str, *, cookie: str | None, seconds: int, connections: int = 8) -> dict:
    """Hit `url` for `seconds` with `connections` keep-alive connections."""
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
    result = subprocess.run(args, capture_output=True, text=True, check=True)
    line = [ln for ln in result.stdout.splitlines() if ln.startswith("{")][-1]
    figures = json.loads(line)
    if "Non-2xx or 3xx responses" in result.stdout:
        figures["errors"] = figures.get("errors", 0) or -1
    return figures


def query_count(client, path: str) -> int:
    """Queries one request makes (in-process Django test client, same database)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.get(path)  # warm caches (sessions, content types) like a running server has
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    return len(captured.captured_queries)
