"""A logging filter that masks phone numbers and email addresses in every log line.

The code logs only ids and statuses; this is the safety net for a library, a
traceback or a future line that forgets.
"""

import logging
import re

# E.164 (+ and 8 to 15 digits, maybe spaced) and North American national formats.
PHONE = re.compile(
    r"(?:\+|%2B)\d(?:[\s.-]?\d){7,14}|\(?\b\d{3}\)?[\s.-]\d{3}[\s.-]\d{4}\b", re.IGNORECASE
)
EMAIL = re.compile(r"[\w.+-]+(?:@|%40)[\w-]+(\.[\w-]+)+", re.IGNORECASE)
# A national number typed without separators ("2135550142", "12135550142").
DIGITS = re.compile(r"(?<![\w.-])1?\d{10}(?![\w-])")
# Secret path segments: a registration link, an invitation, a proof-of-control link.
# Django logs every 4xx with its path ("Not Found: /t/r/<token>/").
PATH_TOKEN = re.compile(r"(/(?:t/r|join|confirm)/)(?!open/)[^/\s?#\"']+")


def redact(text: str) -> str:
    text = PATH_TOKEN.sub(r"\1[token]", text)
    return EMAIL.sub("[email]", DIGITS.sub("[phone]", PHONE.sub("[phone]", text)))


class RedactPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to the handler
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        # A traceback quotes the values it failed on (a phone in an exception's
        # message, a query's parameters): format it here, redacted; handlers print
        # `exc_text` instead of formatting `exc_info` again.
        if record.exc_info and not record.exc_text:
            record.exc_text = logging.Formatter().formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True
