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
    with override_settings(NOTIFICATIONS_SMS_PER_SECOND=RATE):
        yield request.param


def test_slots_from_many_workers_are_spaced_at_the_rate_never_closer(timeline):
    slots, lock = [], threading.Lock()

    def worker():
        for _ in range(10):
            asked = time.monotonic()
            slot = pacing.reserve(max_wait=10.0)
            assert slot.granted
            with lock:
                slots.append(asked + slot.wait)

    threads = [threading.Thread(target=worker) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    slots.sort()
    interval = 1 / RATE
    # 60 slots cover at least 59 intervals: never more than RATE per second on average...
    assert slots[-1] - slots[0] >= 59 * interval - 0.05
    # ...and no burst: any 11 consecutive slots span at least 10 intervals.
    assert min(b - a for a, b in zip(slots, slots[10:], strict=False)) >= 10 * interval - 0.05


def test_a_slot_too_far_away_is_refused_and_not_taken(timeline):
    granted = [pacing.reserve(max_wait=0.1) for _ in range(20)]
    # Slots 0..5 are within 100 ms (0, 20, ..., 100 ms); later ones are refused.
    assert 5 <= sum(slot.granted for slot in granted) <= 7
    refused = [slot for slot in granted if not slot.granted]
    assert all(slot.wait > 0.1 for slot in refused)
    # A refusal takes nothing: the next free slot is still right after the granted ones.
    later = pacing.reserve(max_wait=10.0)
    assert later.granted and later.wait < 0.2


def test_acquire_sleeps_until_its_slot(timeline):
    started = time.monotonic()
    for _ in range(11):
        assert pacing.acquire(wait=5.0).granted
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
