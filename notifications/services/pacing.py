"""Pace non-urgent SMS to what the sender can carry (NOTIFICATIONS_SMS_PER_SECOND).

Twilio accepts far more requests than a long code can send, and queues the rest per
sender, first in, first out. Handing it 5,000 reminders at once would put the next
raid alert behind all of them in *Twilio's* queue, whatever our own queues do. So
reminders and group messages are handed over no faster than the sender sends, across
all workers; alerts are never paced.

Each send reserves the next free slot on one shared timeline, spaced 1/rate apart
(a leaky bucket, kept in Redis by a small script so that every worker sees the same
clock): sends come out evenly at the rate, never in a burst above it, and a worker
sleeps only until its own slot. Without Redis (laptop defaults) the timeline is kept
in this process.
"""

from __future__ import annotations

import logging
import threading
import time
from dataclasses import dataclass

from django.conf import settings
from django.core.cache import cache, caches
from django.core.cache.backends.redis import RedisCache

logger = logging.getLogger("notifications")

KEY = "notifications:sms-pace"

# KEYS[1]: when the next slot is free (seconds, Redis clock). ARGV: interval, max wait.
# Takes the slot only if it comes within the max wait; returns the wait (or -1), the
# wait, and the slot's time on the timeline.
RESERVE = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local interval, max_wait = tonumber(ARGV[1]), tonumber(ARGV[2])
local free = tonumber(redis.call('GET', KEYS[1]) or '0')
if free < now then free = now end
local wait = free - now
local at = string.format('%.6f', free)
if wait > max_wait then return {'-1', tostring(wait), at} end
local keep = math.ceil((wait + interval) * 1000) + 60000
redis.call('SET', KEYS[1], string.format('%.6f', free + interval), 'PX', keep)
return {tostring(wait), tostring(wait), at}
"""


@dataclass(frozen=True)
class Slot:
    granted: bool
    wait: float  # seconds until the slot (granted) or until one would be free (refused)
    # The slot's time on the shared timeline (Redis clock, or this process's monotonic
    # clock): slots granted one after another are exactly one interval apart.
    at: float = 0.0


_local_lock = threading.Lock()
_local_free = 0.0


def _reserve_local(interval: float, max_wait: float) -> Slot:
    global _local_free
    with _local_lock:
        now = time.monotonic()
        free = max(_local_free, now)
        wait = free - now
        if wait > max_wait:
            return Slot(False, wait, free)
        _local_free = free + interval
        return Slot(True, wait, free)


_clients = threading.local()


def _redis():
    """The raw client behind the default cache, if it is Redis: made once per thread
    (the cache, per thread too, makes a new one with its response callbacks at every
    call)."""
    default = caches["default"]
    if not isinstance(default, RedisCache):
        return None
    pool = default._cache._get_connection_pool(write=True)
    client = getattr(_clients, "client", None)
    if client is None or client.connection_pool is not pool:
        client = _clients.client = default._cache.get_client(KEY, write=True)
    return client


_script = None


def _reserve_script(client, key: str, interval: float, max_wait: float):
    """RESERVE by EVALSHA (the script is loaded once per server), not sent every time."""
    global _script
    if _script is None:
        _script = client.register_script(RESERVE)
    return _script(keys=[key], args=[repr(interval), repr(max_wait)], client=client)


def reserve(*, max_wait: float = 2.0) -> Slot:
    """Reserve the next sending slot if it comes within `max_wait` seconds."""
    rate = settings.NOTIFICATIONS_SMS_PER_SECOND
    if rate <= 0:
        return Slot(True, 0.0)
    interval = 1.0 / rate
    client = _redis()
    if client is None:
        return _reserve_local(interval, max_wait)
    key = cache.make_and_validate_key(KEY)
    # EVALSHA of the script (loaded once per connection pool), not the script every time.
    granted, wait, at = _reserve_script(client, key, interval, max_wait)
    return Slot(float(granted) >= 0, float(wait), float(at))


def acquire(*, wait: float = 2.0) -> Slot:
    """Take one sending slot and sleep until it; a refused Slot if none is free soon.

    If the cache is unreachable, sending goes on unpaced: Twilio's 429s are handled
    by the retries, and a message must not wait on the cache.
    """
    try:
        slot = reserve(max_wait=wait)
    except Exception as error:
        logger.warning("pacing unavailable (%s); sending unpaced", type(error).__name__)
        return Slot(True, 0.0)
    if slot.granted and slot.wait > 0:
        time.sleep(slot.wait)
    return slot
