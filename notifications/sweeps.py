"""The periodic sweeps, run without Celery beat: on a laptop and by hand.

In production Celery beat runs every entry of `CELERY_BEAT_SCHEDULE` (reminders,
seat-offer expiry, the outbox sweep, ...). A laptop under `make run` has no Redis and no
beat, so nothing would ever send a reminder: with `SWEEPS_IN_PROCESS` (on in local
settings) `runserver` starts a small daemon thread that runs the same entries on the
same schedule, inside the web process. `manage.py sweep` runs any of them by hand.

The sweeps take no arguments and are safe to run twice or late, which is what makes a
best-effort in-process loop acceptable.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass
from datetime import timedelta

from django.conf import settings
from django.db import close_old_connections, connections
from django.utils.module_loading import import_string

logger = logging.getLogger("notifications.sweeps")


@dataclass(frozen=True)
class Sweep:
    name: str
    task: str
    every: float  # seconds

    def run(self) -> None:
        # The task object itself, called directly: it runs here, in this thread.
        import_string(self.task)()


def sweeps() -> list[Sweep]:
    """Every periodic entry of the Celery beat schedule that runs at a fixed interval."""
    found = []
    for name, entry in settings.CELERY_BEAT_SCHEDULE.items():
        schedule = entry["schedule"]
        if isinstance(schedule, timedelta):
            every = schedule.total_seconds()
        elif isinstance(schedule, int | float):
            every = float(schedule)
        else:  # a celery schedule object (crontab, ...): its interval, if it has one
            every = getattr(getattr(schedule, "run_every", None), "total_seconds", lambda: 0)()
        if every > 0:
            found.append(Sweep(name=name, task=entry["task"], every=every))
    return found


def sweep_run(sweep: Sweep) -> bool:
    """Run one sweep; a failure is logged (never raised): the next round tries again."""
    try:
        sweep.run()
    except Exception:
        logger.exception("sweep %s failed", sweep.name)
        return False
    return True


class SweepLoop(threading.Thread):
    """Runs each sweep at once, then again every time its interval has passed."""

    def __init__(self, *, tick: float = 1.0, first_delay: float = 0.0):
        super().__init__(name="defensa-sweeps", daemon=True)
        self.tick = tick
        self.first_delay = first_delay
        self.stopping = threading.Event()
        self.rounds = 0
        self._due: dict[str, float] = {}

    def run_due(self, now: float | None = None) -> list[str]:
        """One round: run every sweep that is due; returns their names."""
        now = time.monotonic() if now is None else now
        ran = []
        for sweep in sweeps():
            if self._due.get(sweep.name, 0.0) <= now:
                sweep_run(sweep)
                if threading.current_thread() is self:  # the loop thread: drop a broken one
                    close_old_connections()
                self._due[sweep.name] = now + sweep.every
                ran.append(sweep.name)
        self.rounds += 1
        return ran

    def run(self) -> None:
        if self.stopping.wait(self.first_delay):
            return
        try:
            while not self.stopping.is_set():
                self.run_due()
                self.stopping.wait(self.tick)
        finally:
            connections.close_all()

    def stop(self) -> None:
        self.stopping.set()


_loop: SweepLoop | None = None
_lock = threading.Lock()


def start(**kwargs) -> SweepLoop:
    """Start the in-process loop once per process (later calls return the same one)."""
    global _loop
    with _lock:
        if _loop is None or not _loop.is_alive():
            _loop = SweepLoop(**kwargs)
            _loop.start()
            logger.info("periodic sweeps running in this process (no Celery beat)")
        return _loop


def start_with_runserver(sender=None, **kwargs) -> None:
    """`autoreload_started` receiver: runserver's serving process starts the loop.

    The signal fires in the child that serves requests, not in the parent that watches
    files, so the loop runs once, and again after each reload.
    """
    if not settings.SWEEPS_IN_PROCESS:
        return
    # A few seconds' grace: the server finishes its checks and starts listening first.
    start(first_delay=settings.SWEEPS_FIRST_DELAY)


def install(argv: list[str]) -> None:
    """Called from AppConfig.ready(): hook the loop to runserver when settings ask for it."""
    if not settings.SWEEPS_IN_PROCESS:
        return
    from django.utils.autoreload import autoreload_started

    autoreload_started.connect(start_with_runserver, dispatch_uid="defensa-sweeps")
    if len(argv) > 1 and argv[1] == "runserver" and "--noreload" in argv:
        # No reloader, no signal: this process is the server.
        start(first_delay=settings.SWEEPS_FIRST_DELAY)
