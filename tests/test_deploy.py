"""`check --deploy` passes with production-like values (issue: foundation, must show 6)."""

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

PRODUCTION_ENV = {
    "DJANGO_SETTINGS_MODULE": "config.settings.production",
    "SECRET_KEY": "x7!k2p9@q4v#m8z&r1t6w3y0u5i2o9e4a7s1d8f3g6h0j5k2l9",
    "DATABASE_URL": "postgres://defensa:secret@127.0.0.1:5432/defensa",
    "REDIS_URL": "redis://127.0.0.1:6379/0",
    "ALLOWED_HOSTS": "defensa.example.org",
    "PUBLIC_BASE_URL": "https://defensa.example.org",
    "EMAIL_URL": "smtp+tls://mailer:secret@smtp.example.org:587",
    "FIELD_ENCRYPTION_SALT": "b5f1c0a9e3d84f6c",
    "LOOKUP_HASH_KEY": "9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c4d",
    "TWILIO_ACCOUNT_SID": "AC" + "1" * 32,
    "TWILIO_AUTH_TOKEN": "f" * 32,
    "TWILIO_MESSAGING_SERVICE_SID": "MG" + "1" * 32,
}


def test_check_deploy_passes_with_production_settings():
    # The browser tests set DJANGO_ALLOW_ASYNC_UNSAFE for themselves; a deployment never does.
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(PRODUCTION_ENV)
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stdout + result.stderr


def test_production_refuses_to_start_without_a_secret_key():
    env = {k: v for k, v in os.environ.items() if k != "SECRET_KEY"}
    env.update({k: v for k, v in PRODUCTION_ENV.items() if k != "SECRET_KEY"})
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr


def test_check_deploy_refuses_production_without_twilio_credentials():
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
        and not k.startswith("TWILIO_")
    }
    env.update({k: v for k, v in PRODUCTION_ENV.items() if not k.startswith("TWILIO_")})
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "notifications.E001" in result.stdout + result.stderr


def test_production_refuses_the_console_sms_backend():
    env = {k: v for k, v in os.environ.items() if k not in {"DATABASE_URL", "REDIS_URL"}}
    env.update({**PRODUCTION_ENV, "SMS_BACKEND": "console"})
    result = subprocess.run(
        [sys.executable, "manage.py", "check"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode != 0
    assert "SMS_BACKEND" in result.stderr
