"""The fund's panel on the organizer's dashboard (a constant number of queries)."""

from committees.access import Action
from committees.dashboard import Panel, register

from . import selectors


@register
def fund_panel(viewer):
    if not viewer.can(Action.VIEW_FUND):
        return None
    return Panel(
        template="bond_fund/panels/fund.html",
        context={
            "totals": selectors.fund_totals(viewer=viewer),
            "check": selectors.last_check(viewer=viewer),
            "awaiting": selectors.awaiting_refund(viewer=viewer).count(),
        },
        order=50,
    )
