from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class RapidResponseConfig(AppConfig):
    name = "rapid_response"
    verbose_name = _("Rapid response")

    def ready(self):
        from committees import menu
        from committees.access import Action
        from members import audit

        # replies registers the SMS reply handlers and the inbound fallback (possible
        # reports); panels the dashboard panel; demo the demo data; erasure its hook.
        from . import demo, erasure, models, panels, replies  # noqa: F401

        menu.register(menu.Entry("rapid_response:inbox", _("Dispatch"), Action.DISPATCH, 15))
        audit.register_kind(
            "rapid_response.callback_viewed", _("Viewed reporters' callback numbers")
        )
