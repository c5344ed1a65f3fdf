"""Reports coming in: the public form, an SMS to the committee's number, a dispatcher's call.

Similar reports (same zone, within the hour) are grouped into one incident; a second
report from another source makes an unverified incident probable. A new incident texts
the dispatchers on call now (urgent queue); nothing ever goes to responders from here:
only a confirmed incident can be alerted (services.alerting).
"""

from __future__ import annotations

import re
import unicodedata
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from committees.models import Zone
from members.consent import Purpose
from members.models import Person
from notifications.models import Urgency
from notifications.services import Recipient, message_queue_many

from ..models import DispatcherShift, Incident, IncidentStatus, LogEntry, Report
from ..shared import allow
from .common import dispatch_settings, incident_url, log

GROUP_WINDOW = timedelta(hours=1)
# At most this many "new report" texts to the dispatchers per committee in ten minutes:
# a flood of reports must not become a flood of texts (the inbox still shows them all).
DISPATCHER_PINGS = (12, 10 * 60)
DETAIL_FIELDS = ("cross_streets", "activity", "size", "uniforms", "vehicles")


def _fold(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", (text or "").casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def zone_in_text(committee, text: str):
    """The committee's zone named in a text ("migra en Zone 3"), if exactly one is."""
    folded = f" {re.sub(r'[^a-z0-9]+', ' ', _fold(text))} "
    found = [
        zone
        for zone in Zone.objects.filter(committee=committee)
        if f" {re.sub(r'[^a-z0-9]+', ' ', _fold(zone.name)).strip()} " in folded
    ]
    return found[0] if len(found) == 1 else None


def _open_incident(*, committee, zone, source_hash, now) -> Incident | None:
    """The incident this report belongs to: same zone (or, without a zone, same sender)
    within the hour, still open and not a false alarm. Locked."""
    candidates = Incident.objects.select_for_update().filter(
        committee=committee,
        closed_at__isnull=True,
        last_report_at__gte=now - GROUP_WINDOW,
    )
    candidates = candidates.exclude(status=IncidentStatus.FALSE_ALARM)
    if zone is not None:
        candidates = candidates.filter(zone=zone)
    elif source_hash:
        candidates = candidates.filter(zone__isnull=True, reports__source_hash=source_hash)
    else:
        return None
    return candidates.order_by("-last_report_at", "-id").first()


@transaction.atomic
def report_submit(
    *,
    committee,
    source: str,
    zone=None,
    cross_streets: str = "",
    activity: str = "",
    size: str = "",
    uniforms: str = "",
    vehicles: str = "",
    agencies=(),
    seen_at=None,
    callback_phone: str = "",
    source_hash: str = "",
    language: str = "es",
    entered_by=None,
    inbound_id: int | None = None,
) -> Report:
    """Record one report and group it into an incident.

    Side effects: a Report (details encrypted, purged after the committee's retention);
    a new Incident, or the grouped one's count; a log line; for a new incident, an
    urgent text to each dispatcher on call (at most DISPATCHER_PINGS per committee).
    """
    if zone is not None and zone.committee_id != committee.pk:
        raise ValueError("zone of another committee")
    now = timezone.now()
    settings_row = dispatch_settings(committee)
    incident = _open_incident(committee=committee, zone=zone, source_hash=source_hash, now=now)
    created = incident is None
    if created:
        incident = Incident.objects.create(
            committee=committee, zone=zone, opened_at=now, last_report_at=now
        )
    independent = (
        not created
        and bool(source_hash)
        and not incident.reports.filter(source_hash=source_hash).exists()
    ) or (not created and not source_hash)
    report = Report.objects.create(
        committee=committee,
        incident=incident,
        source=source,
        zone=zone,
        cross_streets=cross_streets.strip()[:200] or None,
        activity=activity.strip()[:2000] or None,
        size=size.strip()[:100] or None,
        uniforms=uniforms.strip()[:200] or None,
        vehicles=vehicles.strip()[:200] or None,
        agencies=list(agencies),
        seen_at=seen_at,
        callback_phone=callback_phone or None,
        source_hash=source_hash,
        language=language,
        entered_by=entered_by.membership if entered_by is not None else None,
        inbound_id=inbound_id,
        received_at=now,
        purge_at=now + timedelta(days=settings_row.retention_days),
    )
    incident.report_count += 1
    incident.last_report_at = now
    fields = ["report_count", "last_report_at"]
    log(incident, LogEntry.Kind.REPORT, actor=entered_by, note=report.get_source_display())
    if independent and incident.status == IncidentStatus.UNVERIFIED:
        # Two people reporting the same place is not verification, but it is more than one.
        incident.status = IncidentStatus.PROBABLE
        fields.append("status")
        log(incident, LogEntry.Kind.STATUS, status=IncidentStatus.PROBABLE)
    incident.save(update_fields=fields)
    if created:
        dispatchers_notify(incident=incident)
    return report


def on_shift(committee, now=None):
    """The dispatchers whose shift covers `now`."""
    now = now or timezone.now()
    return Person.objects.filter(
        committee=committee,
        erased_at__isnull=True,
        pk__in=DispatcherShift.objects.filter(
            committee=committee, starts_at__lte=now, ends_at__gt=now
        ).values("person_id"),
    ).select_related("committee")


def on_call(committee, now=None):
    """Who is texted about a new report: the dispatchers on shift now; if nobody is,
    every vetted dispatcher (a report must reach someone)."""
    from committees.roles import MembershipStatus, Role

    people = on_shift(committee, now)
    if not people.exists():
        people = Person.objects.filter(
            committee=committee,
            erased_at__isnull=True,
            membership__status=MembershipStatus.VETTED,
            membership__roles__role=Role.DISPATCHER,
        )
    return people.select_related("committee").distinct()


def dispatchers_notify(*, incident) -> int:
    """Text the dispatchers on call about a new incident (urgent; no details in the text)."""
    if not allow(f"rapid:pings:{incident.committee_id}", DISPATCHER_PINGS):
        return 0
    context = {
        "zone": incident.zone.name if incident.zone else "",
        "link": incident_url(incident),
    }
    messages = message_queue_many(
        purpose=Purpose.RAID_ALERTS,
        template="rapid_response_new_report",
        urgency=Urgency.URGENT,
        recipients=[
            Recipient(
                person=person,
                idempotency_key=f"rapid:new:{incident.pk}:{person.pk}",
                context=context,
            )
            for person in on_call(incident.committee)
        ],
    )
    return len(messages)
