from django.apps import AppConfig
from django.db.models.signals import post_delete, post_migrate, post_save
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
        # The directory's cached filter markup lists zones, skills and languages.
        from committees.models import Zone

        for model in (Zone, models.Skill, models.SpokenLanguage):
            for signal in (post_save, post_delete):
                signal.connect(_filter_choices_changed, sender=model, weak=False)
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


def _filter_choices_changed(sender, instance, **kwargs):
    from .filters import forget_filter_choices

    forget_filter_choices(getattr(instance, "committee_id", None))
