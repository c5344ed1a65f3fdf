"""A person's message history is sensitive (who we texted, when, about what): every view
of it is one entry in the one audit trail (`members.audit`), without the texts."""

from __future__ import annotations

from members.audit import audit_record

HISTORY_VIEWED = "notifications.history_viewed"


def history_view_record(*, viewer, person) -> None:
    audit_record(viewer=viewer, kind=HISTORY_VIEWED, person=person)
