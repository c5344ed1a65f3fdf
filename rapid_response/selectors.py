"""Reads for the rapid-response pages, scoped to the viewer's committee, with the joins
each page needs so that a page's query count does not grow with its rows."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.db.models import Count, Exists, Max, OuterRef, Prefetch, Q
from django.utils import timezone
from django.utils.formats import date_format

from committees.access import Viewer, scope
from committees.models import MembershipRole
from committees.roles import MembershipStatus, Role
from members.consent import Channel, Purpose
from members.models import Person, TrainingKind, TrainingRecord
from notifications.selectors import reachable

from .models import (
    Agency,
    Alert,
    AlertRecipient,
    DispatcherShift,
    Incident,
    IncidentStatus,
    Report,
)

# Trainings that qualify someone to confirm a report and to answer an alert.
QUALIFYING_TRAININGS = (TrainingKind.RAPID_RESPONDER, TrainingKind.LEGAL_OBSERVER)


def trained_responders(committee, *, zone_ids):
    """Vetted members with the responder role and a rapid-responder or legal-observer
    training, living in one of `zone_ids`. Probationary, suspended, untrained and
    erased people are never in it."""
    # Driven from the zones' people (a few hundred or thousand), not from everyone in
    # the committee.
    in_zones = Person.zones.through.objects.filter(zone_id__in=list(zone_ids)).values("person_id")
    return Person.objects.filter(
        Exists(
            MembershipRole.objects.filter(membership__person_id=OuterRef("pk"), role=Role.RESPONDER)
        ),
        Exists(
            TrainingRecord.objects.filter(person_id=OuterRef("pk"), kind__in=QUALIFYING_TRAININGS)
        ),
        pk__in=in_zones,
        committee=committee,
        erased_at__isnull=True,
        membership__status=MembershipStatus.VETTED,
    )


def alert_recipients(committee, *, zone_ids):
    """Who an alert to `zone_ids` goes to: trained responders the outbox can reach with
    a raid alert (consent by SMS, a number that has not opted out or bounced), by the
    outbox's own rule, so that the count shown before sending is what is written."""
    return reachable(
        trained_responders(committee, zone_ids=zone_ids),
        purpose=Purpose.RAID_ALERTS,
        channel=Channel.SMS,
    )


# --- Pages ---------------------------------------------------------------------------------


def inbox(*, viewer: Viewer):
    """Open incidents, newest first, with what the inbox row shows."""
    return (
        scope(Incident.objects.all(), viewer)
        .filter(closed_at__isnull=True)
        .select_related("zone", "claimed_by__person")
        .order_by("-last_report_at", "-id")
    )


def incidents_recent(*, viewer: Viewer, days: int = 14):
    since = timezone.now() - timezone.timedelta(days=days)
    return (
        scope(Incident.objects.all(), viewer)
        .filter(closed_at__isnull=False, closed_at__gte=since)
        .select_related("zone")
        .order_by("-last_report_at", "-id")
    )


def purge_schedule(*, viewer: Viewer, limit: int = 7) -> list[dict]:
    """When the reports still holding details will be purged: one row per day."""
    from django.db.models.functions import TruncDate

    return list(
        scope(Report.objects.all(), viewer)
        .filter(purged_at__isnull=True)
        .annotate(day=TruncDate("purge_at"))
        .values("day")
        .annotate(count=Count("id"))
        .order_by("day")[:limit]
    )


def incident(*, viewer: Viewer, incident_id):
    from committees.access import Action, get_object_or_404

    return get_object_or_404(
        Incident.objects.select_related("zone", "claimed_by__person", "committee"),
        viewer,
        Action.VIEW_INCIDENTS,
        pk=incident_id,
    )


def false_reports_by_source(incident) -> dict[str, int]:
    """For each reporting source of the incident: how many of its reports elsewhere were
    false alarms (a count, never the number)."""
    hashes = [h for h in incident.reports.values_list("source_hash", flat=True) if h]
    if not hashes:
        return {}
    rows = (
        Report.objects.filter(
            committee_id=incident.committee_id,
            source_hash__in=hashes,
            incident__status=IncidentStatus.FALSE_ALARM,
        )
        .exclude(incident=incident)
        .values("source_hash")
        .annotate(count=Count("id"))
    )
    return {row["source_hash"]: row["count"] for row in rows}


def board(*, alert):
    """The alert's recipients with their answer and the delivery state of their alert."""
    return (
        AlertRecipient.objects.filter(alert=alert)
        .select_related("person", "message")
        .order_by("person__preferred_name", "id")
    )


def board_version(*, alert) -> str:
    """Changes whenever anything the board shows changes (the ETag of its polling)."""
    row = AlertRecipient.objects.filter(alert=alert).aggregate(
        answered=Count("id", filter=~Q(response=AlertRecipient.Response.NONE)),
        last_answer=Max("responded_at"),
        last_delivery=Max("message__updated_at"),
        total=Count("id"),
    )
    notices = alert.notices.count()
    parts = [
        alert.pk,
        row["total"],
        row["answered"],
        row["last_answer"].timestamp() if row["last_answer"] else 0,
        row["last_delivery"].timestamp() if row["last_delivery"] else 0,
        notices,
        alert.all_clear_at.timestamp() if alert.all_clear_at else 0,
        alert.retracted_at.timestamp() if alert.retracted_at else 0,
        int(alert.is_active),
    ]
    return "-".join(str(p) for p in parts)


def alert(*, viewer: Viewer, alert_id):
    from committees.access import Action, get_object_or_404

    return get_object_or_404(
        Alert.objects.select_related("incident__zone", "incident__committee"),
        viewer,
        Action.DISPATCH,
        pk=alert_id,
    )


def shifts(*, viewer: Viewer):
    return (
        scope(DispatcherShift.objects.all(), viewer)
        .filter(ends_at__gt=timezone.now())
        .select_related("person")
        .order_by("starts_at", "id")
    )


# --- For other parts (the coalition's "broken by" link picker) --------------------------------


def _label(incident) -> str:
    when = date_format(timezone.localtime(incident.opened_at), "SHORT_DATE_FORMAT")
    zone = incident.zone.name if incident.zone else "—"
    return f"{when} · {zone} · {incident.get_status_display()}"


def incidents_for_link(*, committee, since=None) -> list[tuple[int, str]]:
    """(incident id, "date · zone · status") of the committee's incidents, newest first;
    no people, no report details."""
    incidents = Incident.objects.filter(committee=committee).select_related("zone")
    if since is not None:
        incidents = incidents.filter(opened_at__gte=since)
    return [(i.pk, _label(i)) for i in incidents.order_by("-opened_at", "-id")[:500]]


def incident_label(*, incident_id: int, committee) -> str | None:
    found = (
        Incident.objects.filter(committee=committee, pk=incident_id).select_related("zone").first()
    )
    return _label(found) if found else None


# --- For legal aid's impact litigation (evidence packets and patterns) -----------------------


@dataclass(frozen=True)
class ObservationSummary:
    filed_at: datetime
    agencies: tuple[str, ...]  # labels
    warrant: str  # label
    detained_count: int
    note: str


@dataclass(frozen=True)
class IncidentEvidence:
    """What an incident shows, without people: area, dates, status, the observer logs."""

    incident_id: int
    opened_at: datetime
    verified_at: datetime | None
    zone: str
    status: str  # label
    report_count: int
    observations: tuple[ObservationSummary, ...]


def incidents_for_evidence(*, committee, incident_ids) -> dict[int, IncidentEvidence]:
    """{incident id: summary} for the committee's incidents among `incident_ids`, in two
    queries whatever their number (the observer logs are prefetched)."""
    from .models import ObserverLog

    agency_labels = dict(Agency.choices)
    warrant_labels = dict(ObserverLog.Warrant.choices)
    incidents = (
        Incident.objects.filter(committee=committee, pk__in=list(incident_ids))
        .select_related("zone")
        .prefetch_related(
            Prefetch("observations", queryset=ObserverLog.objects.order_by("filed_at", "id"))
        )
    )
    return {
        i.pk: IncidentEvidence(
            incident_id=i.pk,
            opened_at=i.opened_at,
            verified_at=i.verified_at,
            zone=i.zone.name if i.zone else "—",
            status=str(i.get_status_display()),
            report_count=i.report_count,
            observations=tuple(
                ObservationSummary(
                    filed_at=o.filed_at,
                    agencies=tuple(str(agency_labels[a]) for a in o.agencies if a in agency_labels),
                    warrant=str(warrant_labels.get(o.warrant, o.warrant)),
                    detained_count=o.detained_count,
                    note=o.note or "",
                )
                for o in i.observations.all()
            ),
        )
        for i in incidents
    }


def incident_witnesses(*, committee, incident_ids) -> dict[int, list[tuple[int, str]]]:
    """{incident id: [(person id, how they saw it)]}: the responders who filed an observer
    log and the confirmers who saw agents. Two queries whatever the number of incidents.
    No names: legal aid asks their consent before its team learns more."""
    from .models import ConfirmerRequest, ObserverLog

    ids = list(incident_ids)
    found: dict[int, dict[int, str]] = {int(i): {} for i in ids}
    for incident_id, person_id in ObserverLog.objects.filter(
        incident_id__in=ids, incident__committee=committee, filed_by__isnull=False
    ).values_list("incident_id", "filed_by__person_id"):
        found[incident_id].setdefault(person_id, "observer")
    for incident_id, person_id in ConfirmerRequest.objects.filter(
        incident_id__in=ids,
        incident__committee=committee,
        answer=ConfirmerRequest.Answer.SEEN,
    ).values_list("incident_id", "person_id"):
        found[incident_id].setdefault(person_id, "confirmer")
    return {i: sorted(people.items()) for i, people in found.items()}


def incident_patterns(*, committee, since) -> dict[str, list[tuple]]:
    """Counts for the lawyers, never people: confirmed incidents per month and zone;
    observer logs per month and agency; and per month, logs where no judicial warrant
    was shown and logs where local police were there with ICE or CBP. Three queries."""
    from django.db.models.functions import TruncMonth

    from .models import ObserverLog

    incidents = (
        Incident.objects.filter(
            committee=committee, opened_at__gte=since, status=IncidentStatus.CONFIRMED
        )
        .annotate(month=TruncMonth("opened_at"))
        .values_list("month", "zone__name")
        .annotate(n=Count("id"))
        .order_by("month", "zone__name")
    )
    logs = ObserverLog.objects.filter(incident__committee=committee, filed_at__gte=since).exclude(
        incident__status=IncidentStatus.FALSE_ALARM
    )
    by_agency: dict[tuple, int] = {}
    conduct: dict[tuple, int] = {}
    rows = logs.annotate(month=TruncMonth("filed_at")).values_list("month", "agencies", "warrant")
    for month, agencies, warrant in rows:
        for agency in set(agencies or ()):
            by_agency[(month, agency)] = by_agency.get((month, agency), 0) + 1
        if warrant in ("none", "administrative"):
            conduct[(month, "no_warrant")] = conduct.get((month, "no_warrant"), 0) + 1
        if "police" in (agencies or ()) and {"ice", "cbp"} & set(agencies):
            conduct[(month, "police_with_ice")] = conduct.get((month, "police_with_ice"), 0) + 1
    return {
        "zones": [(m, z or "—", n) for m, z, n in incidents],
        "agencies": [
            (m, str(dict(Agency.choices).get(a, a)), n) for (m, a), n in sorted(by_agency.items())
        ],
        "conduct": [(m, c, n) for (m, c), n in sorted(conduct.items())],
    }
