"""Expected 403s (the access module refusing on purpose) are one log line, without a
traceback; other errors keep theirs."""

import logging

import pytest
from django.core.exceptions import PermissionDenied

from lib.refusals import OneLineForExpectedRefusals


def record(exception, status_code):
    try:
        raise exception
    except type(exception):
        import sys

        exc_info = sys.exc_info()
    entry = logging.LogRecord(
        "django.request", logging.WARNING, __file__, 1, "Forbidden: /x/", (), exc_info
    )
    entry.status_code = status_code
    return entry


def test_a_permission_denied_403_loses_its_traceback():
    entry = record(PermissionDenied(), 403)
    assert OneLineForExpectedRefusals().filter(entry)
    assert entry.exc_info is None
    assert "Traceback" not in logging.Formatter().format(entry)


def test_a_server_error_keeps_its_traceback():
    entry = record(RuntimeError("boom"), 500)
    OneLineForExpectedRefusals().filter(entry)
    assert "Traceback" in logging.Formatter().format(entry)


@pytest.mark.django_db
def test_the_console_handler_uses_the_filter(settings):
    assert "refusals" in settings.LOGGING["handlers"]["console"]["filters"]
