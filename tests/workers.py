"""Real Redis servers and Celery workers for the fault tests, started and stopped by them.

Each test starts its own `redis-server` on a free loopback port (never the shared one)
and its own worker processes, in their own process groups so that a SIGKILL takes a
worker with its pool children, exactly as when a machine loses one.
"""

from __future__ import annotations

import contextlib
import os
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path

import redis
from django.db import connection

ROOT = Path(__file__).resolve().parent.parent
REDIS_SERVER = "/usr/bin/redis-server"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


class RedisServer:
    """A throwaway redis-server: no persistence, loopback only."""

    def __init__(self, port: int | None = None):
        self.port = port or free_port()
        self.process: subprocess.Popen | None = None

    def url(self, db: int = 0) -> str:
        return f"redis://127.0.0.1:{self.port}/{db}"

    def start(self) -> RedisServer:
        self.process = subprocess.Popen(  # noqa: S603
            [
                REDIS_SERVER,
                "--port", str(self.port),
                "--bind", "127.0.0.1",
                "--save", "",
                "--appendonly", "no",
                "--protected-mode", "yes",
            ],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )  # fmt: skip
        client = redis.Redis(host="127.0.0.1", port=self.port, socket_connect_timeout=0.2)
        deadline = time.monotonic() + 10
        while time.monotonic() < deadline:
            with contextlib.suppress(redis.exceptions.ConnectionError):
                if client.ping():
                    return self
            time.sleep(0.05)
        raise RuntimeError("redis-server did not start")

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            self.process.kill()
            self.process.wait(timeout=10)

    def queue_length(self, queue: str) -> int:
        return redis.Redis(host="127.0.0.1", port=self.port).llen(queue)


def worker_database_name() -> str:
    """The database pytest-django made for this run, which the workers must use."""
    return str(connection.settings_dict["NAME"])


class Worker:
    """`celery worker` in its own process group, with tests/worker_settings.py."""

    def __init__(
        self,
        *,
        name,
        queues,
        redis_server,
        fake_twilio,
        log_dir,
        concurrency=2,
        env=None,
        pool="prefork",
    ):
        self.name, self.queues, self.concurrency, self.pool = name, queues, concurrency, pool
        self.log_path = Path(log_dir) / f"worker-{name}.log"
        self.env = {
            **os.environ,
            "DJANGO_SETTINGS_MODULE": "tests.worker_settings",
            "DEFENSA_WORKER_BROKER_URL": redis_server.url(0),
            "DEFENSA_WORKER_CACHE_URL": redis_server.url(1),
            "DEFENSA_WORKER_DATABASE_NAME": worker_database_name(),
            "DEFENSA_WORKER_TWILIO_URL": fake_twilio.url,
            "PYTHONPATH": str(ROOT),
            **(env or {}),
        }
        self.process: subprocess.Popen | None = None
        self.starts = 0

    def start(self, timeout: float = 30) -> Worker:
        self.starts += 1
        log = self.log_path.open("a")
        self.process = subprocess.Popen(  # noqa: S603
            [
                sys.executable, "-m", "celery", "-A", "config", "worker",
                "-Q", self.queues,
                "-c", str(self.concurrency),
                "-P", self.pool,
                "-n", f"{self.name}-{self.starts}@%h",
                "--without-gossip", "--without-mingle", "--without-heartbeat",
                "-l", "INFO",
            ],
            cwd=ROOT,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )  # fmt: skip
        log.close()
        deadline = time.monotonic() + timeout
        marker = f"{self.name}-{self.starts}@"
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"worker {self.name} exited:\n{self.log()[-3000:]}")
            text = self.log()
            if marker in text and " ready." in text.split(marker, 1)[-1]:
                return self
            time.sleep(0.1)
        raise RuntimeError(f"worker {self.name} not ready:\n{self.log()[-3000:]}")

    def log(self) -> str:
        return self.log_path.read_text() if self.log_path.exists() else ""

    def kill(self) -> None:
        """SIGKILL the worker and its pool children at once: no goodbye, no acks."""
        if self.process and self.process.poll() is None:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait(timeout=10)

    def stop(self) -> None:
        if self.process and self.process.poll() is None:
            # SIGTERM to the main process only: a warm shutdown lets the pool finish
            # the tasks it is running.
            with contextlib.suppress(ProcessLookupError):
                os.kill(self.process.pid, signal.SIGTERM)
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.kill()
        # Pool children left behind by a worker that died are still in its group.
        if self.process:
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)


@contextlib.contextmanager
def publishing_to(broker_url: str):
    """The test process hands tasks to `broker_url` (not in-process) while inside."""
    from config.celery import app

    saved = {"broker_url": app.conf.broker_url, "task_always_eager": app.conf.task_always_eager}

    def reset_pools():
        # kombu keeps connection and producer pools in a registry keyed by broker
        # URL; closing one leaves a closed pool there for the next user. Reset all.
        from kombu import pools

        pools.reset()
        app._pool = None
        with contextlib.suppress(AttributeError, KeyError):
            app.__dict__["amqp"]._producer_pool = None

    reset_pools()
    app.conf.broker_url = broker_url
    app.conf.task_always_eager = False
    try:
        yield
    finally:
        reset_pools()
        app.conf.broker_url = saved["broker_url"]
        app.conf.task_always_eager = saved["task_always_eager"]


def wait_for(condition, *, timeout: float, interval: float = 0.2, every=None):
    """Poll `condition()` until true (then return it) or fail after `timeout` seconds.

    `every()` runs at each poll (the tests use it as the periodic outbox sweep).
    """
    deadline = time.monotonic() + timeout
    while True:
        if every is not None:
            every()
        result = condition()
        if result:
            return result
        if time.monotonic() > deadline:
            raise AssertionError(f"not reached within {timeout}s")
        time.sleep(interval)
