from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingsConfig(AppConfig):
    name = "trainings"
    verbose_name = _("Trainings")

    def ready(self):
        from auditlog.registry import auditlog

        # replies registers the SMS reply handlers; erasure the erasure hook.
        from committees import menu

        from . import demo, erasure, models, replies  # noqa: F401

        menu.register(menu.Entry("trainings:list", _("Trainings"), None, 30))

        auditlog.register(models.Training)
