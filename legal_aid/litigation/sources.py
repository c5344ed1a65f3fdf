"""What the evidence points at, read through the other parts' selectors (never their
models). Imported lazily, like `coalition.incidents`: without the rapid-response or
coalition part installed there is nothing to link, and a link's source is unknown."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from ..models import Accompaniment, AccompanimentStatus, CourtWatchReport, SourceKind


def _rapid_response():
    try:
        from rapid_response import selectors
    except ImportError:  # pragma: no cover - the part is not installed
        return None
    return selectors


def _coalition():
    try:
        from coalition import selectors
    except ImportError:  # pragma: no cover
        return None
    return selectors


@dataclass(frozen=True)
class CourtWatchEvidence:
    report_id: int
    hearing_at: datetime
    place: str
    hearing_kind: str
    result: str
    interpreter_provided: bool | None
    notes: str
    reported_at: datetime
    reporter_id: int | None
    client_id: int | None


@dataclass(frozen=True)
class AccompanimentEvidence:
    accompaniment_id: int
    hearing_at: datetime
    place: str
    hearing_kind: str
    status: str
    detained_reported_at: datetime | None
    volunteer_id: int
    client_id: int | None


def _court_watch(committee, ids) -> dict[int, CourtWatchEvidence]:
    rows = CourtWatchReport.objects.filter(
        hearing__case__committee=committee, pk__in=list(ids)
    ).select_related("hearing__case")
    return {
        r.pk: CourtWatchEvidence(
            report_id=r.pk,
            hearing_at=r.hearing.starts_at,
            place=r.hearing.place,
            hearing_kind=str(r.hearing.get_kind_display()),
            result=str(r.get_result_display()),
            interpreter_provided=r.interpreter_provided,
            notes=r.notes or "",
            reported_at=r.created_at,
            reporter_id=r.reported_by_id,
            client_id=r.hearing.case.person_id,
        )
        for r in rows
    }


def _accompaniments(committee, ids) -> dict[int, AccompanimentEvidence]:
    rows = Accompaniment.objects.filter(
        hearing__case__committee=committee, pk__in=list(ids)
    ).select_related("hearing__case")
    return {
        a.pk: AccompanimentEvidence(
            accompaniment_id=a.pk,
            hearing_at=a.hearing.starts_at,
            place=a.hearing.place,
            hearing_kind=str(a.hearing.get_kind_display()),
            status=str(a.get_status_display()),
            detained_reported_at=a.detained_reported_at,
            volunteer_id=a.person_id,
            client_id=a.hearing.case.person_id,
        )
        for a in rows
    }


def details(committee, links) -> dict[tuple[str, int], object]:
    """{(source kind, id): summary} for evidence links, one batch per kind: a constant
    number of queries however many incidents a matter links."""
    ids: dict[str, set[int]] = {kind: set() for kind in SourceKind.values}
    for link in links:
        ids[link.source_kind].add(link.source_id)
    found: dict[tuple[str, int], object] = {}

    def add(kind, summaries):
        found.update({(kind, pk): summary for pk, summary in summaries.items()})

    rapid, coalition = _rapid_response(), _coalition()
    if ids[SourceKind.INCIDENT] and rapid is not None:
        add(
            SourceKind.INCIDENT,
            rapid.incidents_for_evidence(committee=committee, incident_ids=ids["incident"]),
        )
    if ids[SourceKind.COMMITMENT] and coalition is not None:
        add(
            SourceKind.COMMITMENT,
            coalition.commitments_for_evidence(
                committee=committee, commitment_ids=ids["commitment"]
            ),
        )
    if ids[SourceKind.COURT_WATCH]:
        add(SourceKind.COURT_WATCH, _court_watch(committee, ids["court_watch"]))
    if ids[SourceKind.ACCOMPANIMENT]:
        add(SourceKind.ACCOMPANIMENT, _accompaniments(committee, ids["accompaniment"]))
    return found


@dataclass(frozen=True)
class Link:
    source_kind: str
    source_id: int


def exists(committee, kind: str, source_id: int) -> bool:
    return (kind, int(source_id)) in details(committee, [Link(kind, int(source_id))])


def choices(committee, kind: str) -> list[tuple[int, str]]:
    """What a team member can propose, per kind: (id, label without people)."""
    from django.utils import timezone
    from django.utils.formats import date_format

    def when(moment):
        return date_format(timezone.localtime(moment), "SHORT_DATE_FORMAT")

    if kind == SourceKind.INCIDENT:
        rapid = _rapid_response()
        return rapid.incidents_for_link(committee=committee) if rapid else []
    if kind == SourceKind.COMMITMENT:
        coalition = _coalition()
        return coalition.broken_commitments_for_link(committee=committee) if coalition else []
    if kind == SourceKind.COURT_WATCH:
        rows = (
            CourtWatchReport.objects.filter(hearing__case__committee=committee)
            .select_related("hearing")
            .order_by("-created_at")[:500]
        )
        return [
            (r.pk, f"{when(r.hearing.starts_at)} · {r.hearing.place} · {r.get_result_display()}")
            for r in rows
        ]
    rows = (
        Accompaniment.objects.filter(hearing__case__committee=committee)
        .exclude(status=AccompanimentStatus.CANCELLED)
        .select_related("hearing")
        .order_by("-hearing__starts_at")[:500]
    )
    return [(a.pk, f"{when(a.hearing.starts_at)} · {a.hearing.place}") for a in rows]


def witnesses(committee, links) -> dict[int, list[tuple[int, str]]]:
    """{evidence link id: [(person id, how they were there)]} of the people who could
    speak to each source: the observers and confirmers of an incident, the reporter of
    a court-watch form, the accompanier, and the person whose hearing it was. A
    constant number of queries for any number of links."""
    links = list(links)
    incident_ids = [k.source_id for k in links if k.source_kind == SourceKind.INCIDENT]
    rapid = _rapid_response()
    at_incidents = (
        rapid.incident_witnesses(committee=committee, incident_ids=incident_ids)
        if rapid is not None and incident_ids
        else {}
    )
    found = details(committee, [k for k in links if k.source_kind != SourceKind.INCIDENT])
    result: dict[int, list[tuple[int, str]]] = {}
    for link in links:
        if link.source_kind == SourceKind.INCIDENT:
            result[link.pk] = at_incidents.get(link.source_id, [])
            continue
        summary = found.get((link.source_kind, link.source_id))
        people: list[tuple[int, str]] = []
        if isinstance(summary, CourtWatchEvidence):
            if summary.reporter_id:
                people.append((summary.reporter_id, "court_watcher"))
            if summary.client_id:
                people.append((summary.client_id, "client"))
        elif isinstance(summary, AccompanimentEvidence):
            people.append((summary.volunteer_id, "accompanier"))
            if summary.client_id:
                people.append((summary.client_id, "client"))
        seen: set[int] = set()
        result[link.pk] = [(p, r) for p, r in people if not (p in seen or seen.add(p))]
    return result


def legal_partners(committee) -> list[tuple[int, str]]:
    coalition = _coalition()
    return coalition.legal_partners(committee=committee) if coalition else []
