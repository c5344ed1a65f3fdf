from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingsConfig(AppConfig):
    name = "trainings"
    verbose_name = _("Trainings")

    def ready(self):
        from auditlog.registry import auditlog

        from . import models, replies  # noqa: F401  (replies registers the SMS reply handlers)

        auditlog.register(models.Training)
