"""Start the servers a benchmark run needs, on loopback, and stop them afterwards."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PYTHON = sys.executable
PG_ADMIN_URL = os.environ.get("BENCH_PG_URL", "postgres://postgres@127.0.0.1:5432")
BENCH_DB = os.environ.get("BENCH_DB", "defensa_bench")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        with contextlib.suppress(OSError), socket.create_connection(("127.0.0.1", port), 0.5):
            return
        time.sleep(0.1)
    raise RuntimeError(f"nothing listens on port {port} after {timeout}s")


def scratch_database() -> str:
    """Drop and create the scratch database on the local PostgreSQL; return its URL."""
    import psycopg2

    admin = psycopg2.connect(f"{PG_ADMIN_URL}/postgres")
    admin.autocommit = True
    with admin.cursor() as cursor:
        cursor.execute(f'DROP DATABASE IF EXISTS "{BENCH_DB}" WITH (FORCE)')
        cursor.execute(f'CREATE DATABASE "{BENCH_DB}"')
    admin.close()
    return f"{PG_ADMIN_URL}/{BENCH_DB}"


@contextlib.contextmanager
def redis_server():
    """A private redis-server (nothing on disk), so the bench never touches a shared one."""
    port = free_port()
    workdir = tempfile.mkdtemp(prefix="bench-redis-")
    process = subprocess.Popen(
        [
            "redis-server",
            "--port",
            str(port),
            "--bind",
            "127.0.0.1",
            "--save",
            "",
            "--appendonly",
            "no",
            "--dir",
            workdir,
        ],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        wait_for_port(port)
        yield f"redis://127.0.0.1:{port}/0"
    finally:
        process.terminate()
        process.wait(10)
        shutil.rmtree(workdir, ignore_errors=True)


def _spawn(args, env, log_name):
    log = open(ROOT / "bench" / "results" / f"{log_name}.log", "w")  # noqa: SIM115
    return subprocess.Popen(
        args, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
    )


def _stop(process, timeout=15):
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait(5)


@contextlib.contextmanager
def gunicorn(env: dict, workers: int | None = None):
    """gunicorn with the production settings, workers = 2 x cores + 1."""
    workers = workers or 2 * os.cpu_count() + 1
    port = free_port()
    process = _spawn(
        [
            PYTHON,
            "-m",
            "gunicorn",
            "config.wsgi:application",
            "--bind",
            f"127.0.0.1:{port}",
            "--workers",
            str(workers),
            "--log-level",
            "warning",
        ],
        env,
        "gunicorn",
    )
    try:
        wait_for_port(port)
        base = f"http://127.0.0.1:{port}"
        deadline = time.monotonic() + 30
        while True:  # every worker importing Django takes a moment
            try:
                urllib.request.urlopen(base + "/healthz/", timeout=2)
                break
            except OSError:
                if time.monotonic() > deadline:
                    raise
                time.sleep(0.2)
        yield base, workers
    finally:
        _stop(process)


@contextlib.contextmanager
def celery_worker(env: dict, queues: str, name: str, concurrency: int = 2, pool: str = ""):
    process = _spawn(
        [
            PYTHON,
            "-m",
            "celery",
            "-A",
            "config",
            "worker",
            "-Q",
            queues,
            "-n",
            f"{name}@bench",
            "-c",
            str(concurrency),
            "--without-gossip",
            "--without-mingle",
            "--without-heartbeat",
            "-l",
            "WARNING",
            *(["-P", pool] if pool else []),
        ],
        env,
        f"celery-{name}",
    )
    try:
        time.sleep(2.0)  # the worker connects to Redis and starts consuming
        if process.poll() is not None:
            raise RuntimeError(f"celery worker {name} exited; see bench/results/celery-{name}.log")
        yield process
    finally:
        _stop(process)
