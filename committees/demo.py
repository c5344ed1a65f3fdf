"""Demo data, contributed by each part: `manage.py seed_demo` builds the committees, zones
and people, then runs every registered contributor, in order, inside its transaction.

    from committees import demo

    @demo.register(order=30)
    def seed_trainings(committee, *, stdout) -> None: ...

A contributor must be idempotent (running seed_demo twice changes nothing) and must not
queue messages. `committee` is the main demo committee.
"""

from __future__ import annotations

from collections.abc import Callable

CONTRIBUTORS: dict[str, tuple[int, Callable]] = {}


def register(order: int = 100):
    def decorator(function: Callable) -> Callable:
        name = f"{function.__module__}.{function.__qualname__}"
        CONTRIBUTORS[name] = (order, function)
        return function

    return decorator


def contributors() -> list[Callable]:
    return [fn for _order, fn in sorted(CONTRIBUTORS.values(), key=lambda item: item[0])]
