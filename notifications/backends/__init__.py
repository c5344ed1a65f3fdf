from django.conf import settings
from django.utils.module_loading import import_string

ALIASES = {
    "console": "notifications.backends.console.ConsoleSmsBackend",
    "locmem": "notifications.backends.locmem.LocmemSmsBackend",
    "twilio": "notifications.backends.twilio.TwilioSmsBackend",
}


def get_sms_backend():
    """The SMS backend named by settings.SMS_BACKEND (an alias or a dotted path)."""
    path = ALIASES.get(settings.SMS_BACKEND, settings.SMS_BACKEND)
    return import_string(path)()
