"""Pace non-urgent SMS to what the sender can carry (NOTIFICATIONS_SMS_PER_SECOND).

Twilio accepts far more requests than a long code can send, and queues the rest per
sender, first in, first out. Handing it 5,000 reminders at once would put the next
raid alert behind all of them in *Twilio's* queue, whatever our own queues do. So
reminders and group messages are handed over no faster than the sender sends, across
all workers (a counter per time window in the shared cache); alerts are never paced.
"""

from __future__ import annotations

import logging
import math
import time

from django.conf import settings
from django.core.cache import cache

logger = logging.getLogger("notifications")

KEY = "notifications:sms-pace:{}"


def acquire(*, wait: float = 2.0) -> bool:
    """Take one sending slot, waiting up to `wait` seconds for one. False if none came.

    If the cache is unreachable, sending goes on unpaced: Twilio's 429s are handled
    by the retries, and a message must not wait on the cache.
    """
    rate = settings.NOTIFICATIONS_SMS_PER_SECOND
    if rate <= 0:
        return True
    window = max(1.0, 1.0 / rate)
    capacity = max(1, math.floor(rate * window))
    deadline = time.monotonic() + wait
    while True:
        now = time.time()
        slot = int(now // window)
        key = KEY.format(slot)
        try:
            cache.add(key, 0, timeout=int(window * 2) + 1)
            taken = cache.incr(key)
        except Exception as error:
            logger.warning("pacing unavailable (%s); sending unpaced", type(error).__name__)
            return True
        if taken <= capacity:
            return True
        next_window = (slot + 1) * window - now
        if time.monotonic() + next_window > deadline:
            return False
        time.sleep(next_window + 0.001)
