"""Triage (accept, refer, close), assignment, and the case's own fields."""

from __future__ import annotations

import re

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.access import Action, Viewer
from committees.models import Membership
from committees.roles import MembershipStatus, Role

from ..models import (
    Case,
    CaseStatus,
    LegalRequest,
    ProceedingType,
    RequestStatus,
    TeamMember,
)


def normalise_a_number(raw: str) -> str:
    """'A 012-345-678' -> '012345678'; an 8-digit number gets its leading 0."""
    digits = re.sub(r"[\s\-.]", "", (raw or "").strip()).upper().removeprefix("A")
    if not digits:
        return ""
    if not digits.isdigit() or len(digits) not in (8, 9):
        raise ValidationError(_("An A-number has 9 digits (or 8, which we pad with a 0)."))
    return digits.zfill(9)


def _lock_request(request: LegalRequest) -> LegalRequest:
    locked = LegalRequest.objects.select_for_update().get(pk=request.pk)
    if locked.status != RequestStatus.NEW:
        raise ValidationError(_("This request has already been dealt with."))
    return locked


def _legal_members(committee, membership_ids) -> list[Membership]:
    """Only vetted legal-role members of the committee can be on a case's team."""
    ids = {int(i) for i in membership_ids or ()}
    members = list(
        Membership.objects.filter(
            committee=committee,
            pk__in=ids,
            status=MembershipStatus.VETTED,
            roles__role=Role.LEGAL,
        ).distinct()
    )
    if len(members) != len(ids):
        raise ValidationError(_("Only vetted members of the legal team can be assigned."))
    return members


def _require(actor: Viewer, action: Action, obj=None) -> None:
    allowed = actor.can(action) if obj is None else actor.can(action, obj)
    if not allowed:
        raise PermissionDenied


@transaction.atomic
def request_accept(
    *,
    actor: Viewer,
    request: LegalRequest,
    team=(),
    partner_organization: str = "",
    proceeding_type: ProceedingType | None = None,
) -> Case:
    """Accept a request as a case, assigned to legal-role members and/or a partner."""
    _require(actor, Action.TRIAGE_LEGAL_REQUESTS)
    request = _lock_request(request)
    members = _legal_members(actor.committee, team)
    now = timezone.now()
    case = Case.objects.create(
        committee=actor.committee,
        request=request,
        person=request.person,
        contact=request.contact,
        urgency=request.urgency,
        partner_organization=partner_organization.strip(),
        proceeding_type=proceeding_type,
        status=CaseStatus.REFERRED
        if partner_organization.strip() and not members
        else CaseStatus.SEEKING_COUNSEL,
        opened_at=now,
    )
    TeamMember.objects.bulk_create(
        [TeamMember(case=case, membership=m, assigned_by=actor.person) for m in members]
    )
    request.status = RequestStatus.ACCEPTED
    request.decided_at, request.decided_by = now, actor.person
    request.save(update_fields=["status", "decided_at", "decided_by"])
    return case


@transaction.atomic
def request_refer(*, actor: Viewer, request: LegalRequest, partner: str, reason: str):
    _require(actor, Action.TRIAGE_LEGAL_REQUESTS)
    if not partner.strip() or not reason.strip():
        raise ValidationError(_("Name the partner organization and give a reason."))
    request = _lock_request(request)
    request.status = RequestStatus.REFERRED
    request.referred_to = partner.strip()[:150]
    request.disposition_reason = reason.strip()
    request.decided_at, request.decided_by = timezone.now(), actor.person
    request.save()
    return request


@transaction.atomic
def request_close(*, actor: Viewer, request: LegalRequest, reason: str):
    _require(actor, Action.TRIAGE_LEGAL_REQUESTS)
    if not reason.strip():
        raise ValidationError(_("Give a reason for closing the request."))
    request = _lock_request(request)
    request.status = RequestStatus.CLOSED
    request.disposition_reason = reason.strip()
    request.decided_at, request.decided_by = timezone.now(), actor.person
    request.save()
    return request


@transaction.atomic
def case_assign(*, actor: Viewer, case: Case, team=(), partner_organization: str = "") -> Case:
    """Set the case's team. Any legal-role member may assign (triage), so that a case
    whose team is away is never stuck."""
    _require(actor, Action.TRIAGE_LEGAL_REQUESTS)
    members = _legal_members(case.committee, team)
    TeamMember.objects.filter(case=case).exclude(membership__in=members).delete()
    existing = set(TeamMember.objects.filter(case=case).values_list("membership_id", flat=True))
    TeamMember.objects.bulk_create(
        [
            TeamMember(case=case, membership=m, assigned_by=actor.person)
            for m in members
            if m.pk not in existing
        ]
    )
    case.partner_organization = partner_organization.strip()[:150]
    case.save(update_fields=["partner_organization", "updated_at"])
    return case


CASE_FIELDS = (
    "status",
    "representation",
    "proceeding_type",
    "a_number",
    "detention_facility",
    "notes",
    "urgency",
)


@transaction.atomic
def case_update(*, actor: Viewer, case: Case, **fields) -> Case:
    """The team changes the case's fields (encrypted ones included)."""
    _require(actor, Action.EDIT_CASE, case)
    unknown = set(fields) - set(CASE_FIELDS)
    if unknown:
        raise ValueError(f"unknown case fields: {sorted(unknown)}")
    if "a_number" in fields:
        fields["a_number"] = normalise_a_number(fields["a_number"]) or None
    for text_field in ("detention_facility", "notes"):
        if text_field in fields:
            fields[text_field] = (fields[text_field] or "").strip() or None
    if fields.get("status") == CaseStatus.CLOSED:
        raise ValidationError(_("Close a case with its reason."))
    pt = fields.get("proceeding_type")
    if pt is not None and pt.committee_id not in (None, case.committee_id):
        raise ValidationError(_("Unknown proceeding type."))
    for name, value in fields.items():
        setattr(case, name, value)
    case.save()
    return case


@transaction.atomic
def case_close(*, actor: Viewer, case: Case, reason: str) -> Case:
    _require(actor, Action.EDIT_CASE, case)
    if not reason.strip():
        raise ValidationError(_("Give a reason for closing the case."))
    case.status = CaseStatus.CLOSED
    case.closed_at = timezone.now()
    case.close_reason = reason.strip()[:200]
    case.save()
    return case


@transaction.atomic
def proceeding_type_add(*, actor: Viewer, name_en: str, name_es: str) -> ProceedingType:
    _require(actor, Action.TRIAGE_LEGAL_REQUESTS)
    from django.utils.text import slugify

    name_en, name_es = name_en.strip(), name_es.strip() or name_en.strip()
    if not name_en:
        raise ValidationError(_("Give the proceeding type a name."))
    slug = slugify(name_en)[:40] or "type"
    kind, _created = ProceedingType.objects.get_or_create(
        committee=actor.committee, slug=slug, defaults={"name_en": name_en, "name_es": name_es}
    )
    return kind
