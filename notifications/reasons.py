"""Why a message was not sent, or not delivered: stored as these stable words on the
message row (`status_reason`), shown translated to coordinators."""

from django.utils.translation import gettext_lazy as _

NO_CONSENT = "no consent"
OPTED_OUT = "opted out"
BAD_NUMBER = "number cannot receive texts"
NO_PHONE = "no phone number"
NO_EMAIL = "no email address"
QUIET_HOURS = "quiet hours outlast its validity"
EXPIRED = "validity period passed"
GAVE_UP = "gave up after retries"
CARRIER_OPT_OUT = "recipient opted out at the carrier"
REFUSED = "rejected by the provider"
NO_ANSWER = "no answer from the provider"
CANCELLED = "cancelled by a coordinator"
UNDELIVERED = "not delivered by the carrier"
NOT_CHECKABLE = "could not be checked with the provider"
COUNTRY = "a country the committee does not text"

LABELS = {
    NO_CONSENT: _("Has not agreed to this kind of message on this channel."),
    OPTED_OUT: _("This number has opted out of texts."),
    BAD_NUMBER: _("This number cannot receive texts."),
    NO_PHONE: _("No mobile number on file."),
    NO_EMAIL: _("No email address on file."),
    QUIET_HOURS: _("Quiet hours lasted past the time the message was useful."),
    EXPIRED: _("Too late to be useful: dropped instead of delivered late."),
    GAVE_UP: _("Tried several times without success."),
    CARRIER_OPT_OUT: _("The person texted STOP to our number at the carrier."),
    REFUSED: _("Twilio refused the message."),
    NO_ANSWER: _("Twilio did not answer; being checked."),
    CANCELLED: _("Cancelled by a coordinator."),
    UNDELIVERED: _("The carrier could not deliver it."),
    NOT_CHECKABLE: _("Could not be checked with the provider."),
    COUNTRY: _("The number is in a country this committee does not text."),
}


def label(reason: str) -> str:
    return LABELS.get(reason, reason)
