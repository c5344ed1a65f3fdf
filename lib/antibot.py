"""The anti-bot part of every public form: a honeypot and a signed time stamp, instead of
a third-party captcha.

A form that mixes in `AntiBotForm` gets two extra fields: `website` (hidden from people
by CSS and from screen readers; bots fill every field) and `started` (when the form was
shown, signed). `looks_automated()` refuses a filled honeypot, and a form sent sooner
than `PUBLIC_FORM_MIN_SECONDS` (a bot; read at call time, 3 unless set) or later than
two hours after it was shown (a stale page), or with a forged stamp. `refusal(request)`
adds the per-address throttle (`lib.throttle`) in front of it: a view calls it first.
"""

from __future__ import annotations

import hashlib
import secrets
import time as clock

from django import forms
from django.conf import settings
from django.core import signing
from django.core.cache import cache
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from lib import throttle

FORM_MAX_SECONDS = 2 * 60 * 60
# The value the first public form used: changing it would refuse every page already open.
FORM_SALT = "trainings.public-form"


def min_seconds() -> float:
    return getattr(settings, "PUBLIC_FORM_MIN_SECONDS", 3)


def stamp(now: float | None = None) -> str:
    """A signed "shown at" stamp (`now` defaults to the current time), with a nonce: two
    visitors shown the page in the same second get different stamps, and each stamp is
    accepted once (`claim_stamp`)."""
    shown = int(clock.time() if now is None else now)
    return signing.dumps({"t": shown, "n": secrets.token_hex(8)}, salt=FORM_SALT)


class AntiBotForm(forms.Form):
    stamp_claimed = False
    website = forms.CharField(required=False, label=_("Leave this empty"))
    started = forms.CharField(widget=forms.HiddenInput)

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["website"].widget.attrs.update({"tabindex": "-1", "autocomplete": "off"})
        for name in ("website", "started"):  # after the form's own fields
            self.fields[name] = self.fields.pop(name)
        if not self.is_bound:
            self.initial["started"] = stamp()

    def fresh_started(self) -> str:
        return stamp()

    def _elapsed(self) -> float | None:
        try:
            shown = signing.loads(self.data.get("started", ""), salt=FORM_SALT)
        except signing.BadSignature:
            return None
        if isinstance(shown, dict):
            shown = shown.get("t")
        if not isinstance(shown, int):  # an int: a page opened before the nonce
            return None
        return clock.time() - shown

    def claim_stamp(self) -> bool:
        """Use up this page's stamp: False if it was already used (one stamp sent 48
        times made 48 sign-ups). Call it once the form is accepted, so that a person
        fixing a typo keeps theirs."""
        key = "antibot:stamp:" + hashlib.sha256(self.data.get("started", "").encode()).hexdigest()
        self.stamp_claimed = cache.add(key, 1, FORM_MAX_SECONDS + 60)
        return self.stamp_claimed

    def refusal(self, request) -> tuple[str, int] | None:
        """What every public form checks before it is read: the visitor's address within
        its hourly limit (else the message and 429), then `looks_automated` (400)."""
        if not throttle.address_allow(request):
            return throttle.too_many_message(), 429
        if self.looks_automated():
            return (
                gettext(
                    "Sorry, we could not accept the form. "
                    "Please check your details and send it again."
                ),
                400,
            )
        return None

    def looks_automated(self) -> bool:
        """A filled honeypot, or a form sent too fast or too late, or tampered with."""
        if self.data.get("website"):
            return True
        elapsed = self._elapsed()
        return elapsed is None or not (min_seconds() <= elapsed <= FORM_MAX_SECONDS)

    def stamp_is_usable(self) -> bool:
        """A refused form keeps its time stamp (a person fixing a typo is not a bot)
        unless the stamp is forged or too old to be accepted."""
        elapsed = self._elapsed()
        return elapsed is not None and elapsed <= FORM_MAX_SECONDS
