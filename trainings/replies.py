"""SMS replies to the questions trainings asks.

The day-before reminder asks "reply 1 to confirm, 2 if you cannot come"; a seat offer
asks "reply 1 to take it, 2 to let it go". Numbers, not words: STOP, CANCEL, BAJA are
opt-out keywords and YES/SÍ belongs to raid alerts. The numbers are the conversation's
own (`conversation.codes`: 3 and 4 when another question holds 1 and 2), so a reply
can never answer another part's question (see notifications.routing).
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from notifications.routing import handler

from . import services
from .models import Registration, RegistrationStatus


def _registration(conversation) -> Registration | None:
    return (
        Registration.objects.select_related("training__committee", "person__committee")
        .filter(pk=conversation.object_id, person_id=conversation.person_id)
        .first()
    )


@handler(services.messaging.DAY_BEFORE_CONVERSATION, choices=2)
def day_before_reply(conversation, text: str, choice: int | None) -> str | None:
    registration = _registration(conversation)
    if registration is None:
        return None
    with translation.override(registration.person.language):
        title = registration.training.title
        if choice == 1:
            registration = services.registration_confirm(registration=registration)
            if registration.status == RegistrationStatus.REGISTERED:
                return _("Thank you! See you at %(title)s.") % {"title": title}
            return _("You no longer have a seat at %(title)s.") % {"title": title}
        if choice == 2:
            try:
                services.registration_cancel(registration=registration)
            except services.CancelRefused as refusal:
                return refusal.messages[0]
            return _(
                "Thank you for letting us know. Your seat at %(title)s has been given up "
                "and will go to someone on the waitlist."
            ) % {"title": title}
        return None


@handler(services.messaging.OFFER_CONVERSATION, choices=2)
def offer_reply(conversation, text: str, choice: int | None) -> str | None:
    registration = _registration(conversation)
    if registration is None:
        return None
    with translation.override(registration.person.language):
        if choice == 1:
            try:
                services.offer_claim(registration=registration)
            except services.OfferLapsed as refusal:
                return refusal.messages[0]
            # offer_claim texts the seat confirmation (date, place, link): that is the
            # answer. One text, not two.
            return None
        if choice == 2:
            if registration.status == RegistrationStatus.OFFERED:
                services.offer_decline(registration=registration)
            return _("Thank you for letting us know. We will offer the seat to someone else.")
        return None
