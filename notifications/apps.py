from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Messages")

    def ready(self):
        # checks registers the deploy checks; erasure the erasure hook; proofs the sender
        # of proof-of-control links (members.proofs).
        from committees import menu
        from committees.access import Action

        from . import checks, erasure, proofs  # noqa: F401

        menu.register(
            menu.Entry("notifications:message_list", _("Messages"), Action.SEND_MESSAGES, 70),
            menu.Entry("notifications:inbox", _("Replies"), Action.SEND_MESSAGES, 71),
        )
