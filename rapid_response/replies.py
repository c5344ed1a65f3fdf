"""SMS into the rapid-response part: confirmers' and responders' answers, and texts that
answer no question (possible reports)."""

from __future__ import annotations

from django.utils.translation import gettext as _

from notifications import routing

from . import services
from .models import Alert


@routing.handler(services.CONFIRM_CONVERSATION, choices=2)
def confirm_reply(conversation, text: str, choice: int | None) -> str | None:
    """A confirmer near the zone: 1 "I see agents", 2 "nothing there"."""
    if choice not in (1, 2):
        codes = conversation.codes
        return _("Reply %(first)s if you see agents there, %(second)s if you see nothing.") % {
            "first": codes[0],
            "second": codes[1],
        }
    request = services.confirmer_reply(request_id=conversation.object_id, seen=choice == 1)
    if request is None:
        return None
    if choice == 1:
        return _(
            "Thank you. The dispatcher will alert the responders. Stay at a safe distance; "
            "observe and film, do not interfere."
        )
    return _("Thank you for checking. The dispatcher has your answer.")


@routing.handler(services.ALERT_CONVERSATION, urgent=True)
def alert_reply(conversation, text: str, choice: int | None) -> str | None:
    """A responder's YES / SÍ (choice 1) or NO (choice 2) to a raid alert."""
    alert = Alert.objects.filter(pk=conversation.object_id).first()
    if alert is None:
        return None
    if not alert.is_active:
        return _("This alert has ended. Thank you.")
    if choice not in (1, 2):
        return _("Reply YES if you are going, NO if you cannot.")
    services.alert_answer(alert_id=alert.pk, person_id=conversation.person_id, going=choice == 1)
    if choice == 1:
        return _(
            "Thank you, the dispatcher knows you are going. Observe and film from a safe "
            "distance; do not interfere. Agents need a warrant signed by a judge to enter a home."
        )
    return _("Thank you for answering. Nobody is counting on you for this one.")


@routing.inbound_fallback
def possible_report(inbound) -> bool:
    """A text answering no open question: a possible raid report."""
    return services.sms_report_receive(inbound)
