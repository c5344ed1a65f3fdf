"""A logging filter: an expected refusal (403, PermissionDenied) is one log line, not a
traceback. The access module refuses on purpose; a page of stack trace on the console for
each refusal hides the errors that matter."""

import logging

from django.core.exceptions import PermissionDenied


class OneLineForExpectedRefusals(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) == 403 and record.exc_info:
            exception = record.exc_info[1]
            if isinstance(exception, PermissionDenied):
                record.exc_info = None
                record.exc_text = None
        return True
