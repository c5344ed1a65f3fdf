"""Retention: closed cases lose their contents after the committee's period (default a
year); only what the reports count stays (urgency, status, proceeding, dates, hearing
types and outcomes). Erasing a person follows the same path for their cases."""

from __future__ import annotations

from datetime import datetime, timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from committees.access import Action, Viewer

from ..models import (
    Accompaniment,
    Case,
    CaseStatus,
    CourtWatchReport,
    Document,
    Hearing,
    HearingChange,
    LegalAidSettings,
    LegalRequest,
)
from ..models.cases import DEFAULT_RETENTION_DAYS


def settings_for(committee) -> LegalAidSettings:
    """The committee's settings, or the defaults (unsaved): reading writes nothing."""
    found = LegalAidSettings.objects.filter(committee=committee).first()
    return found or LegalAidSettings(committee=committee)


@transaction.atomic
def settings_update(*, actor: Viewer, retention_days: int, team_phone: str) -> LegalAidSettings:
    from django.core.exceptions import PermissionDenied, ValidationError
    from django.utils.translation import gettext as _

    if not actor.can(Action.MANAGE_LEGAL_SETTINGS):
        raise PermissionDenied
    if not 30 <= retention_days <= 10 * 365:
        raise ValidationError(_("Keep closed cases between 30 days and 10 years."))
    found, _created = LegalAidSettings.objects.get_or_create(committee=actor.committee)
    found.retention_days = retention_days
    found.team_phone = (team_phone or "").strip()[:32]
    found.save()
    return found


def _purge(case_ids: list[int], now: datetime) -> int:
    if not case_ids:
        return 0
    Document.objects.filter(case_id__in=case_ids).delete()
    CourtWatchReport.objects.filter(hearing__case_id__in=case_ids).update(
        notes=None, reported_by=None
    )
    HearingChange.objects.filter(hearing__case_id__in=case_ids).update(
        reason="", changed_by=None, old_place="", new_place=""
    )
    Hearing.objects.filter(case_id__in=case_ids).update(judge="", meeting_point="", place="")
    Accompaniment.objects.filter(hearing__case_id__in=case_ids).delete()
    request_ids = list(
        Case.objects.filter(pk__in=case_ids, request__isnull=False).values_list(
            "request_id", flat=True
        )
    )
    LegalRequest.objects.filter(pk__in=request_ids).update(
        person=None, contact=None, note=None, disposition_reason=None, referred_to=""
    )
    return Case.objects.filter(pk__in=case_ids).update(
        person=None,
        contact=None,
        a_number=None,
        detention_facility=None,
        notes=None,
        partner_organization="",
        close_reason="",
        purged_at=now,
    )


def cases_purge(*, now: datetime | None = None, limit: int = 1000) -> int:
    """Purge closed cases past their committee's retention period. Idempotent."""
    now = now or timezone.now()
    periods = dict(LegalAidSettings.objects.values_list("committee_id", "retention_days"))
    candidates = Case.objects.filter(
        status=CaseStatus.CLOSED, purged_at__isnull=True, closed_at__isnull=False
    ).values_list("pk", "committee_id", "closed_at")[: limit * 10]
    due = [
        pk
        for pk, committee_id, closed_at in candidates
        if closed_at <= now - timedelta(days=periods.get(committee_id, DEFAULT_RETENTION_DAYS))
    ][:limit]
    with transaction.atomic():
        return _purge(due, now)


def closed_requests_purge(*, now: datetime | None = None) -> int:
    """Referred and closed requests (never cases) keep no names or notes after the
    default period either. Idempotent."""
    now = now or timezone.now()
    return (
        LegalRequest.objects.filter(
            ~Q(status="new"),
            case__isnull=True,
            decided_at__lte=now - timedelta(days=DEFAULT_RETENTION_DAYS),
        )
        .exclude(person=None, contact=None)
        .update(person=None, contact=None, note=None, disposition_reason=None)
    )


def person_forget(*, person) -> None:
    """Erasure hook: the person's cases lose their contents as in a purge; their
    requests and accompaniments go; a team seat or a report keeps no trace of them."""
    now = timezone.now()
    _purge(list(Case.objects.filter(person=person).values_list("pk", flat=True)), now)
    Case.objects.filter(contact=person).update(contact=None)
    LegalRequest.objects.filter(Q(person=person) | Q(contact=person)).update(
        person=None, contact=None, note=None
    )
    Accompaniment.objects.filter(person=person).delete()
    CourtWatchReport.objects.filter(reported_by=person).update(reported_by=None)
    from ..models import TeamMember

    TeamMember.objects.filter(membership__person=person).delete()
