"""Reads for the coalition pages, scoped to the viewer's committee, with the joins
each page needs so that its query count does not grow with its rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, timedelta

from django.db.models import Count, Prefetch, Q, QuerySet
from django.utils import timezone

from committees.access import RULES, Action, Viewer, scope
from committees.models import Membership
from committees.roles import MembershipStatus
from lib.counts import counts

from .models import (
    Agency,
    Agreement287g,
    AgreementImport,
    AgreementStatus,
    Campaign,
    Commitment,
    CommitmentEvent,
    CommitmentStatus,
    FollowUp,
    Meeting,
    NeighbourFact,
    OfficeHolder,
    Partner,
    PartnerKind,
    PartnerPledge,
    VolunteerInterest,
)


def partners(*, viewer: Viewer, kind: str = "", q: str = "") -> QuerySet[Partner]:
    partners = scope(Partner.objects.all(), viewer).annotate(
        pledge_count=Count("pledges", distinct=True)
    )
    if kind:
        partners = partners.filter(kind=kind)
    if q:
        partners = partners.filter(name__icontains=q.strip())
    return partners.order_by("name", "id")


def partner_detail(*, viewer: Viewer) -> QuerySet[Partner]:
    return scope(Partner.objects.all(), viewer).prefetch_related(
        Prefetch("notes"),
        Prefetch("pledges", queryset=PartnerPledge.objects.select_related("owner__person")),
    )


def agencies(*, viewer: Viewer) -> QuerySet[Agency]:
    return (
        scope(Agency.objects.all(), viewer)
        .prefetch_related("office_holders")
        .annotate(commitment_count=Count("commitments", distinct=True))
        .order_by("name", "id")
    )


def office_holders(*, viewer: Viewer) -> QuerySet[OfficeHolder]:
    return scope(OfficeHolder.objects.all(), viewer).select_related("agency")


def commitments(*, viewer: Viewer, status: str = "") -> QuerySet[Commitment]:
    commitments = (
        scope(Commitment.objects.all(), viewer)
        .select_related("agency", "office_holder")
        .annotate(incident_count=Count("incidents", distinct=True))
    )
    if status:
        commitments = commitments.filter(status=status)
    return commitments.order_by("agency__name", "kind", "id")


def commitment_detail(*, viewer: Viewer) -> QuerySet[Commitment]:
    return (
        scope(Commitment.objects.all(), viewer)
        .select_related("agency", "office_holder", "document")
        .prefetch_related(
            Prefetch(
                "events", queryset=CommitmentEvent.objects.select_related("recorded_by__person")
            ),
            "incidents",
        )
    )


def scorecard(*, committee) -> QuerySet[Commitment]:
    """The commitments the committee chose to publish, and only those."""
    return (
        Commitment.objects.filter(committee=committee, published=True)
        .select_related("agency", "office_holder")
        .annotate(incident_count=Count("incidents", distinct=True))
        .order_by("agency__name", "kind", "id")
    )


def meetings(*, viewer: Viewer) -> QuerySet[Meeting]:
    return (
        scope(Meeting.objects.all(), viewer)
        .select_related("agency", "partner")
        .annotate(open_follow_ups=Count("follow_ups", filter=Q(follow_ups__done_at__isnull=True)))
        .order_by("-held_on", "-id")
    )


def meeting_detail(*, viewer: Viewer) -> QuerySet[Meeting]:
    return (
        scope(Meeting.objects.all(), viewer)
        .select_related("agency", "partner", "organizer__person")
        .prefetch_related(
            "attendees",
            Prefetch("follow_ups", queryset=FollowUp.objects.select_related("owner__person")),
        )
    )


def my_follow_ups(*, viewer: Viewer) -> QuerySet[FollowUp]:
    if viewer.membership is None:
        return FollowUp.objects.none()
    return (
        FollowUp.objects.filter(owner=viewer.membership, done_at__isnull=True)
        .select_related("meeting")
        .order_by("due_on", "id")
    )


def campaigns(*, viewer: Viewer) -> QuerySet[Campaign]:
    return scope(Campaign.objects.all(), viewer).select_related("body")


def campaign_detail(*, viewer: Viewer) -> QuerySet[Campaign]:
    from .models import CampaignStep, Vote

    return (
        scope(Campaign.objects.all(), viewer)
        .select_related("body")
        .prefetch_related(
            Prefetch(
                "steps",
                queryset=CampaignStep.objects.prefetch_related(
                    Prefetch("votes", queryset=Vote.objects.select_related("office_holder"))
                ),
            ),
            "actions__skill",
        )
    )


def agreements(*, viewer: Viewer, area_only: bool, profile=None) -> QuerySet[Agreement287g]:
    agreements = scope(Agreement287g.objects.all(), viewer)
    if area_only and profile is not None and profile.state:
        agreements = agreements.filter(state=profile.state)
        counties = profile.county_list()
        if counties:
            area = Q()
            for county in counties:
                area |= Q(county__iexact=county) | Q(agency_name__icontains=county)
            agreements = agreements.filter(area)
    return agreements.order_by("status", "state", "county", "agency_name", "id")


def agreement_counts(*, viewer: Viewer) -> dict:
    rows = scope(Agreement287g.objects.all(), viewer).values("status").annotate(n=Count("id"))
    counts = {s.value: 0 for s in AgreementStatus}
    counts.update({r["status"]: r["n"] for r in rows})
    return counts


def imports(*, viewer: Viewer) -> QuerySet[AgreementImport]:
    return scope(AgreementImport.objects.all(), viewer).select_related("uploaded_by__person")


def facts(*, committee) -> QuerySet[NeighbourFact]:
    return NeighbourFact.objects.filter(committee=committee)


def overview(*, viewer: Viewer) -> dict:
    """Counts for the coalition's front page and dashboard panel: a fixed handful of
    queries."""
    today = timezone.localdate()
    committee = viewer.committee
    commitment_counts = dict(
        Commitment.objects.filter(committee=committee)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )
    return {
        "commitments": commitment_counts,
        "broken": commitment_counts.get("broken", 0),
        # Four counts, one round trip (lib.counts).
        **counts(
            partners=Partner.objects.filter(committee=committee),
            campaigns=Campaign.objects.filter(committee=committee),
            overdue_follow_ups=FollowUp.objects.filter(
                meeting__committee=committee, done_at__isnull=True, due_on__lt=today
            ),
            expiring_pledges=PartnerPledge.objects.filter(
                partner__committee=committee,
                expires_on__gte=today,
                expires_on__lte=today + timedelta(days=30),
            ),
        ),
    }


def volunteer_offers(*, viewer: Viewer) -> QuerySet[VolunteerInterest]:
    """Offers to help made on the public page, newest first, with their person."""
    return (
        scope(VolunteerInterest.objects.all(), viewer)
        .select_related("person")
        .order_by("-created_at", "-id")
    )


def coalition_members(*, committee) -> QuerySet[Membership]:
    """Vetted members whose roles open the coalition part: they can see and close the
    follow-ups and pledges they own."""
    return (
        Membership.objects.filter(
            committee=committee,
            status=MembershipStatus.VETTED,
            roles__role__in=RULES[Action.VIEW_COALITION],
        )
        .distinct()
        .select_related("person")
        .order_by("person__preferred_name", "id")
    )


# --- For legal aid's impact litigation --------------------------------------------------------


@dataclass(frozen=True)
class CommitmentEvidence:
    """A commitment as evidence: who promised what, where it stands, its dated and
    sourced history, and the incidents that show it broken (ids)."""

    commitment_id: int
    agency: str
    label: str
    status: str  # label
    status_since: date
    in_writing: bool
    events: tuple[tuple[date, str, str, str], ...]  # (on, status label, note, source url)
    incident_ids: tuple[int, ...]


def commitments_for_evidence(*, committee, commitment_ids) -> dict[int, CommitmentEvidence]:
    """{commitment id: summary} in three queries whatever their number."""
    found = (
        Commitment.objects.filter(committee=committee, pk__in=list(commitment_ids))
        .select_related("agency")
        .prefetch_related(
            Prefetch("events", queryset=CommitmentEvent.objects.order_by("on", "id")), "incidents"
        )
    )
    return {
        c.pk: CommitmentEvidence(
            commitment_id=c.pk,
            agency=c.agency.name,
            label=c.label,
            status=str(c.get_status_display()),
            status_since=c.status_since,
            in_writing=c.in_writing,
            events=tuple(
                (e.on, str(e.get_status_display()), e.note, e.source_url) for e in c.events.all()
            ),
            incident_ids=tuple(sorted(i.incident_id for i in c.incidents.all())),
        )
        for c in found
    }


def broken_commitments_for_link(*, committee) -> list[tuple[int, str]]:
    """(id, "agency: commitment") of the committee's broken commitments."""
    rows = (
        Commitment.objects.filter(committee=committee, status=CommitmentStatus.BROKEN)
        .select_related("agency")
        .order_by("agency__name", "id")[:500]
    )
    return [(c.pk, f"{c.agency.name}: {c.label}") for c in rows]


def legal_partners(*, committee) -> list[tuple[int, str]]:
    """(id, name) of partners that bring lawyers: legal organizations, those taking legal
    referrals and those offering lawyers."""
    rows = Partner.objects.filter(committee=committee).only(
        "name", "kind", "offers", "takes_legal_referrals"
    )
    return [
        (p.pk, p.name)
        for p in rows.order_by("name", "id")
        if p.kind == PartnerKind.LEGAL or p.takes_legal_referrals or "lawyers" in (p.offers or ())
    ]
