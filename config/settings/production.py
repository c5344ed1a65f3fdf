"""Production: PostgreSQL, Redis, Celery workers, gunicorn behind a TLS proxy."""

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .base import EMAIL_BACKEND, SMS_BACKEND, env, published_keys_in_use

DEBUG = False
SECRET_KEY = env("SECRET_KEY")  # no default: refuse to start without one
LOOKUP_HASH_KEY = env("LOOKUP_HASH_KEY")
SALT_KEY = env.list("FIELD_ENCRYPTION_SALT")
# Anyone can read the repository's local keys: with one of them, sessions and links can
# be forged and every encrypted field or lookup hash opened from a database copy.
_published = published_keys_in_use(
    secret_key=SECRET_KEY, secret_key_fallbacks=SECRET_KEY_FALLBACKS,  # noqa: F405
    lookup_hash_key=LOOKUP_HASH_KEY, salt_keys=SALT_KEY,
)  # fmt: skip
if _published:
    raise ImproperlyConfigured(
        f"{', '.join(_published)} set to the published local default: production refuses to "
        "start. Generate new values (see README, 'Keys')."
    )
DATABASES = {"default": env.db("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env.int("CONN_MAX_AGE", default=60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

# TLS terminates at the proxy, which must set X-Forwarded-Proto.
SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
SECURE_SSL_REDIRECT = env.bool("SECURE_SSL_REDIRECT", default=True)
SECURE_REDIRECT_EXEMPT = [r"^healthz/$"]
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
LANGUAGE_COOKIE_SECURE = True
SECURE_HSTS_SECONDS = env.int("SECURE_HSTS_SECONDS", default=60 * 60 * 24 * 365)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = env.bool("SECURE_HSTS_PRELOAD", default=True)
MFA_WEBAUTHN_ALLOW_INSECURE_ORIGIN = False
# Sessions in the database only: with Redis down (the broker and the cache) an organizer
# must still be able to work, and their messages wait in the outbox for Redis to return.
SESSION_ENGINE = "django.contrib.sessions.backends.db"

# The console and in-memory backends print or keep phone numbers and message bodies:
# never in production.
if SMS_BACKEND.rsplit(".", 1)[-1] in {"console", "locmem", "ConsoleSmsBackend", "LocmemSmsBackend"}:
    raise ImproperlyConfigured("SMS_BACKEND must be `twilio` (or a real backend) in production")
if EMAIL_BACKEND.rsplit(".", 2)[-2] in {"console", "locmem", "filebased"}:
    raise ImproperlyConfigured("EMAIL_URL must point at a real mail server in production")

LOGGING["root"]["level"] = env("LOG_LEVEL", default="WARNING")  # noqa: F405
