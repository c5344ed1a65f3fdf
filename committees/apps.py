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
        # The invitee's address is masked: the audit log is not encrypted.
        auditlog.register(
            models.Invitation,
            exclude_fields=["token_hash", "email_hash"],
            mask_fields=["email"],
            mask_callable="members.audit.mask_entirely",
        )
        auditlog.register(models.Committee)
        auditlog.register(models.Zone)
