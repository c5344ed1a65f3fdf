"""The test suite. DATABASE_URL and REDIS_URL, when set, point at real services."""

from .base import *  # noqa: F403
from .base import env

DEBUG = False
PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Tests run tasks in-process unless a test starts a real worker itself.
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=True)
SMS_BACKEND = "locmem"
EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
}
# allauth's login rate limits would trip over the many logins a test run makes.
ACCOUNT_RATE_LIMITS = False
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = True
# Test runs sharing one Redis (several checkouts on a machine) must not share cache
# keys; the test process and the workers it starts share the database name.
if "redis" in CACHES["default"]["BACKEND"]:  # noqa: F405
    CACHES["default"]["KEY_PREFIX"] = "test-" + str(DATABASES["default"]["NAME"])  # noqa: F405
# No pacing in tests (a test that measures pacing sets it).
NOTIFICATIONS_SMS_PER_SECOND = 0
# The status callback URL and webhook signatures are computed against this.
PUBLIC_BASE_URL = "https://defensa.example.org"
TWILIO_ACCOUNT_SID = "AC" + "0" * 32
TWILIO_AUTH_TOKEN = "test-auth-token"
TWILIO_MESSAGING_SERVICE_SID = "MG" + "0" * 32
# Tests choose per test whether Twilio answers keywords itself.
SMS_PROVIDER_ANSWERED_KEYWORDS: list[str] = []

if DATABASES["default"]["ENGINE"].endswith("sqlite3"):  # noqa: F405
    _sqlite = DATABASES["default"]  # noqa: F405
    # A file, not memory: the Celery workers that the fault tests start (separate
    # processes) must see the test database. WAL and a busy timeout let them write
    # while the test process reads.
    _sqlite["TEST"] = {"NAME": str(BASE_DIR / "test-db.sqlite3")}  # noqa: F405
    _sqlite["OPTIONS"] = {
        "timeout": 30,
        "init_command": "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;",
        "transaction_mode": "IMMEDIATE",
    }
