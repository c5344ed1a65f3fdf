"""Reads for legal aid's pages and for other apps' hand-offs, scoped to the viewer,
with the joins each page needs so that its query count does not grow with its rows."""

from __future__ import annotations

import difflib
from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db import connection
from django.db.models import Case as When_
from django.db.models import IntegerField, Prefetch, Q, QuerySet, Value, When
from django.utils import timezone

from committees.access import Action, Viewer, scope
from members.text import search_key

from .models import (
    Accompaniment,
    AccompanimentStatus,
    Case,
    CaseStatus,
    DeadlineTask,
    Hearing,
    HearingStatus,
    LegalRequest,
    RequestStatus,
    TeamMember,
    Urgency,
)
from .models.cases import OPEN_CASE_STATUSES
from .models.hearings import UPCOMING_STATUSES

URGENCY_ORDER = When_(
    When(urgency=Urgency.DETAINED, then=Value(0)),
    When(urgency=Urgency.HEARING_SOON, then=Value(1)),
    default=Value(2),
    output_field=IntegerField(),
)
CONFLICT_THRESHOLD = 0.8
COLUMNS = (
    "pk",
    "person__search_name",
    "contact__search_name",
    "person__preferred_name",
    "contact__preferred_name",
)


# --- Triage ---------------------------------------------------------------------------------


def triage_queue(*, viewer: Viewer) -> QuerySet:
    """Requests waiting for a decision: detained now first, then the longest waiting."""
    if not viewer.can(Action.VIEW_LEGAL_QUEUE):
        return LegalRequest.objects.none()
    return (
        scope(LegalRequest.objects.filter(status=RequestStatus.NEW), viewer)
        .select_related("person", "contact")
        .annotate(rank=URGENCY_ORDER)
        .order_by("rank", "received_at", "id")
    )


def request_for_triage(*, viewer: Viewer) -> QuerySet:
    return scope(LegalRequest.objects.select_related("person", "contact", "committee"), viewer)


def legal_members(*, committee) -> QuerySet:
    from committees.models import Membership
    from committees.roles import MembershipStatus, Role

    return (
        Membership.objects.filter(
            committee=committee, status=MembershipStatus.VETTED, roles__role=Role.LEGAL
        )
        .select_related("person")
        .distinct()
        .order_by("person__preferred_name", "id")
    )


# --- Conflict check ---------------------------------------------------------------------


@dataclass(frozen=True)
class Conflict:
    case_id: int
    name: str
    similarity: int  # percent


def _similarity(a: str, b: str) -> float:
    """The better of the folded names as typed and with their words sorted (so that
    "Rosa Martinez" meets "Martinez Rosa")."""
    plain = difflib.SequenceMatcher(None, a, b).ratio()
    ordered = difflib.SequenceMatcher(
        None, " ".join(sorted(a.split())), " ".join(sorted(b.split()))
    )
    return max(plain, ordered.ratio())


def conflicts(*, committee, name: str, exclude_case_id=None, limit: int = 10) -> list[Conflict]:
    """Cases of the committee whose client or contact has a name ≥ 80% similar.

    Runs on `Person.search_name` (plaintext, accent-folded, already indexed with
    trigrams on PostgreSQL): nothing encrypted is decrypted. PostgreSQL narrows the
    candidates with `pg_trgm` similarity; the final score is difflib's ratio on both
    databases, so the threshold means the same everywhere."""
    key = search_key(name)
    if not key:
        return []
    cases = Case.objects.filter(committee=committee, purged_at__isnull=True)
    if exclude_case_id:
        cases = cases.exclude(pk=exclude_case_id)
    rows = cases.values_list(*COLUMNS)
    if connection.vendor == "postgresql":
        from django.contrib.postgres.search import TrigramSimilarity

        rows = (
            cases.annotate(
                sim=TrigramSimilarity("person__search_name", key),
                sim_contact=TrigramSimilarity("contact__search_name", key),
            )
            .filter(Q(sim__gte=0.3) | Q(sim_contact__gte=0.3))
            .values_list(*COLUMNS)[:500]
        )
    found = []
    for case_id, person_key, contact_key, person_name, contact_name in rows.iterator():
        scores = [(_similarity(key, k) if k else 0.0, n) for k, n in
                  ((person_key, person_name), (contact_key, contact_name))]  # fmt: skip
        best, shown = max(scores, key=lambda pair: pair[0])
        if best >= CONFLICT_THRESHOLD:
            found.append((case_id, shown, best))
    found.sort(key=lambda row: (-row[2], row[0]))
    return [Conflict(case_id=c, name=n, similarity=round(s * 100)) for c, n, s in found[:limit]]


# --- Cases ----------------------------------------------------------------------------------


def _team_prefetch():
    return Prefetch(
        "team_members", queryset=TeamMember.objects.select_related("membership__person")
    )


def case_list(*, viewer: Viewer, closed: bool = False) -> QuerySet:
    """Cases the viewer may list: legal-role members (names) and coordinators (status
    and urgency only; the template decides what it shows through `viewer.can`)."""
    if not viewer.can(Action.VIEW_CASE_STATUS):
        return Case.objects.none()
    statuses = [CaseStatus.CLOSED] if closed else list(OPEN_CASE_STATUSES)
    return (
        scope(Case.objects.filter(status__in=statuses), viewer)
        .select_related("person", "proceeding_type")
        .prefetch_related(_team_prefetch())
        .annotate(rank=URGENCY_ORDER)
        .order_by("rank", "-opened_at", "-id")
    )


def case_for_viewer(*, viewer: Viewer) -> QuerySet:
    return scope(
        Case.objects.select_related(
            "person", "contact", "proceeding_type", "committee", "request"
        ).prefetch_related(_team_prefetch()),
        viewer,
    )


def case_page(case: Case) -> dict:
    """What the case page lists, in a fixed number of queries."""
    hearings = list(
        case.hearings.prefetch_related(
            Prefetch(
                "accompaniments",
                queryset=Accompaniment.objects.select_related("person").order_by("id"),
            ),
            "changes",
        ).order_by("starts_at")
    )
    return {
        "hearings": hearings,
        "deadlines": list(case.deadlines.select_related("hearing").order_by("done_at", "due_on")),
        "documents": list(case.documents.defer("content").order_by("-uploaded_at")),
    }


def my_cases_count(*, viewer: Viewer) -> int:
    if viewer.membership is None:
        return 0
    return TeamMember.objects.filter(
        membership=viewer.membership, case__status__in=list(OPEN_CASE_STATUSES)
    ).count()


# --- Hearings -------------------------------------------------------------------------------


def hearing_calendar(*, viewer: Viewer, start: datetime, days: int = 14) -> QuerySet:
    """Hearings in [start, start + days) of the cases the viewer may see."""
    if not viewer.can(Action.VIEW_CASE_STATUS):
        return Hearing.objects.none()
    return (
        scope(
            Hearing.objects.filter(
                starts_at__gte=start,
                starts_at__lt=start + timedelta(days=days),
                case__purged_at__isnull=True,
            ),
            viewer,
        )
        .exclude(status=HearingStatus.CANCELLED)
        .select_related("case__person")
        .prefetch_related(
            Prefetch(
                "accompaniments",
                queryset=Accompaniment.objects.filter(status=AccompanimentStatus.ACCEPTED),
                to_attr="going",
            )
        )
        .order_by("starts_at", "id")
    )


def open_deadlines(*, viewer: Viewer) -> QuerySet:
    """Deadlines of the cases the viewer is on the team of."""
    if viewer.membership is None:
        return DeadlineTask.objects.none()
    return (
        DeadlineTask.objects.filter(
            done_at__isnull=True, case__team_members__membership=viewer.membership
        )
        .select_related("case", "hearing")
        .order_by("due_on", "id")
    )


def my_accompaniments(*, viewer: Viewer) -> QuerySet:
    if viewer.person is None:
        return Accompaniment.objects.none()
    return (
        Accompaniment.objects.filter(
            person=viewer.person,
            hearing__status__in=list(UPCOMING_STATUSES),
            hearing__starts_at__gte=timezone.now() - timedelta(hours=12),
        )
        .exclude(status=AccompanimentStatus.CANCELLED)
        .select_related("hearing__case__person", "hearing__case__committee")
        .order_by("hearing__starts_at", "id")
    )


def accompaniment_for_viewer(*, viewer: Viewer) -> QuerySet:
    return scope(
        Accompaniment.objects.select_related("hearing__case__person", "hearing__case__committee"),
        viewer,
    )


# --- Hand-offs to other apps (see PLUGPOINTS.md) ---------------------------------------------


@dataclass(frozen=True)
class CaseSummary:
    case_id: int
    person_id: int | None
    person_first_name: str
    status: str
    next_hearing_at: datetime | None
    next_hearing_kind: str
    detention_facility_known: bool


@dataclass(frozen=True)
class HearingSummary:
    hearing_id: int
    case_id: int
    starts_at: datetime
    kind: str
    status: str  # scheduled / moved / held / missed
    outcome: str


def case_summary(*, case_id: int, committee) -> CaseSummary | None:
    """For the bond fund: no sensitive fields (the facility's existence, not its name)."""
    case = (
        Case.objects.filter(pk=case_id, committee=committee, purged_at__isnull=True)
        .select_related("person")
        .first()
    )
    if case is None:
        return None
    upcoming = (
        case.hearings.filter(status__in=list(UPCOMING_STATUSES), starts_at__gt=timezone.now())
        .order_by("starts_at")
        .first()
    )
    return CaseSummary(
        case_id=case.pk,
        person_id=case.person_id,
        person_first_name=case.first_name,
        status=case.status,
        next_hearing_at=upcoming.starts_at if upcoming else None,
        next_hearing_kind=upcoming.kind if upcoming else "",
        detention_facility_known=bool(case.detention_facility),
    )


def hearings_for_cases(*, case_ids: list[int]) -> dict[int, list[HearingSummary]]:
    result: dict[int, list[HearingSummary]] = {int(c): [] for c in case_ids}
    for h in Hearing.objects.filter(case_id__in=list(result)).order_by("starts_at", "id"):
        status = h.status if h.status != HearingStatus.CANCELLED else HearingStatus.MISSED
        result[h.case_id].append(
            HearingSummary(
                hearing_id=h.pk,
                case_id=h.case_id,
                starts_at=h.starts_at,
                kind=h.kind,
                status=status,
                outcome=h.outcome,
            )
        )
    return result


def cases_for_bond_choice(*, viewer: Viewer) -> list[tuple[int, str]]:
    """Open cases a bond can be asked for, labelled without surname or A-number: for the
    legal team, and for those who may ask the bond fund (treasurers and coordinators
    choose the case the legal team named; they see no contents)."""
    if not (
        viewer.can(Action.VIEW_CASE)
        or viewer.can(Action.REQUEST_BOND)
        or viewer.can(Action.HANDOFF_BOND)
    ):
        return []
    cases = scope(
        Case.objects.filter(status__in=list(OPEN_CASE_STATUSES)).select_related("person"),
        viewer,
    ).order_by("-opened_at", "-id")[:500]
    return [(c.pk, f"#{c.pk} · {c.first_name or '—'}") for c in cases]
