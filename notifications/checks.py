"""`manage.py check --deploy`: is this installation able to send and receive texts?"""

from django.conf import settings
from django.core.checks import Error, Tags, Warning, register


@register(Tags.security, deploy=True)
def twilio_configuration(app_configs, **kwargs):
    problems = []
    if settings.SMS_BACKEND in {"twilio", "notifications.backends.twilio.TwilioSmsBackend"}:
        if not (settings.TWILIO_ACCOUNT_SID and settings.TWILIO_AUTH_TOKEN):
            problems.append(
                Error(
                    "TWILIO_ACCOUNT_SID and TWILIO_AUTH_TOKEN are not set: no SMS can be sent.",
                    id="notifications.E001",
                )
            )
        if not (settings.TWILIO_MESSAGING_SERVICE_SID or settings.TWILIO_FROM_NUMBER):
            problems.append(
                Error(
                    "Set TWILIO_MESSAGING_SERVICE_SID (or TWILIO_FROM_NUMBER): "
                    "Twilio needs to know what to send from.",
                    id="notifications.E002",
                )
            )
    if not settings.PUBLIC_BASE_URL.startswith("https://"):
        problems.append(
            Warning(
                "PUBLIC_BASE_URL is not https: Twilio's webhooks and status callbacks would "
                "travel in clear, and their signatures are checked against this address.",
                id="notifications.W001",
            )
        )
    return problems
