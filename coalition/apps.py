from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoalitionConfig(AppConfig):
    name = "coalition"
    verbose_name = _("Coalition")

    def ready(self):
        from committees import menu
        from committees.access import Action
        from members import audit

        # erasure: the erasure hook; panels: the dashboard panel; demo: seed_demo's part.
        from . import demo, erasure, panels  # noqa: F401
        from .services.documents import DOWNLOADED
        from .services.partners import CONTACT_VIEWED

        menu.register(menu.Entry("coalition:home", _("Coalition"), Action.VIEW_COALITION, 60))
        audit.register_kind(DOWNLOADED, _("Downloaded a coalition document"))
        audit.register_kind(CONTACT_VIEWED, _("Viewed a partner's contact person"))
