from functools import lru_cache

from django.urls import NoReverseMatch, reverse
from django.utils import translation
from django.utils.translation import gettext_lazy as _

from .access import ANONYMOUS, Action

# The main menu: (who sees it: an action, or "member" for anyone with a membership;
# the page; its label). Built once per language and set of rights, not per page.
NAV = [
    (Action.VIEW_DIRECTORY, "members:person_list", _("People")),
    (Action.MANAGE_MEMBERSHIPS, "committees:membership_list", _("Members")),
    (Action.VOUCH, "committees:vouch_list", _("Newcomers")),
    (Action.INVITE, "committees:invitation_list", _("Invitations")),
    (Action.MANAGE_ZONES, "committees:zone_list", _("Zones")),
    ("member", "trainings:list", _("Trainings")),
    ("member", "profile:detail", _("My profile")),
    (Action.SEND_MESSAGES, "notifications:message_list", _("Messages")),
    (Action.SEND_MESSAGES, "notifications:inbox", _("Replies")),
]
# Pages every signed-in page links to (base.html).
LINKS = ["dashboard", "mfa_index", "account_logout", "set_language", "committees:switch"]


@lru_cache(maxsize=512)
def _nav(language: str, allowed: frozenset, member: bool) -> tuple[tuple[str, str], ...]:
    items = []
    with translation.override(language):
        for who, name, label in NAV:
            if (who == "member" and member) or who in allowed:
                try:
                    items.append((reverse(name), str(label)))
                except NoReverseMatch:  # a part not installed in this deployment
                    continue
    return tuple(items)


@lru_cache(maxsize=1)
def _links() -> dict[str, str]:
    return {name.replace(":", "_"): reverse(name) for name in LINKS}


def viewer(request):
    """The viewer, the actions the navigation needs and the menu, once per page."""
    current = getattr(request, "viewer", ANONYMOUS)
    if not getattr(request, "user", None) or not request.user.is_authenticated:
        return {"viewer": ANONYMOUS, "can": {}, "links": _links()}
    can = {action.name: current.can(action) for action in Action}
    allowed = frozenset(action for action in Action if can[action.name])
    return {
        "viewer": current,
        "can": can,
        "links": _links(),
        "nav": _nav(translation.get_language(), allowed, bool(current.membership)),
    }
