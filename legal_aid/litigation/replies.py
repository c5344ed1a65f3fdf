"""The text reply to a declarant's consent ask (see notifications.routing): the first
of its two numbers agrees to the words sent, the second declines."""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from notifications.routing import handler

from .. import services
from ..models import Declarant
from .messaging import CONSENT_CONVERSATION


@handler(CONSENT_CONVERSATION, choices=2)
def consent_reply(conversation, text: str, choice: int | None) -> str | None:
    declarant = (
        Declarant.objects.select_related("person")
        .filter(pk=conversation.object_id, person_id=conversation.person_id)
        .first()
    )
    if declarant is None:
        return None
    with translation.override(declarant.person.language):
        if choice not in (1, 2):
            codes = getattr(conversation, "codes", (1, 2))
            return _("Reply %(yes)s if you agree, %(no)s if not.") % {
                "yes": codes[0],
                "no": codes[1],
            }
        answer = services.declarant_consent_reply(declarant=declarant, granted=choice == 1)
        if answer is None:
            return _("Thank you. We already have your answer.")
        if answer.granted:
            return _(
                "Thank you. A lawyer from the team may contact you. You can still say no "
                "at any time."
            )
        return _("Thank you. We will not share your contact, and nobody will ask again.")
