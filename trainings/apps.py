from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingsConfig(AppConfig):
    name = "trainings"
    verbose_name = _("Trainings")

    def ready(self):
        from auditlog.registry import auditlog

        # Registries: SMS reply handlers, the erasure hook, the dashboard panel.
        from . import erasure, models, panels, replies  # noqa: F401

        auditlog.register(models.Training)
