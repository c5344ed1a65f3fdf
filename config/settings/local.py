"""A laptop: SQLite, tasks in-process, SMS and email to the console, DEBUG on."""

from .base import *  # noqa: F403
from .base import REDIS_URL, env

DEBUG = env.bool("DEBUG", default=True)
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
# SMS printed to the console (phone numbers and bodies included): a laptop only.
SMS_BACKEND = env("SMS_BACKEND", default="console")
# Tasks run in-process on a laptop: pacing would make a page wait for every text.
NOTIFICATIONS_SMS_PER_SECOND = env.float("NOTIFICATIONS_SMS_PER_SECOND", default=0)
# No Redis, no beat: runserver runs the periodic sweeps (reminders, seat offers, the
# outbox) in a background thread, so a laptop sees reminders go out.
SWEEPS_IN_PROCESS = env.bool("SWEEPS_IN_PROCESS", default=not REDIS_URL)
