from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Messages")

    def ready(self):
        # checks registers the deploy checks; erasure the erasure hook.
        import sys

        from . import checks, erasure, invitations, sweeps  # noqa: F401

        # The committees part sends invitations through this outbox.
        invitations.register()

        # A laptop without Celery beat: runserver runs the periodic sweeps itself.
        sweeps.install(sys.argv)
