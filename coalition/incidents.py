"""The rapid-response incidents a broken commitment points at, through that app's
selectors (the hand-off in PLUGPOINTS). Imported lazily: without the rapid-response
part installed, there is nothing to link and labels are unknown; the ids stay."""

from __future__ import annotations


def _selectors():
    try:
        from rapid_response import selectors
    except ImportError:
        return None
    return selectors


def incidents_for_link(*, committee, since=None) -> list[tuple[int, str]]:
    """(incident id, "date · zone · status") of the committee's incidents, newest first."""
    selectors = _selectors()
    if selectors is None:
        return []
    return list(selectors.incidents_for_link(committee=committee, since=since))


def incident_label(*, incident_id: int, committee) -> str | None:
    selectors = _selectors()
    if selectors is None:
        return None
    return selectors.incident_label(incident_id=incident_id, committee=committee)


def labels_for(*, incident_ids, committee) -> dict[int, str | None]:
    return {i: incident_label(incident_id=i, committee=committee) for i in incident_ids}
