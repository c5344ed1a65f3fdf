"""Impact litigation: matters, their lawyers' group, key dates (with reminders to the
team) and documents (stored encrypted like a case's)."""

from __future__ import annotations

import base64
from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.access import Action, Viewer
from members import audit

from ..litigation import messaging, sources
from ..models import (
    ClaimKind,
    CounselRole,
    KeyDate,
    KeyDateKind,
    Matter,
    MatterDocument,
    MatterDocumentKind,
    MatterStatus,
    MatterStatusChange,
    MatterTeamMember,
)
from .cases import _legal_members, _require
from .documents import EXTENSIONS, MAX_BYTES, _sniff

# Once a complaint is filed, the court gave it a number.
FILED_STATUSES = frozenset(
    {MatterStatus.FILED, MatterStatus.DISCOVERY, MatterStatus.DECIDED, MatterStatus.APPEAL}
)
MATTER_FIELDS = ("public_name", "claim_kind", "claim", "parties", "court", "case_number")


def _clean(fields: dict) -> dict:
    cleaned = {k: (v.strip() if isinstance(v, str) else v) for k, v in fields.items()}
    if "public_name" in cleaned and not cleaned["public_name"]:
        raise ValidationError(_("Give the matter a name the committee may see."))
    if "claim_kind" in cleaned and cleaned["claim_kind"] not in ClaimKind.values:
        raise ValidationError(_("Choose the kind of claim."))
    for name in ("claim", "parties"):
        if name in cleaned:
            cleaned[name] = cleaned[name] or None
    return cleaned


@transaction.atomic
def matter_open(*, actor: Viewer, team=(), **fields) -> Matter:
    """Open a matter (investigating). The legal member who opens it is its lead
    counsel; `team` adds other legal-role members of the committee."""
    _require(actor, Action.OPEN_MATTER)
    fields = _clean({k: v for k, v in fields.items() if k in MATTER_FIELDS})
    matter = Matter.objects.create(committee=actor.committee, opened_by=actor.person, **fields)
    others = [m for m in _legal_members(actor.committee, team) if m.pk != actor.membership.pk]
    MatterTeamMember.objects.bulk_create(
        [
            MatterTeamMember(
                matter=matter,
                membership=actor.membership,
                role=CounselRole.LEAD,
                added_by=actor.person,
            ),
            *(MatterTeamMember(matter=matter, membership=m, added_by=actor.person) for m in others),
        ]
    )
    return matter


@transaction.atomic
def matter_update(*, actor: Viewer, matter: Matter, status: str | None = None, **fields) -> Matter:
    """Change the matter's fields; a new status is dated and kept in its history."""
    _require(actor, Action.EDIT_MATTER, matter)
    unknown = set(fields) - set(MATTER_FIELDS)
    if unknown:
        raise ValueError(f"unknown matter fields: {sorted(unknown)}")
    fields = _clean(fields)
    for name, value in fields.items():
        setattr(matter, name, value)
    if status and status not in MatterStatus.values:
        raise ValidationError(_("Choose a status."))
    if status in FILED_STATUSES and not matter.case_number:
        raise ValidationError(_("Give the court's case number once the complaint is filed."))
    if status and status != matter.status:
        today = timezone.localdate()
        MatterStatusChange.objects.create(
            matter=matter,
            old_status=matter.status,
            new_status=status,
            on=today,
            changed_by=actor.person,
        )
        matter.status, matter.status_since = status, today
    matter.save()
    return matter


@transaction.atomic
def matter_team_add(
    *, actor: Viewer, matter: Matter, membership_id=None, role: str = CounselRole.CO_COUNSEL
) -> MatterTeamMember:
    """Seat a legal-role member of the committee on the matter's team."""
    _require(actor, Action.EDIT_MATTER, matter)
    if role not in CounselRole.values:
        raise ValidationError(_("Choose a role."))
    (member,) = _legal_members(matter.committee, [membership_id])
    if MatterTeamMember.objects.filter(matter=matter, membership=member).exists():
        raise ValidationError(_("Already on the team."))
    return MatterTeamMember.objects.create(
        matter=matter, membership=member, role=role, added_by=actor.person
    )


@transaction.atomic
def matter_partner_attorney_add(
    *,
    actor: Viewer,
    matter: Matter,
    partner_id: int,
    name: str,
    email: str = "",
    role: str = CounselRole.CO_COUNSEL,
) -> MatterTeamMember:
    """An attorney of a partner legal organization (coalition). They have no account:
    the team reaches them outside the app; the packet is what they are sent."""
    _require(actor, Action.EDIT_MATTER, matter)
    partners = dict(sources.legal_partners(matter.committee))
    if int(partner_id) not in partners:
        raise ValidationError(_("Choose one of the coalition's legal partners."))
    if not (name or "").strip():
        raise ValidationError(_("Give the attorney's name."))
    if role not in CounselRole.values:
        raise ValidationError(_("Choose a role."))
    return MatterTeamMember.objects.create(
        matter=matter,
        partner_id=int(partner_id),
        partner_name=partners[int(partner_id)][:150],
        name=name.strip()[:120],
        email=(email or "").strip().lower()[:254] or None,
        role=role,
        added_by=actor.person,
    )


@transaction.atomic
def matter_team_remove(*, actor: Viewer, seat: MatterTeamMember) -> None:
    """A matter always keeps one committee member on its team: without one, nobody
    could open it again."""
    matter = Matter.objects.select_for_update().get(pk=seat.matter_id)
    matter = Matter.objects.prefetch_related("team").get(pk=matter.pk)
    _require(actor, Action.EDIT_MATTER, matter)
    members = [s for s in matter.team.all() if s.membership_id is not None]
    if seat.membership_id is not None and len(members) <= 1:
        raise ValidationError(_("A matter keeps at least one committee member on its team."))
    seat.delete()


@transaction.atomic
def key_date_add(
    *,
    actor: Viewer,
    matter: Matter,
    kind: str,
    due_on: date,
    label: str = "",
    remind_days_before: int = 7,
) -> KeyDate:
    _require(actor, Action.EDIT_MATTER, matter)
    if kind not in KeyDateKind.values:
        raise ValidationError(_("Choose the kind of date."))
    today = timezone.localdate()
    if not today - timedelta(days=5 * 365) <= due_on <= today + timedelta(days=5 * 365):
        raise ValidationError(_("That date is too far from today. Check the year."))
    if not 0 <= int(remind_days_before) <= 90:
        raise ValidationError(_("Remind between 0 and 90 days before."))
    return KeyDate.objects.create(
        matter=matter,
        kind=kind,
        due_on=due_on,
        label=(label or "").strip()[:200],
        remind_days_before=int(remind_days_before),
    )


@transaction.atomic
def key_date_done(*, actor: Viewer, key_date: KeyDate) -> KeyDate:
    _require(actor, Action.EDIT_MATTER, key_date.matter)
    if key_date.done_at is None:
        key_date.done_at, key_date.done_by = timezone.now(), actor.person
        key_date.save(update_fields=["done_at", "done_by"])
    return key_date


def key_date_reminders_send(*, today: date | None = None, limit: int = 500) -> int:
    """Remind each committee member on the team, in their language and through the
    outbox, of a date `remind_days_before` ahead; once per due date (a date moved later
    reminds again). Safe to run twice or late: the row is locked and re-checked."""
    today = today or timezone.localdate()
    due = (
        KeyDate.objects.filter(
            done_at__isnull=True, due_on__gte=today, due_on__lte=today + timedelta(days=90)
        )
        .exclude(reminded_for=F("due_on"))
        .values_list("pk", "due_on", "remind_days_before")[: limit * 4]
    )
    sent = 0
    for key_date_id, due_on, days in list(due):
        if due_on - timedelta(days=days) <= today:
            sent += _remind(key_date_id, today)
    return sent


@transaction.atomic
def _remind(key_date_id: int, today: date) -> int:
    key_date = (
        KeyDate.objects.select_for_update(of=("self",))
        .select_related("matter__committee")
        .get(pk=key_date_id)
    )
    if key_date.done_at is not None or key_date.reminded_for == key_date.due_on:
        return 0
    if key_date.due_on < today:
        return 0
    seats = MatterTeamMember.objects.filter(
        matter=key_date.matter, membership__isnull=False
    ).select_related("membership__person__committee")
    people = {s.membership.person_id: s.membership.person for s in seats}
    for person in people.values():
        messaging.send_key_date_reminder(key_date, person)
    key_date.reminded_for = key_date.due_on
    key_date.save(update_fields=["reminded_for"])
    return len(people)


# --- Documents -------------------------------------------------------------------------


@transaction.atomic
def matter_document_upload(*, actor: Viewer, matter: Matter, kind: str, upload) -> MatterDocument:
    _require(actor, Action.EDIT_MATTER, matter)
    if kind not in MatterDocumentKind.values:
        raise ValidationError(_("Choose the kind of document."))
    if upload.size > MAX_BYTES:
        raise ValidationError(_("The file is too big (4 MB at most)."))
    raw = upload.read(MAX_BYTES + 1)
    if len(raw) > MAX_BYTES:
        raise ValidationError(_("The file is too big (4 MB at most)."))
    content_type = _sniff(raw[:16])
    if content_type is None:
        raise ValidationError(_("Upload a PDF, JPEG or PNG file."))
    document = MatterDocument.objects.create(
        matter=matter,
        kind=kind,
        filename=(upload.name or "document").rsplit("/", 1)[-1][:150],
        content_type=content_type,
        size=len(raw),
        content=base64.b64encode(raw).decode(),
        uploaded_by=actor.person,
    )
    audit.audit_record(viewer=actor, kind="legal_aid.matter_document_uploaded", target=document)
    return document


def matter_document_read(*, actor: Viewer, document: MatterDocument) -> tuple[bytes, str, str]:
    _require(actor, Action.VIEW_MATTER, document.matter)
    audit.audit_record(viewer=actor, kind="legal_aid.matter_document_viewed", target=document)
    filename = f"matter-{document.matter_id}-{document.pk}.{EXTENSIONS[document.content_type]}"
    return base64.b64decode(document.content), document.content_type, filename
