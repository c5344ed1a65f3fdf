"""The retention purge: reporters' numbers and report details go after the committee's
retention (default 30 days); the counts stay.

A purged report keeps its committee, zone, source, incident and time (what the reports
page counts). Gone: cross streets, what was seen, the callback number and the keyed hash
of the reporting number, the inbound text and our answer to it. Once every report of an
incident is purged, the incident's notes, the alert texts and the outbox bodies of its
texts (confirm requests, alerts, notices) go too. Idempotent: a second run finds nothing.
"""

from __future__ import annotations

from django.db import transaction
from django.db.models import Exists, OuterRef
from django.utils import timezone

from notifications.models import InboundMessage, Message

from ..models import Alert, AlertNotice, Incident, LogEntry, ObserverLog, Report

PURGED = "-"


@transaction.atomic
def reports_purge(*, now=None) -> int:
    """Purge every report past its `purge_at`. Returns how many reports were purged."""
    now = now or timezone.now()
    due = list(
        Report.objects.select_for_update(skip_locked=True)
        .filter(purge_at__lte=now, purged_at__isnull=True)
        .values_list("pk", "incident_id", "inbound_id", "acknowledgement_id")
    )
    if not due:
        return 0
    report_ids = [pk for pk, *_rest in due]
    Report.objects.filter(pk__in=report_ids).update(
        cross_streets=None,
        activity=None,
        size=None,
        uniforms=None,
        vehicles=None,
        callback_phone=None,
        source_hash="",
        agencies=[],
        inbound_id=None,
        acknowledgement_id=None,
        purged_at=now,
    )
    InboundMessage.objects.filter(pk__in=[i for *_r, i, _a in due if i]).delete()
    Message.objects.filter(pk__in=[a for *_r, a in due if a]).delete()
    incident_ids = {incident_id for _pk, incident_id, *_rest in due}
    _purge_incidents(incident_ids)
    return len(report_ids)


def _purge_incidents(incident_ids) -> None:
    """Incidents with no report left holding details: drop their free text."""
    unpurged = Report.objects.filter(incident=OuterRef("pk"), purged_at__isnull=True)
    done = list(
        Incident.objects.filter(pk__in=incident_ids)
        .exclude(Exists(unpurged))
        .values_list("pk", flat=True)
    )
    if not done:
        return
    LogEntry.objects.filter(incident_id__in=done).update(note=None)
    ObserverLog.objects.filter(incident_id__in=done).update(note=None)
    alert_ids = list(Alert.objects.filter(incident_id__in=done).values_list("pk", flat=True))
    Alert.objects.filter(pk__in=alert_ids).update(text_en=PURGED, text_es=PURGED)
    notice_ids = list(
        AlertNotice.objects.filter(alert_id__in=alert_ids).values_list("pk", flat=True)
    )
    AlertNotice.objects.filter(pk__in=notice_ids).update(text_en=PURGED, text_es=PURGED)
    keys = [f"rapid:confirm:{pk}:" for pk in done] + [f"rapid:alert:{pk}:" for pk in alert_ids]
    keys += [f"rapid:notice:{pk}:" for pk in notice_ids]
    for prefix in keys:
        Message.objects.filter(idempotency_key__startswith=prefix).update(body=PURGED)
