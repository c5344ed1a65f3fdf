"""Pacing: sends reserve evenly spaced slots at the configured rate, shared by all workers."""

import threading
import time
import uuid

import pytest
from django.conf import settings
from django.test import override_settings

from notifications.services import pacing

RATE = 50.0  # slots 20 ms apart


@pytest.fixture(params=["redis", "process"])
def timeline(request, monkeypatch):
    """Each test gets its own timeline: in Redis (as in production) and in-process."""
    if request.param == "redis":
        if not settings.REDIS_URL:
            pytest.skip("needs REDIS_URL (CI sets it)")
        assert pacing._redis() is not None
        monkeypatch.setattr(pacing, "KEY", f"test-pace-{uuid.uuid4().hex}")
    else:
        monkeypatch.setattr(pacing, "_redis", lambda: None)
        monkeypatch.setattr(pacing, "_local_free", 0.0)
        monkeypatch.setattr(pacing, "_local_urgent", 0.0)
    with override_settings(NOTIFICATIONS_SMS_PER_SECOND=RATE):
        yield request.param


def test_slots_from_many_workers_are_spaced_at_the_rate_never_closer(timeline):
    """The timeline itself is checked (each slot's time), not when threads happened to
    run: on a loaded machine a thread may wait long for the CPU, never for a closer slot."""
    slots, lock = [], threading.Lock()

    def worker():
        for _ in range(10):
            slot = pacing.reserve(max_wait=60.0)
            assert slot.granted
            with lock:
                slots.append(slot.at)

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    slots.sort()
    interval = 1 / RATE
    # 60 distinct slots, no two closer than one interval: never above the rate, no burst.
    assert len(slots) == 60
    assert min(b - a for a, b in zip(slots, slots[1:], strict=False)) >= interval - 1e-3
    assert slots[-1] - slots[0] >= 59 * interval - 1e-3


def test_a_slot_too_far_away_is_refused_and_not_taken(timeline):
    # One slot every 10 seconds and a 25-second limit: slots at +0, +10 and +20 s are
    # granted and the rest refused, however slowly these calls run (under 5 s for all).
    with override_settings(NOTIFICATIONS_SMS_PER_SECOND=0.1):
        slots = [pacing.reserve(max_wait=25.0) for _ in range(8)]
        granted = [slot for slot in slots if slot.granted]
        refused = [slot for slot in slots if not slot.granted]
        assert len(granted) == 3 and slots[:3] == granted
        assert all(slot.wait > 25.0 for slot in refused)
        # A refusal takes nothing: the next slot is right after the last one granted.
        later = pacing.reserve(max_wait=60.0)
        assert later.granted
        assert later.at == pytest.approx(granted[-1].at + 10.0, abs=1e-3)


def test_alerts_go_ahead_of_reminders_and_reminders_wait_while_they_go(timeline):
    """An urgent slot never waits behind reminders' slots; once alerts are going, no
    reminder gets a slot until the hold after the last urgent one, and then only after
    every urgent slot. Slots are checked on the timeline, not by how threads ran."""
    with override_settings(NOTIFICATIONS_SMS_PER_SECOND=1.0):  # slots 1 s apart
        reminders = [pacing.reserve(max_wait=60.0) for _ in range(5)]  # at +0 .. +4 s
        assert all(slot.granted for slot in reminders)
        alerts = [pacing.reserve(urgent=True) for _ in range(3)]
        assert all(slot.granted for slot in alerts)
        # The first alert goes now, not after the five reminders.
        assert alerts[0].wait < 0.5 and alerts[0].at < reminders[1].at
        assert [b.at - a.at for a, b in zip(alerts, alerts[1:], strict=False)] == [
            pytest.approx(1.0, abs=1e-3)
        ] * 2
        refused = pacing.reserve(max_wait=60.0)
        assert not refused.granted
        # Told to come back when the hold after the last alert ends.
        assert refused.wait == pytest.approx(
            alerts[-1].at + 1.0 + pacing.HOLD - reminders[0].at, abs=0.5
        )


def test_acquire_sleeps_until_its_slot(timeline):
    # A lower bound only: a loaded machine makes it slower, never faster.
    started = time.monotonic()
    for _ in range(11):
        assert pacing.acquire(wait=60.0).granted
    assert time.monotonic() - started >= 10 / RATE - 0.01


def test_no_rate_means_no_pacing():
    with override_settings(NOTIFICATIONS_SMS_PER_SECOND=0):
        assert all(pacing.reserve(max_wait=0).granted for _ in range(100))


def test_an_unreachable_cache_does_not_hold_messages_back(monkeypatch):
    def broken(**kwargs):
        raise ConnectionError("redis is down")

    monkeypatch.setattr(pacing, "reserve", broken)
    with override_settings(NOTIFICATIONS_SMS_PER_SECOND=RATE):
        assert pacing.acquire().granted
