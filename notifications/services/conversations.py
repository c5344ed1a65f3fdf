"""Questions we ask by SMS: a conversation records what was asked, so that the reply
reaches the handler of its kind (see notifications.routing)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from lib.bulk import insert_objects

from ..models import Conversation


def conversation_open(
    *, person, kind: str, object_id: int, open_for: timedelta, purpose: str | None = None
) -> Conversation:
    """Record that we asked `person` something; their reply goes to `kind`'s handler.

    A numbered question gets the person's lowest free block of reply numbers
    (`conversation.codes`, see notifications.routing); the caller's text must offer
    those numbers. Asking again about the same object closes the earlier question.
    The handler's answer is sent for `purpose` (default: reminders), under the
    person's consent for it.
    """
    return conversations_open(
        kind=kind, openings=[(person, object_id, open_for)], purpose=purpose, bulk=False
    )[0]


def conversations_open(
    *, kind: str, openings: list, purpose: str | None = None, bulk: bool = True
) -> list[Conversation]:
    """`conversation_open` for many (person, object id, open for): four statements
    whatever their number (on PostgreSQL). The people's rows are locked (in id order)
    so that two questions opened at once for one person never share reply numbers."""
    from members.models import Person

    from .. import routing

    if not openings:
        return []
    now = timezone.now()
    person_ids = sorted({person.pk for person, _object_id, _open_for in openings})
    list(Person.objects.select_for_update().filter(pk__in=person_ids).order_by("pk").values("pk"))
    object_ids = [object_id for _person, object_id, _open_for in openings]
    Conversation.objects.filter(
        person_id__in=person_ids, kind=kind, object_id__in=object_ids, open_until__gt=now
    ).update(open_until=now)
    taken: dict[int, list[tuple[int, int]]] = {}
    if routing.HANDLERS.get(kind) and routing.HANDLERS[kind].choices:
        for person_id, other_kind, base in Conversation.objects.filter(
            person_id__in=person_ids, open_until__gt=now, code_base__isnull=False
        ).values_list("person_id", "kind", "code_base"):
            size = routing.HANDLERS[other_kind].choices if other_kind in routing.HANDLERS else 2
            taken.setdefault(person_id, []).append((base, size))
    fields = {"purpose": purpose} if purpose else {}
    rows = []
    for person, object_id, open_for in openings:
        base = routing.free_code_base(kind, taken.get(person.pk, []))
        if base is not None:
            taken.setdefault(person.pk, []).append((base, routing.HANDLERS[kind].choices))
        rows.append(
            Conversation(
                committee_id=person.committee_id,
                person=person,
                kind=kind,
                object_id=object_id,
                open_until=now + open_for,
                code_base=base,
                **fields,
            )
        )
    if not bulk:
        rows[0].save()
        return rows
    return insert_objects(rows)
