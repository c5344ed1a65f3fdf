"""SMS replies to legal aid's questions (see notifications.routing).

An accompaniment offer asks "reply 3 to go, 4 if you cannot": the numbers are the
block the routing gave this conversation, so that an open training question with
1-2 never takes the answer.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import translation
from django.utils.translation import gettext as _

from notifications.routing import handler, normalised

from . import messaging, services
from .models import Accompaniment


@handler(messaging.OFFER_CONVERSATION, choices=2)
def offer_reply(conversation, text: str, choice: int | None) -> str | None:
    accompaniment = (
        Accompaniment.objects.select_related("hearing__case__committee", "person")
        .filter(pk=conversation.object_id, person_id=conversation.person_id)
        .first()
    )
    if accompaniment is None:
        return None
    with translation.override(accompaniment.person.language):
        if choice not in (1, 2):
            codes = getattr(conversation, "codes", (1, 2))
            return _("Reply %(yes)s to go with them, or %(no)s if you cannot.") % {
                "yes": codes[0],
                "no": codes[1],
            }
        answer = services.accompaniment_answer(accompaniment=accompaniment, accept=choice == 1)
        if answer == services.Answer.GOING:
            return _(
                "Thank you! You are going. We will remind you the day before, with where "
                "to meet. You are there to accompany: the legal team gives legal advice."
            )
        if answer == services.Answer.FULL:
            return _("Thank you! Enough people are already going this time.")
        if answer == services.Answer.CLOSED:
            return _("Thank you! This hearing no longer needs accompaniers.")
        return _("Thank you for letting us know.")


DETAINED_WORDS = {"detenido", "detenida", "detained", "detenidos", "detenidas"}


def is_detained_report(text: str) -> bool:
    return normalised(text) in DETAINED_WORDS


@handler(messaging.CHECK_IN_CONVERSATION, accepts=is_detained_report)
def check_in_reply(conversation, text: str, choice: int | None) -> str | None:
    """An accompanier texts DETENIDO during a hearing or check-in: the team and the
    emergency contact are alerted at once (the same path as the one-tap button)."""
    accompaniment = (
        Accompaniment.objects.select_related("person")
        .filter(pk=conversation.object_id, person_id=conversation.person_id)
        .first()
    )
    if accompaniment is None:
        return None
    with translation.override(accompaniment.person.language):
        try:
            services.accompaniment_report_detained(accompaniment=accompaniment)
        except ValidationError as refusal:
            return refusal.messages[0]
        return _(
            "The legal team and the family contact are being alerted now. Stay nearby if safe."
        )
