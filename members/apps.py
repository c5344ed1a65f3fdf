from django.apps import AppConfig
from django.db.models.signals import post_migrate
from django.utils.translation import gettext_lazy as _


class MembersConfig(AppConfig):
    name = "members"
    verbose_name = _("People")

    def ready(self):
        from auditlog.registry import auditlog

        from committees import menu
        from committees.access import Action

        from . import models, reference_data

        menu.register(
            menu.Entry("members:person_list", _("People"), Action.VIEW_DIRECTORY, 10),
            menu.Entry("profile:detail", _("My profile"), None, 90),
        )

        post_migrate.connect(reference_data.ensure, sender=self)
        # Who changed a person's record is kept; personal values never are: names,
        # contacts and notes are masked, and erasure scrubs what remains
        # (members.erasure).
        auditlog.register(
            models.Person,
            exclude_fields=["search_name", "phone_hash", "email_hash", "updated_at"],
            mask_fields=["preferred_name", "full_name", "phone", "email", "notes"],
            mask_callable="members.audit.mask_entirely",
            m2m_fields={"skills", "zones", "other_languages"},
        )
