from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CommitteesConfig(AppConfig):
    name = "committees"
    verbose_name = _("Committees")

    def ready(self):
        from auditlog.registry import auditlog

        from . import checks, menu, models  # noqa: F401  (checks registers deploy checks)
        from .access import Action

        menu.register(
            menu.Entry("committees:membership_list", _("Members"), Action.MANAGE_MEMBERSHIPS, 20),
            menu.Entry("committees:vouch_list", _("Newcomers"), Action.VOUCH, 21),
            menu.Entry("committees:invitation_list", _("Invitations"), Action.INVITE, 22),
            menu.Entry("committees:zone_list", _("Zones"), Action.MANAGE_ZONES, 23),
        )

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
