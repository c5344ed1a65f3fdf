from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class TrainingsConfig(AppConfig):
    name = "trainings"
    verbose_name = _("Trainings")

    def ready(self):
        from auditlog.registry import auditlog

        # replies registers the SMS reply handlers; erasure the erasure hook; services
        # what completes a public sign-up its owner confirmed (members.proofs).
        from committees import menu

        from . import demo, erasure, models, replies, services  # noqa: F401

        menu.register(menu.Entry("trainings:list", _("Trainings"), None, 30))

        auditlog.register(models.Training)
