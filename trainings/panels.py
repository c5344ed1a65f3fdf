"""The trainings panel on the dashboard (registered when the app is ready)."""

from __future__ import annotations

from committees.access import Action
from committees.dashboard import Panel, register

from . import selectors


@register
def upcoming_trainings_panel(viewer):
    if viewer.membership is None:
        return None
    trainings = list(selectors.upcoming_for_panel(viewer=viewer)[:5])
    manager = viewer.can(Action.MANAGE_TRAININGS)
    if not trainings and not manager:
        return None
    return Panel(
        template="trainings/panels/upcoming.html",
        context={
            "trainings": trainings,
            "manager": manager,
            "timezone": viewer.committee.timezone,
        },
        order=30,
    )
