from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitteesConfig(AppConfig):
    name = "committees"
    verbose_name = _("Committees")

    def ready(self):
        from auditlog.registry import auditlog

        from . import checks, models  # noqa: F401  (checks registers the deploy checks)

        auditlog.register(models.Membership)
        auditlog.register(models.MembershipRole)
        auditlog.register(models.Invitation, exclude_fields=["token_hash"])
        auditlog.register(models.Committee)
        auditlog.register(models.Zone)
