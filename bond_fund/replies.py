"""Text replies from on-call donors: "SÍ 200" / "YES 200" becomes a $200 pledge to the
bond they were asked about. Free-form, so the routing sends a reply here only when it
matches PLEDGE_RE (a numbered or urgent question elsewhere takes digits and bare yes/no).
"""

from __future__ import annotations

from django.utils import translation
from django.utils.translation import gettext as _

from notifications import routing

from .services import ON_CALL_CONVERSATION, PLEDGE_RE, money, on_call_pledge_from_reply


def accepts(text: str) -> bool:
    return bool(PLEDGE_RE.match(text or ""))


@routing.handler(ON_CALL_CONVERSATION, accepts=accepts)
def on_call_reply(conversation, text: str, choice: int | None) -> str | None:
    person = conversation.person
    with translation.override(person.language):
        pledge = on_call_pledge_from_reply(person=person, bond_id=conversation.object_id, text=text)
        if pledge is None:
            return _("To pledge, reply YES and an amount, for example: YES 200")
        return _(
            "Thank you! We recorded your pledge of %(amount)s. A treasurer will tell you "
            "how to give."
        ) % {"amount": money(pledge.amount_cents)}
