"""The coalition's panel on the organizer's "today" page: a fixed handful of queries."""

from committees.access import Action
from committees.dashboard import Panel, register

from . import selectors


@register
def coalition_panel(viewer) -> Panel | None:
    if not viewer.can(Action.VIEW_COALITION):
        return None
    return Panel(
        template="coalition/panels/coalition.html",
        context={
            "overview": selectors.overview(viewer=viewer),
            "mine": list(selectors.my_follow_ups(viewer=viewer)[:5]),
        },
        order=60,
    )
