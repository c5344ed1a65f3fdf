"""Reads for committee screens, already scoped to what the viewer may see."""

from django.db.models import Count, Prefetch, Q, QuerySet

from .access import Viewer, scope
from .models import Invitation, Membership, MembershipRole, Zone
from .roles import MembershipStatus


def membership_list(*, viewer: Viewer, status: str | None = None, query: str = "") -> QuerySet:
    memberships = (
        scope(Membership.objects.all(), viewer)
        .select_related("person", "vouched_by__person", "approved_by__person")
        .prefetch_related(Prefetch("roles", queryset=MembershipRole.objects.order_by("role")))
        .order_by("person__preferred_name", "id")
    )
    if status:
        memberships = memberships.filter(status=status)
    if query:
        memberships = memberships.filter(
            Q(person__preferred_name__icontains=query) | Q(person__full_name__icontains=query)
        )
    return memberships


def newcomers_awaiting_vetting(*, viewer: Viewer) -> QuerySet:
    return membership_list(viewer=viewer, status=MembershipStatus.PROBATIONARY).order_by(
        "joined_at", "id"
    )


def membership_counts(*, viewer: Viewer) -> dict:
    counts = scope(Membership.objects.all(), viewer).aggregate(
        vetted=Count("id", filter=Q(status=MembershipStatus.VETTED)),
        probationary=Count("id", filter=Q(status=MembershipStatus.PROBATIONARY)),
        suspended=Count("id", filter=Q(status=MembershipStatus.SUSPENDED)),
    )
    return counts


def invitation_list(*, viewer: Viewer) -> QuerySet:
    return scope(Invitation.objects.all(), viewer).select_related("created_by__person", "used_by")


def zone_list(*, viewer: Viewer) -> QuerySet:
    return scope(Zone.objects.all(), viewer).order_by("name")
