"""Erasing a person everywhere: the hook registry and the scrubbing helpers.

`services.person_erase` anonymizes the members part's own rows. Other parts keep
personal data too (messages, registrations, cases): each registers a hook here,

    from members import erasure

    @erasure.register
    def erase_messages(person):
        Message.objects.filter(person=person).delete()

and the hook runs inside the erasure's transaction, before the person's name and
contact details are cleared (so it can still match on `person.phone_hash`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable

from django.contrib.sessions.models import Session
from django.utils import timezone

HOOKS: list[Callable] = []


def register(hook: Callable) -> Callable:
    """Add `hook(person)` to what every erasure runs (idempotent)."""
    if hook not in HOOKS:
        HOOKS.append(hook)
    return hook


def run_hooks(person) -> None:
    for hook in HOOKS:
        hook(person)


def scrub_audit_logs(*, objects: Iterable[tuple[type, int]], placeholder: str) -> None:
    """Remove what the audit logs kept about these objects: their representation
    (a member's name) and field values (an invitation's email). That the change
    happened, when and by whom stays."""
    from auditlog.models import LogEntry as AuditlogEntry
    from django.contrib.admin.models import LogEntry as AdminLogEntry
    from django.contrib.contenttypes.models import ContentType

    by_model: dict[type, set[str]] = {}
    for model, pk in objects:
        by_model.setdefault(model, set()).add(str(pk))
    for model, pks in by_model.items():
        content_type = ContentType.objects.get_for_model(model)
        AuditlogEntry.objects.filter(content_type=content_type, object_pk__in=pks).update(
            object_repr=placeholder,
            changes=None,
            changes_text="",
            serialized_data=None,
            additional_data=None,
        )
        AdminLogEntry.objects.filter(content_type=content_type, object_id__in=pks).update(
            object_repr=placeholder, change_message=""
        )


def scrub_actor(*, user_id: int, emails: Iterable[str]) -> None:
    """The audit log copies the acting user's email beside each entry."""
    from auditlog.models import LogEntry as AuditlogEntry

    AuditlogEntry.objects.filter(actor_id=user_id).update(actor_email=None)
    emails = [e for e in emails if e]
    if emails:
        AuditlogEntry.objects.filter(actor_email__in=emails).update(actor_email=None)


def end_sessions(*, user_id: int) -> None:
    """Delete the user's sessions (a committee has few live sessions to look through)."""
    stale = []
    for session in Session.objects.filter(expire_date__gt=timezone.now()).iterator():
        if str(session.get_decoded().get("_auth_user_id")) == str(user_id):
            stale.append(session.session_key)
    Session.objects.filter(session_key__in=stale).delete()
