"""Reads for the litigation pages, scoped to the viewer's committee, with the joins each
page needs: the matter list and a matter's page make the same number of queries with
one linked incident or a thousand."""

from __future__ import annotations

from django.db.models import Count, Prefetch, QuerySet

from committees.access import Action, Viewer, scope

from ..models import (
    Declarant,
    DeclarantConsent,
    Evidence,
    Matter,
    MatterStatusChange,
    MatterTeamMember,
)
from . import sources


def _team():
    return Prefetch(
        "team",
        queryset=MatterTeamMember.objects.select_related("membership__person").order_by(
            "added_at", "id"
        ),
    )


def matter_list(*, viewer: Viewer, status: str = "") -> QuerySet[Matter]:
    """Every matter of the committee, for those who may know they exist (coordinators
    and legal members); what each row shows is decided with `viewer.can`."""
    if not viewer.can(Action.VIEW_MATTER_STATUS):
        return Matter.objects.none()
    matters = scope(Matter.objects.all(), viewer).prefetch_related(_team())
    if status:
        matters = matters.filter(status=status)
    return matters.annotate(evidence_count=Count("evidence", distinct=True)).order_by(
        "-opened_at", "-id"
    )


def matter_for_viewer(*, viewer: Viewer) -> QuerySet[Matter]:
    return scope(Matter.objects.select_related("committee").prefetch_related(_team()), viewer)


def my_matters(*, viewer: Viewer) -> list[Matter]:
    """The matters the viewer is on the team of (to propose evidence to)."""
    if viewer.membership is None or not viewer.can(Action.EDIT_MATTER):
        return []
    return list(
        scope(Matter.objects.filter(team__membership=viewer.membership), viewer)
        .prefetch_related(_team())
        .order_by("-opened_at", "-id")
    )


def evidence_links(matter: Matter) -> list[Evidence]:
    return list(matter.evidence.select_related("proposed_by").order_by("proposed_at", "id"))


def declarants(matter: Matter) -> list[Declarant]:
    return list(
        matter.declarants.select_related("person", "evidence").prefetch_related(
            Prefetch("answers", queryset=DeclarantConsent.objects.select_related("recorded_by"))
        )
    )


def matter_page(matter: Matter) -> dict:
    """What a matter's page lists, in a fixed number of queries."""
    links = evidence_links(matter)
    found = sources.details(matter.committee, links)
    return {
        "links": links,
        "evidence": [(link, found.get((link.source_kind, link.source_id))) for link in links],
        "declarants": declarants(matter),
        "key_dates": list(matter.key_dates.order_by("done_at", "due_on", "id")),
        "documents": list(matter.documents.defer("content").select_related("uploaded_by")),
        "history": list(
            MatterStatusChange.objects.filter(matter=matter).select_related("changed_by")
        ),
    }


def declarant_for_viewer(*, viewer: Viewer) -> QuerySet[Declarant]:
    return scope(
        Declarant.objects.select_related(
            "person", "matter__committee", "evidence"
        ).prefetch_related(
            Prefetch("matter__team", queryset=MatterTeamMember.objects.all()),
            Prefetch("answers", queryset=DeclarantConsent.objects.select_related("recorded_by")),
        ),
        viewer,
    )
