"""Settings for the Celery workers the fault tests start as separate processes.

The test settings, plus: a real broker (the test's own redis-server), the test
database pytest-django created, and the Twilio backend pointed at the fake Twilio.
"""

import os

from config.settings.test import *  # noqa: F403
from config.settings.test import DATABASES

CELERY_TASK_ALWAYS_EAGER = False
CELERY_BROKER_URL = os.environ["DEFENSA_WORKER_BROKER_URL"]
CACHES = {
    "default": {
        "BACKEND": "django.core.cache.backends.redis.RedisCache",
        "LOCATION": os.environ["DEFENSA_WORKER_CACHE_URL"],
        "KEY_PREFIX": "defensa",
    }
}
DATABASES["default"]["NAME"] = os.environ["DEFENSA_WORKER_DATABASE_NAME"]
SMS_BACKEND = "twilio"
TWILIO_API_BASE_URL = os.environ["DEFENSA_WORKER_TWILIO_URL"]
TWILIO_CONNECT_TIMEOUT = 1.0
TWILIO_READ_TIMEOUT = float(os.environ.get("DEFENSA_WORKER_TWILIO_READ_TIMEOUT", "2"))
NOTIFICATIONS_SMS_PER_SECOND = float(os.environ.get("DEFENSA_WORKER_SMS_PER_SECOND", "0"))
