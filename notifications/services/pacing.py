"""Pace non-urgent SMS to what the sender can carry (NOTIFICATIONS_SMS_PER_SECOND).

Twilio accepts far more requests than a long code can send, and queues the rest per
sender, first in, first out. Handing it 5,000 reminders at once would put the next
raid alert behind all of them in *Twilio's* queue, whatever our own queues do. So
reminders and group messages are handed over no faster than the sender sends, across
all workers; alerts are paced too, but ahead of everything else (below).

Each send reserves the next free slot on one shared timeline, spaced 1/rate apart
(a leaky bucket, kept in Redis by a small script so that every worker sees the same
clock): sends come out evenly at the rate, never in a burst above it, and a worker
sleeps only until its own slot. Without Redis (laptop defaults) the timeline is kept
in this process.

Alerts go first: urgent sends have their own timeline at the same rate, never behind a
reminder's slot, and each urgent slot also pushes the shared timeline past itself; while
urgent sends are going (until HOLD seconds after the last urgent slot) no reminder gets
a slot. A zone's alert to thousands therefore goes out at the full rate with the
backlog of reminders waiting behind it, and a single alert goes at once (the few
reminder slots already granted, one per worker process, may overlap it: a throttled
attempt is retried within a quarter second).
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

# Reminders stand back this long after the last urgent slot (the gap between two
# sends of one alert is far shorter; after the alert, the backlog resumes).
HOLD = 1.0

# KEYS[1]: when the next slot is free (seconds, Redis clock); KEYS[2]: when the next
# urgent slot is. ARGV: interval, max wait, urgent (1 or 0), hold. An urgent send takes
# the next urgent slot, whatever its distance, and pushes the shared timeline past it;
# any other takes the next slot only if it comes within the max wait and no urgent slot
# is due within the hold. Returns the wait (or -1), the wait (to the slot, or to the
# end of the hold), and the slot's time on the timeline.
RESERVE = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) + tonumber(clock[2]) / 1000000
local interval, max_wait = tonumber(ARGV[1]), tonumber(ARGV[2])
local hold = tonumber(ARGV[4])
local free = tonumber(redis.call('GET', KEYS[1]) or '0')
local urgent = tonumber(redis.call('GET', KEYS[2]) or '0')
if ARGV[3] == '1' then
  if urgent < now then urgent = now end
  local after = urgent + interval
  local keep = math.ceil((after - now + hold) * 1000) + 60000
  redis.call('SET', KEYS[2], string.format('%.6f', after), 'PX', keep)
  if free < after then redis.call('SET', KEYS[1], string.format('%.6f', after), 'PX', keep) end
  local wait = urgent - now
  return {tostring(wait), tostring(wait), string.format('%.6f', urgent)}
end
if free < now then free = now end
local wait = free - now
local at = string.format('%.6f', free)
if urgent + hold > now then return {'-1', tostring(urgent + hold - now), at} end
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
_local_urgent = 0.0


def _reserve_local(interval: float, max_wait: float, urgent: bool = False) -> Slot:
    global _local_free, _local_urgent
    with _local_lock:
        now = time.monotonic()
        if urgent:
            at = max(_local_urgent, now)
            _local_urgent = at + interval
            _local_free = max(_local_free, _local_urgent)
            return Slot(True, at - now, at)
        free = max(_local_free, now)
        wait = free - now
        if _local_urgent and _local_urgent + HOLD > now:
            return Slot(False, _local_urgent + HOLD - now, free)
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


def _reserve_script(client, keys: list[str], args: list[str]):
    """RESERVE by EVALSHA (the script is loaded once per server), not sent every time."""
    global _script
    if _script is None:
        _script = client.register_script(RESERVE)
    return _script(keys=keys, args=args, client=client)


def reserve(*, max_wait: float = 2.0, urgent: bool = False) -> Slot:
    """Reserve the next sending slot if it comes within `max_wait` seconds and no urgent
    send holds the timeline; an urgent send always gets the next urgent slot."""
    rate = settings.NOTIFICATIONS_SMS_PER_SECOND
    if rate <= 0:
        return Slot(True, 0.0)
    interval = 1.0 / rate
    client = _redis()
    if client is None:
        return _reserve_local(interval, max_wait, urgent)
    key = cache.make_and_validate_key(KEY)
    held = cache.make_and_validate_key(KEY + ":urgent")
    # EVALSHA of the script (loaded once per server), not the script every time.
    granted, wait, at = _reserve_script(
        client, [key, held], [repr(interval), repr(max_wait), "1" if urgent else "0", repr(HOLD)]
    )
    return Slot(float(granted) >= 0, float(wait), float(at))


def acquire(*, wait: float = 2.0, urgent: bool = False) -> Slot:
    """Take one sending slot and sleep until it; a refused Slot if none is free soon.

    While urgent sends hold the timeline, a reminder waits for the hold to end (up to
    `wait` seconds in all) rather than going back to the queue at once.
    If the cache is unreachable, sending goes on unpaced: Twilio's 429s are handled
    by the retries, and a message must not wait on the cache.
    """
    deadline = time.monotonic() + wait
    while True:
        try:
            slot = reserve(max_wait=max(0.0, deadline - time.monotonic()), urgent=urgent)
        except Exception as error:
            logger.warning("pacing unavailable (%s); sending unpaced", type(error).__name__)
            return Slot(True, 0.0)
        if slot.granted:
            if slot.wait > 0:
                time.sleep(slot.wait)
            return slot
        if time.monotonic() + slot.wait >= deadline:
            return slot
        time.sleep(slot.wait)
