"""Reads for committee screens, already scoped to what the viewer may see."""

from django.core.cache import cache
from django.db.models import Count, Prefetch, Q, QuerySet

from .access import Viewer, scope
from .models import Invitation, Membership, MembershipRole, Vouch, Zone
from .roles import MembershipStatus


def membership_list(*, viewer: Viewer, status: str | None = None, query: str = "") -> QuerySet:
    memberships = (
        scope(Membership.objects.all(), viewer)
        .select_related("person", "vouched_by__person", "approved_by__person")
        .prefetch_related(
            Prefetch("roles", queryset=MembershipRole.objects.order_by("role")),
            Prefetch("vouches", queryset=Vouch.objects.select_related("voucher__person")),
        )
        .order_by("person__preferred_name", "id")
    )
    if status:
        memberships = memberships.filter(status=status)
    query = (query or "").replace("\x00", "").strip()  # PostgreSQL refuses NUL bytes
    if query:
        memberships = memberships.filter(
            Q(person__preferred_name__icontains=query) | Q(person__full_name__icontains=query)
        )
    return memberships


def newcomers_awaiting_vetting(*, viewer: Viewer) -> QuerySet:
    return membership_list(viewer=viewer, status=MembershipStatus.PROBATIONARY).order_by(
        "joined_at", "id"
    )


def newcomers_for_panel(*, viewer: Viewer, limit: int = 5) -> list[dict]:
    """The dashboard's first few newcomers on probation (oldest first) as plain values:
    name, when they joined and whether someone vouched. One query on the
    (committee, status, joined_at, id) index, no model instances (whose encrypted contact
    fields would be decrypted for nothing) and none of the list page's prefetches."""
    rows = (
        scope(Membership.objects.all(), viewer)
        .filter(status=MembershipStatus.PROBATIONARY)
        .order_by("joined_at", "id")
        .values("id", "joined_at", "vouched_by_id", "person__preferred_name")[:limit]
    )
    return [
        {
            "id": row["id"],
            "preferred_name": row["person__preferred_name"],
            "joined_at": row["joined_at"],
            "vouched": row["vouched_by_id"] is not None,
        }
        for row in rows
    ]


def membership_counts_cache_key(committee_id: int) -> str:
    return f"committees:membership-counts:{committee_id}"


def membership_counts(*, viewer: Viewer) -> dict:
    """{status: count} for the viewer's committee.

    Counting a city-wide network's memberships on every dashboard view costs tens of
    milliseconds, so the answer is cached for a minute; the services that change a
    status drop the cached answer at once (`membership_counts_forget`).
    """
    if viewer.committee is None:
        return dict.fromkeys(MembershipStatus.values, 0)
    key = membership_counts_cache_key(viewer.committee.pk)
    counts = cache.get(key)
    if counts is None:
        counts = dict.fromkeys(MembershipStatus.values, 0)
        rows = (
            scope(Membership.objects.all(), viewer)
            .order_by()
            .values_list("status")
            .annotate(n=Count("*"))
        )
        counts.update(dict(rows))
        cache.set(key, counts, 60)
    return counts


def membership_counts_forget(committee_id: int) -> None:
    cache.delete(membership_counts_cache_key(committee_id))


def invitation_list(*, viewer: Viewer) -> QuerySet:
    return scope(Invitation.objects.all(), viewer).select_related("created_by__person", "used_by")


def zone_list(*, viewer: Viewer) -> QuerySet:
    return scope(Zone.objects.all(), viewer).order_by("name")
