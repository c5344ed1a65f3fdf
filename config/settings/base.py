"""Settings shared by every environment.

Everything that differs between a laptop and production comes from environment
variables (django-environ). With none set, the app runs on embedded defaults:
SQLite, Celery tasks executed in-process, SMS and email printed to the console.
"""

from pathlib import Path

import environ
from django.utils.translation import gettext_lazy as _

# production.py imports published_keys_in_use from here.
from lib.keys import PUBLISHED_DEFAULT_KEYS, published_keys_in_use  # noqa: F401

BASE_DIR = Path(__file__).resolve().parent.parent.parent

env = environ.Env()
if (BASE_DIR / ".env").exists():
    environ.Env.read_env(BASE_DIR / ".env")

# The keys a laptop runs with. They are published in this repository, so production.py
# refuses to start with any of them (and `check --deploy` says so: committees.checks).

SECRET_KEY = env("SECRET_KEY", default=PUBLISHED_DEFAULT_KEYS["SECRET_KEY"])
SECRET_KEY_FALLBACKS = env.list("SECRET_KEY_FALLBACKS", default=[])
DEBUG = env.bool("DEBUG", default=False)
ALLOWED_HOSTS = env.list("ALLOWED_HOSTS", default=["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env.list("CSRF_TRUSTED_ORIGINS", default=[])
# The address people reach the app at (links in SMS and email, Twilio webhook URLs).
PUBLIC_BASE_URL = env("PUBLIC_BASE_URL", default="http://127.0.0.1:8000").rstrip("/")

INSTALLED_APPS = [
    "django.contrib.admin",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "whitenoise.runserver_nostatic",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "django_celery_beat",
    "django_filters",
    "django_htmx",
    "phonenumber_field",
    "auditlog",
    "csp",
    "committees",
    "members",
    "notifications",
    "trainings",
    "coalition",
    "pgtrigger",
    "bond_fund",
    "rapid_response",
    "legal_aid",
]

MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Gzip for visitors who are not signed in only (BREACH: see lib/compression.py).
    "lib.compression.AnonymousHtmlGZipMiddleware",
    "committees.middleware.NoStoreMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.locale.LocaleMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
    "django.contrib.auth.middleware.LoginRequiredMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "committees.middleware.IdleSessionTimeoutMiddleware",
    "committees.middleware.UserLanguageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "committees.middleware.ConstantCSPMiddleware",
    "django_htmx.middleware.HtmxMiddleware",
    "committees.middleware.AuditlogWithoutEmailMiddleware",
    "committees.middleware.ViewerMiddleware",
    "committees.middleware.MfaRequiredMiddleware",
]

ROOT_URLCONF = "config.urls"
WSGI_APPLICATION = "config.wsgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.template.context_processors.i18n",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "committees.context_processors.viewer",
            ],
        },
    },
    {
        # SMS and email bodies are plain text: no HTML escaping ("&" must stay "&").
        # Only notifications.rendering asks for this engine by name.
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        "NAME": "text",
        "DIRS": [BASE_DIR / "templates"],
        "APP_DIRS": False,
        "OPTIONS": {"autoescape": False},
    },
]
# Inputs, labels and empty error lists without a template render each (same markup).
FORM_RENDERER = "lib.form_renderer.FastTemplatesRenderer"

# --- Data stores -------------------------------------------------------------
DATABASES = {"default": env.db("DATABASE_URL", default=f"sqlite:///{BASE_DIR / 'db.sqlite3'}")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"

REDIS_URL = env("REDIS_URL", default="")


def _redis_next_db(url: str) -> str:
    """The same Redis server, the database after REDIS_URL's (0 → 1, 4 → 5)."""
    from urllib.parse import urlsplit, urlunsplit

    parts = urlsplit(url)
    queue_db = int(parts.path.strip("/") or 0)
    return urlunsplit(parts._replace(path=f"/{(queue_db + 1) % 16}"))


# The cache lives in its own Redis database (the one after the queue's), so that clearing
# it can never touch the Celery queue, and two deployments (or test runs) given different
# REDIS_URL databases never clear each other's cache.
REDIS_CACHE_URL = env("REDIS_CACHE_URL", default=_redis_next_db(REDIS_URL) if REDIS_URL else "")
if REDIS_URL:
    CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_CACHE_URL,
            "KEY_PREFIX": "defensa",
            "TIMEOUT": 300,
        }
    }
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}

# --- Sessions ----------------------------------------------------------------
# Sessions live in the database so that suspending a member can end them at once
# (see members.User.get_session_auth_hash). A stolen laptop left open logs out
# after SESSION_IDLE_TIMEOUT seconds without activity; no session lives longer
# than SESSION_COOKIE_AGE.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
SESSION_COOKIE_AGE = env.int("SESSION_COOKIE_AGE", default=12 * 60 * 60)
SESSION_IDLE_TIMEOUT = env.int("SESSION_IDLE_TIMEOUT", default=30 * 60)
SESSION_EXPIRE_AT_BROWSER_CLOSE = True
SESSION_COOKIE_HTTPONLY = True
SESSION_COOKIE_SAMESITE = "Lax"

# --- Accounts: django-allauth, invite-only, MFA for staff roles ---------------
AUTH_USER_MODEL = "members.User"
AUTHENTICATION_BACKENDS = [
    "django.contrib.auth.backends.ModelBackend",
    "committees.backends.VerifiedEmailAuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {
        "NAME": "django.contrib.auth.password_validation.MinimumLengthValidator",
        "OPTIONS": {"min_length": 10},
    },
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "dashboard"
ACCOUNT_LOGOUT_REDIRECT_URL = "account_login"
ACCOUNT_ADAPTER = "committees.adapters.InvitationOnlyAccountAdapter"
ACCOUNT_FORMS = {"signup": "committees.forms.InvitationSignupForm"}
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
# The invitation link proves the address: a coordinator chose it and the link is single-use.
ACCOUNT_EMAIL_VERIFICATION = "none"
ACCOUNT_SESSION_REMEMBER = False
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = True
ACCOUNT_LOGIN_ON_PASSWORD_RESET = False
ACCOUNT_PREVENT_ENUMERATION = True
# A password reset for an address with no account sends nothing (the page reads the
# same): otherwise the form mails "unknown account" notices to any address typed.
ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = False
ACCOUNT_REAUTHENTICATION_TIMEOUT = 5 * 60
# Failed sign-ins (committees.adapters): "login_failed" counts per client address and,
# per address and account together ("key"); "login_failed_account" counts per account
# from anywhere and never stops a correct password on an account with a second factor.
ACCOUNT_RATE_LIMITS = {
    "login_failed": "10/m/ip,5/5m/key",
    "login_failed_account": "20/h/key",
}
ACCOUNT_DEFAULT_HTTP_PROTOCOL = "https" if PUBLIC_BASE_URL.startswith("https") else "http"
# Behind a proxy, the visitor's address is the proxy's unless we trust X-Forwarded-For
# from this many proxies: rate limits (sign-in, public trainings form) count per visitor.
ALLAUTH_TRUSTED_PROXY_COUNT = env.int("TRUSTED_PROXY_COUNT", default=0)
# Public training sign-ups from one address per hour (a room on one Wi-Fi counts once).
TRAININGS_SIGNUPS_PER_IP_PER_HOUR = env.int("TRAININGS_SIGNUPS_PER_IP_PER_HOUR", default=60)
# Public sign-ups one training accepts per hour, from everyone together (or its capacity,
# when larger).
TRAININGS_SIGNUPS_PER_TRAINING_PER_HOUR = env.int(
    "TRAININGS_SIGNUPS_PER_TRAINING_PER_HOUR", default=20
)
MFA_ADAPTER = "committees.adapters.EncryptingMFAAdapter"
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes", "webauthn"]
MFA_TOTP_ISSUER = "Defensa"
MFA_PASSKEY_LOGIN_ENABLED = False
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = DEBUG

# --- Internationalization ------------------------------------------------------
LANGUAGE_CODE = "en"
LANGUAGES = [("en", _("English")), ("es", _("Spanish"))]
LOCALE_PATHS = [BASE_DIR / "locale"]
LANGUAGE_COOKIE_NAME = "defensa_language"
LANGUAGE_COOKIE_SECURE = False
LANGUAGE_COOKIE_SAMESITE = "Lax"
TIME_ZONE = env("TIME_ZONE", default="America/Los_Angeles")
USE_I18N = True
# Date and time inputs render ISO values in every language (see config/formats).
FORMAT_MODULE_PATH = ["config.formats"]
USE_TZ = True
PHONENUMBER_DEFAULT_REGION = env("PHONENUMBER_DEFAULT_REGION", default="US")
PHONENUMBER_DB_FORMAT = "E164"

# --- Static files: every asset is served by the app, no CDN --------------------
STATIC_URL = "/static/"
STATIC_ROOT = BASE_DIR / "staticfiles"
STATICFILES_DIRS = [BASE_DIR / "static"]
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# --- Security headers (production.py turns on the TLS-only ones) -------------
X_FRAME_OPTIONS = "DENY"
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
SECURE_CROSS_ORIGIN_OPENER_POLICY = "same-origin"
CONTENT_SECURITY_POLICY = {
    "DIRECTIVES": {
        "default-src": ["'self'"],
        "script-src": ["'self'"],
        "style-src": ["'self'"],
        "img-src": ["'self'", "data:"],
        "font-src": ["'self'"],
        "connect-src": ["'self'"],
        "object-src": ["'none'"],
        "base-uri": ["'none'"],
        "frame-ancestors": ["'none'"],
        "form-action": ["'self'"],
    }
}
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024

# --- Email ---------------------------------------------------------------------
EMAIL_CONFIG = env.email("EMAIL_URL", default="consolemail://")
vars().update(EMAIL_CONFIG)
DEFAULT_FROM_EMAIL = env("DEFAULT_FROM_EMAIL", default="Defensa <no-reply@localhost>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL

# --- SMS (only the notifications part reads these) -----------------------------
# `twilio` unless a settings module says otherwise: local.py prints to the console,
# test.py keeps messages in memory, production.py refuses both.
SMS_BACKEND = env("SMS_BACKEND", default="twilio")
TWILIO_ACCOUNT_SID = env("TWILIO_ACCOUNT_SID", default="")
TWILIO_AUTH_TOKEN = env("TWILIO_AUTH_TOKEN", default="")
TWILIO_MESSAGING_SERVICE_SID = env("TWILIO_MESSAGING_SERVICE_SID", default="")
TWILIO_FROM_NUMBER = env("TWILIO_FROM_NUMBER", default="")
TWILIO_API_BASE_URL = env("TWILIO_API_BASE_URL", default="https://api.twilio.com").rstrip("/")
# Short, explicit timeouts: a send that hangs holds a worker, and an urgent alert waits.
TWILIO_CONNECT_TIMEOUT = env.float("TWILIO_CONNECT_TIMEOUT", default=3.0)
TWILIO_READ_TIMEOUT = env.float("TWILIO_READ_TIMEOUT", default=10.0)
# Keywords the provider answers by itself (Twilio's default handling on long codes and
# toll-free numbers). The app records them but does not send a second reply. Keywords
# configured in a Messaging Service's Advanced Opt-Out arrive with `OptOutType` and are
# recognised without being listed here.
SMS_PROVIDER_ANSWERED_KEYWORDS = env.list(
    "SMS_PROVIDER_ANSWERED_KEYWORDS",
    default=[
        "STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT",
        "START", "UNSTOP", "HELP", "INFO",
    ],
)  # fmt: skip

# --- Notifications: pacing, validity and recovery (seconds) ---------------------
# Non-urgent SMS per second, across every worker (a US long code takes about 1; a
# Messaging Service with several numbers or a short code takes more). Raid alerts take
# the next slot ahead of every reminder, and reminders wait while alerts are going out,
# so an alert never waits behind reminders in Twilio's own queue. 0 = no pacing.
NOTIFICATIONS_SMS_PER_SECOND = env.float("NOTIFICATIONS_SMS_PER_SECOND", default=1.0)
# How long an urgent alert stays worth delivering (also Twilio's ValidityPeriod).
NOTIFICATIONS_URGENT_VALIDITY = env.int("NOTIFICATIONS_URGENT_VALIDITY", default=15 * 60)
# A queued message whose task has not run this long after it was handed to the broker
# is handed over again by the sweep (the claim makes a duplicate harmless).
NOTIFICATIONS_REQUEUE_AFTER = env.int("NOTIFICATIONS_REQUEUE_AFTER", default=10 * 60)
NOTIFICATIONS_URGENT_REQUEUE_AFTER = env.int("NOTIFICATIONS_URGENT_REQUEUE_AFTER", default=60)
# Rows created or due this recently are left to their own task.
NOTIFICATIONS_SWEEP_GRACE = env.int("NOTIFICATIONS_SWEEP_GRACE", default=30)
# How many times one message is tried before it is marked failed.
NOTIFICATIONS_MAX_ATTEMPTS = env.int("NOTIFICATIONS_MAX_ATTEMPTS", default=8)
# An unanswered send (timeout) waits this long for Twilio's status callback before the
# sweep looks the message up at Twilio.
NOTIFICATIONS_UNKNOWN_GRACE = env.int("NOTIFICATIONS_UNKNOWN_GRACE", default=120)

# --- Encryption at rest ----------------------------------------------------------
# Sensitive fields are Fernet-encrypted (django-fernet-encrypted-fields). The key is
# derived from SECRET_KEY (and SECRET_KEY_FALLBACKS, for rotation) salted with
# FIELD_ENCRYPTION_SALT; exact-value lookups use an HMAC keyed by LOOKUP_HASH_KEY.
SALT_KEY = env.list(
    "FIELD_ENCRYPTION_SALT", default=[PUBLISHED_DEFAULT_KEYS["FIELD_ENCRYPTION_SALT"]]
)
LOOKUP_HASH_KEY = env("LOOKUP_HASH_KEY", default=PUBLISHED_DEFAULT_KEYS["LOOKUP_HASH_KEY"])

# --- Celery ------------------------------------------------------------------------
# Without REDIS_URL tasks run in-process (a laptop); with it they go to Redis.
CELERY_BROKER_URL = REDIS_URL or "memory://"
CELERY_TASK_ALWAYS_EAGER = env.bool("CELERY_TASK_ALWAYS_EAGER", default=not REDIS_URL)
CELERY_TASK_EAGER_PROPAGATES = True
CELERY_ACCEPT_CONTENT = ["json"]
CELERY_TASK_SERIALIZER = "json"
CELERY_RESULT_SERIALIZER = "json"
CELERY_TASK_IGNORE_RESULT = True
# A task is acknowledged only after it ran, so a worker killed mid-task leaves it
# in Redis for another worker; every task is therefore written to be idempotent.
CELERY_TASK_ACKS_LATE = True
CELERY_TASK_REJECT_ON_WORKER_LOST = True
CELERY_WORKER_PREFETCH_MULTIPLIER = 1
CELERY_TASK_TIME_LIMIT = env.int("CELERY_TASK_TIME_LIMIT", default=120)
CELERY_TASK_SOFT_TIME_LIMIT = env.int(
    "CELERY_TASK_SOFT_TIME_LIMIT", default=max(1, CELERY_TASK_TIME_LIMIT - 30)
)
CELERY_BROKER_TRANSPORT_OPTIONS = {
    "visibility_timeout": 15 * 60,
    # A Redis that is down or unreachable must fail fast: the page that queued a
    # message must not hang, and the outbox sweep hands the message over later.
    "socket_connect_timeout": 2,
    "socket_timeout": 5,
}
CELERY_BROKER_CONNECTION_RETRY_ON_STARTUP = True
CELERY_TASK_DEFAULT_QUEUE = "default"
CELERY_TIMEZONE = TIME_ZONE
CELERY_BEAT_SCHEDULER = "django_celery_beat.schedulers:DatabaseScheduler"
# Workers log through Django's LOGGING (and its personal-data filter).
CELERY_WORKER_HIJACK_ROOT_LOGGER = False
# Celery's Django fixup closes the database connection around every task unless told
# to reuse it: a new PostgreSQL connection per SMS halved the delivery rate. Reused for
# this many tasks; config.celery drops a broken one before each task.
CELERY_DB_REUSE_MAX = env.int("CELERY_DB_REUSE_MAX", default=100)
CELERY_TASK_ROUTES = {
    "notifications.tasks.sweep_outbox": {"queue": "default"},
    "notifications.tasks.broadcast_fan_out": {"queue": "bulk"},
}
CELERY_BEAT_SCHEDULE: dict = {
    # Hands over messages whose task was lost (Redis down, a worker killed) and
    # reconciles sends that got no answer, against Twilio.
    "sweep-outbox": {"task": "notifications.tasks.sweep_outbox", "schedule": 60.0},
    # Lapsed seat offers pass to the next person; reminders that are due go out.
    "trainings-sweep-offers": {"task": "trainings.tasks.sweep_offers", "schedule": 300.0},
    "trainings-sweep-reminders": {"task": "trainings.tasks.sweep_reminders", "schedule": 300.0},
    # Meeting follow-ups due today, and partner pledges expiring within a month.
    "coalition-sweep-follow-ups": {
        "task": "coalition.tasks.sweep_follow_ups",
        "schedule": 60.0 * 60,
    },
    "coalition-sweep-pledge-renewals": {
        "task": "coalition.tasks.sweep_pledge_renewals",
        "schedule": 6 * 60.0 * 60,
    },
    # Hearing reminders (day before, two hours before) re-read each hearing's date;
    # closed legal cases lose their contents after the committee's retention period.
    "legal-aid-sweep-reminders": {"task": "legal_aid.tasks.sweep_reminders", "schedule": 300.0},
    # Litigation key dates, days ahead: hourly is plenty.
    "legal-aid-sweep-key-dates": {
        "task": "legal_aid.tasks.sweep_key_dates",
        "schedule": 60 * 60.0,
    },
    "legal-aid-purge-closed-cases": {
        "task": "legal_aid.tasks.purge_closed_cases",
        "schedule": 6 * 60 * 60,
    },
    # Pledge reminders before and after the due date; the ledger's daily reconciliation.
    "bond-fund-pledge-reminders": {
        "task": "bond_fund.tasks.sweep_pledge_reminders",
        "schedule": 60 * 60,
    },
    "bond-fund-check": {"task": "bond_fund.tasks.check_ledger", "schedule": 24 * 60 * 60},
    # Missed hearings of bonded people become deadlines; late refunds go to treasurers.
    "bond-fund-refund-pipeline": {
        "task": "bond_fund.tasks.sweep_refund_pipeline",
        "schedule": 24 * 60 * 60,
    },
    # CSV previews hold personal data: drop the ones nobody confirmed in time.
    "members-purge-import-previews": {
        "task": "members.tasks.import_batches_purge",
        "schedule": 15 * 60,
    },
    # Reporters' numbers and report details past the committee's retention.
    "rapid-response-purge-reports": {
        "task": "rapid_response.tasks.purge_reports",
        "schedule": 60 * 60,
    },
}
# Without Celery beat (a laptop), runserver runs the beat schedule in a thread
# (notifications.sweeps); local settings turn it on when there is no Redis.
SWEEPS_IN_PROCESS = env.bool("SWEEPS_IN_PROCESS", default=False)
SWEEPS_FIRST_DELAY = env.float("SWEEPS_FIRST_DELAY", default=3.0)
# A message claimed this long ago by a worker that never finished is looked up at the
# provider: longer than any attempt can last (the hard time limit kills it before).
NOTIFICATIONS_SENDING_STALE_AFTER = env.int(
    "NOTIFICATIONS_SENDING_STALE_AFTER", default=CELERY_TASK_TIME_LIMIT + 60
)

# Only the benchmark (bench/) turns this on: it adds a constant "ceiling" view.
BENCH_ENDPOINTS = env.bool("BENCH_ENDPOINTS", default=False)

# --- Logging: never personal data ----------------------------------------------
LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "filters": {
        # A safety net: phone numbers and email addresses are masked in every line,
        # whoever wrote it. The code itself logs only ids and statuses.
        "redact": {"()": "lib.redaction.RedactPersonalData"},
        # A refusal the access module meant (403) is logged as one line, not a traceback.
        "refusals": {"()": "lib.refusals.OneLineForExpectedRefusals"},
    },
    "formatters": {"plain": {"format": "%(asctime)s %(levelname)s %(name)s %(message)s"}},
    "handlers": {
        "console": {
            "class": "logging.StreamHandler",
            "formatter": "plain",
            "filters": ["refusals", "redact"],
        }
    },
    "root": {"handlers": ["console"], "level": env("LOG_LEVEL", default="INFO")},
    "loggers": {
        # Request lines carry query strings; keep them out of production logs.
        "django.server": {"level": "WARNING"},
        # The Twilio client logs query strings (phone numbers) at INFO, urllib3 logs
        # request lines at DEBUG: never below WARNING, whatever LOG_LEVEL says.
        "twilio": {"level": "WARNING"},
        "urllib3": {"level": "WARNING"},
    },
}

AUDITLOG_INCLUDE_ALL_MODELS = False
AUDITLOG_DISABLE_REMOTE_ADDR = True
