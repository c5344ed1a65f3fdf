from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingsConfig(AppConfig):
    name = "trainings"
    verbose_name = _("Trainings")

    def ready(self):
        from auditlog.registry import auditlog

        # replies registers the SMS reply handlers; erasure the erasure hook.
        from . import erasure, models, replies  # noqa: F401

        auditlog.register(models.Training)
