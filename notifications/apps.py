from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class NotificationsConfig(AppConfig):
    name = "notifications"
    verbose_name = _("Messages")

    def ready(self):
        # checks registers the deploy checks; erasure the erasure hook; proofs the sender
        # of proof-of-control links (members.proofs).
        import sys

        from committees import menu
        from committees.access import Action
        from members import audit

        from . import checks, erasure, invitations, proofs, sweeps  # noqa: F401

        menu.register(
            menu.Entry("notifications:message_list", _("Messages"), Action.SEND_MESSAGES, 70),
            menu.Entry("notifications:inbox", _("Replies"), Action.SEND_MESSAGES, 71),
        )
        audit.register_kind("notifications.history_viewed", _("Viewed a message history"))
        # The committees part sends invitations through this outbox.
        invitations.register()
        # A laptop without Celery beat: runserver runs the periodic sweeps itself.
        sweeps.install(sys.argv)
