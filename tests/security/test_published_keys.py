"""Point 7 / must show 4: production refuses the repository's published default keys."""

import os
import subprocess
import sys

import pytest

from config.settings.base import PUBLISHED_DEFAULT_KEYS

from ..test_deploy import PRODUCTION_ENV, ROOT


def _manage(*args, **overrides):
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"DATABASE_URL", "REDIS_URL", "DJANGO_ALLOW_ASYNC_UNSAFE"}
    }
    env.update(PRODUCTION_ENV)
    env.update(overrides)
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


@pytest.mark.parametrize("name", sorted(PUBLISHED_DEFAULT_KEYS))
def test_production_with_a_published_default_key_refuses_to_start(name):
    result = _manage("check", **{name: PUBLISHED_DEFAULT_KEYS[name]})
    assert result.returncode != 0
    assert f"{name} set to the published local default" in result.stderr


def test_production_with_the_published_secret_key_as_a_fallback_refuses_to_start():
    result = _manage("check", SECRET_KEY_FALLBACKS=PUBLISHED_DEFAULT_KEYS["SECRET_KEY"])
    assert result.returncode != 0
    assert "SECRET_KEY set to the published local default" in result.stderr


def test_check_deploy_says_why_published_keys_are_refused():
    """Any settings module (here the shared base with DEBUG off): `check --deploy` names
    each published key with a system check error."""
    env = {
        k: v
        for k, v in os.environ.items()
        if k not in {"SECRET_KEY", "LOOKUP_HASH_KEY", "FIELD_ENCRYPTION_SALT"}
    }
    env["DJANGO_SETTINGS_MODULE"] = "config.settings.base"
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode != 0
    for name in PUBLISHED_DEFAULT_KEYS:
        assert f"committees.E001) {name} is the local default published" in output
