"""SMS replies to the questions trainings asks.

The day-before reminder asks "reply 1 to confirm, 2 if you cannot come"; a seat offer
asks "reply 1 to take it, 2 to let it go". Digits, not words: STOP, CANCEL, BAJA and
the like are opt-out keywords that the carrier and the notifications part act on.
"""

from __future__ import annotations

import re

from django.utils import translation
from django.utils.translation import gettext as _

from notifications.routing import handler

from . import messaging, services
from .models import Registration, RegistrationStatus

YES = {"1", "uno", "one"}
NO = {"2", "dos", "two"}


def reply_choice(text: str) -> str | None:
    """'1', ' 1 ', '1.', '1!', 'Uno' -> '1'; '2' likewise; anything else -> None."""
    word = re.sub(r"[\s.,;:!¡?¿()\"'*#-]+", "", (text or "").casefold())
    if word in YES:
        return "1"
    if word in NO:
        return "2"
    return None


def _registration(conversation) -> Registration | None:
    return (
        Registration.objects.select_related("training__committee", "person__committee")
        .filter(pk=conversation.object_id, person_id=conversation.person_id)
        .first()
    )


@handler(messaging.DAY_BEFORE_CONVERSATION)
def day_before_reply(conversation, text: str) -> str | None:
    registration = _registration(conversation)
    if registration is None:
        return None
    with translation.override(registration.person.language):
        choice = reply_choice(text)
        title = registration.training.title
        if choice == "1":
            registration = services.registration_confirm(registration=registration)
            if registration.status == RegistrationStatus.REGISTERED:
                return _("Thank you! See you at %(title)s.") % {"title": title}
            return _("You no longer have a seat at %(title)s.") % {"title": title}
        if choice == "2":
            try:
                services.registration_cancel(registration=registration)
            except services.CancelRefused as refusal:
                return refusal.messages[0]
            return _(
                "Thank you for letting us know. Your seat at %(title)s has been given up "
                "and will go to someone on the waitlist."
            ) % {"title": title}
        return _("Reply 1 if you are coming to %(title)s, or 2 if you cannot come.") % {
            "title": title
        }


@handler(messaging.OFFER_CONVERSATION)
def offer_reply(conversation, text: str) -> str | None:
    registration = _registration(conversation)
    if registration is None:
        return None
    with translation.override(registration.person.language):
        choice = reply_choice(text)
        title = registration.training.title
        if choice == "1":
            try:
                services.offer_claim(registration=registration)
            except services.OfferLapsed as refusal:
                return refusal.messages[0]
            # offer_claim texts the seat confirmation (date, place, link): that is the
            # answer. One text, not two.
            return None
        if choice == "2":
            if registration.status == RegistrationStatus.OFFERED:
                services.offer_decline(registration=registration)
            return _("Thank you for letting us know. We will offer the seat to someone else.")
        return _("Reply 1 to take the seat at %(title)s, or 2 to let it go.") % {"title": title}
