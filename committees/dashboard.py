"""Panels on the organizer's "today" page.

Each part of the app registers a function `panel(viewer) -> Panel | None`; the
dashboard shows the panels the viewer may see, in registration order.
"""

from collections.abc import Callable
from dataclasses import dataclass, field


@dataclass
class Panel:
    template: str
    context: dict = field(default_factory=dict)
    order: int = 100


PANELS: list[Callable] = []


def register(panel_function: Callable) -> Callable:
    PANELS.append(panel_function)
    return panel_function


def panels_for(viewer) -> list[Panel]:
    panels = [p for p in (fn(viewer) for fn in PANELS) if p is not None]
    return sorted(panels, key=lambda p: p.order)
