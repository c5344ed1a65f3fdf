from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

ROSTER_VIEWED = "trainings.roster_viewed"


class TrainingsConfig(AppConfig):
    name = "trainings"
    verbose_name = _("Trainings")

    def ready(self):
        from auditlog.registry import auditlog

        from committees import menu
        from members import audit

        # Registries: SMS reply handlers, the erasure hook, demo data, the dashboard panel;
        # services registers what completes a public sign-up its owner confirmed.
        from . import demo, erasure, models, panels, replies, services  # noqa: F401

        menu.register(menu.Entry("trainings:list", _("Trainings"), None, 30))
        audit.register_kind("trainings.roster_viewed", _("Viewed a training roster"))
        audit.register_kind("trainings.roster_exported", _("Exported a training roster"))

        auditlog.register(models.Training)
