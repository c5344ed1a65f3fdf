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


def redact(text: str) -> str:
    return EMAIL.sub("[email]", PHONE.sub("[phone]", text))


class RedactPersonalData(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a malformed record: leave it to the handler
            return True
        cleaned = redact(message)
        if cleaned != message:
            record.msg, record.args = cleaned, ()
        return True
