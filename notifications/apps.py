from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Messages")

    def ready(self):
        # checks registers the deploy checks; erasure the erasure hook.
        from . import checks, erasure  # noqa: F401
