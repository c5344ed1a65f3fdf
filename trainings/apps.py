from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _

ROSTER_VIEWED = "trainings.roster_viewed"


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
        from members import audit

        audit.register_kind(ROSTER_VIEWED, _("Viewed a training roster with phone numbers"))

        auditlog.register(models.Training)
