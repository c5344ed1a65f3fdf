from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RapidResponseConfig(AppConfig):
    name = "rapid_response"
    verbose_name = _("Rapid response")

    def ready(self):
        # Each module registers itself: SMS reply handlers and the inbound fallback,
        # the menu entry, the dashboard panel, demo data and the erasure hook.
        from . import erasure, models, panels  # noqa: F401
