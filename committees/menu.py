"""The main menu: each part registers its entries in its `AppConfig.ready()`.

    from committees import menu
    menu.register(menu.Entry(url_name="trainings:list", label=_("Trainings"), order=30))

`action` is who sees the entry: an `access.Action` the viewer must be allowed, or None
for anyone with a membership (probationary members too). The menu is built once per
language and set of rights (`context_processors`), never per page.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.utils.functional import Promise


@dataclass(frozen=True)
class Entry:
    url_name: str
    label: Promise | str
    action: object = None  # access.Action, or None: any member
    order: int = 100


ENTRIES: dict[str, Entry] = {}


def register(*entries: Entry) -> None:
    """Add entries; registering the same page twice is a mistake, not a no-op."""
    for entry in entries:
        existing = ENTRIES.get(entry.url_name)
        if existing is not None and existing != entry:
            raise ValueError(f"menu entry {entry.url_name!r} is registered twice")
        ENTRIES[entry.url_name] = entry


def entries() -> list[Entry]:
    return sorted(ENTRIES.values(), key=lambda e: (e.order, e.url_name))
