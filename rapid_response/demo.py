"""Demo rapid-response data: a zone with trained responders (Diego and Fernando among
them), Diego on call, and an incident in every state — one confirmed and alerted with
answers on its board. Written directly: no messages are sent while seeding."""

from datetime import timedelta

from django.utils import timezone

from committees import demo
from committees.models import Zone
from committees.roles import MembershipStatus, Role
from members.consent import Channel, Consent, Purpose
from members.models import Person, TrainingKind, TrainingRecord

from .models import (
    Alert,
    AlertRecipient,
    DispatcherShift,
    Incident,
    IncidentStatus,
    LogEntry,
    Report,
)


def _responders(committee, zone) -> list:
    """Diego, Fernando and the vetted responders of the zone, made ready for alerts."""
    people = list(
        Person.objects.filter(
            committee=committee,
            membership__status=MembershipStatus.VETTED,
            membership__roles__role=Role.RESPONDER,
        )
        .distinct()
        .order_by("id")[:12]
    )
    for person in people:
        person.zones.add(zone)
        if not TrainingRecord.objects.filter(
            person=person, kind=TrainingKind.RAPID_RESPONDER
        ).exists():
            TrainingRecord.objects.create(
                person=person, kind=TrainingKind.RAPID_RESPONDER, source="session"
            )
    consenting = set(
        Consent.objects.filter(
            person__in=people, purpose=Purpose.RAID_ALERTS, channel=Channel.SMS, granted=True
        ).values_list("person_id", flat=True)
    )
    return [p for p in people if p.pk in consenting]


def _incident(committee, zone, *, status, minutes_ago, reports, where, reason="", closed=False):
    now = timezone.now()
    opened = now - timedelta(minutes=minutes_ago)
    incident = Incident.objects.create(
        committee=committee,
        zone=zone,
        status=status,
        false_alarm_reason=reason,
        opened_at=opened,
        last_report_at=opened + timedelta(minutes=2 * (reports - 1)),
        verified_at=opened + timedelta(minutes=9) if status == IncidentStatus.CONFIRMED else None,
        closed_at=now - timedelta(minutes=5) if closed else None,
        report_count=reports,
    )
    for n in range(reports):
        Report.objects.create(
            committee=committee,
            incident=incident,
            source=[Report.Source.WEB, Report.Source.SMS, Report.Source.DISPATCHER][n % 3],
            zone=zone,
            cross_streets=where,
            activity="Agentes con chalecos deteniendo gente en la parada del autobús",
            agencies=["ice"],
            size="3-4",
            vehicles="2 camionetas grises",
            source_hash=f"demo-{minutes_ago}-{n}",
            language="es",
            received_at=opened + timedelta(minutes=2 * n),
            purge_at=opened + timedelta(days=30),
        )
        LogEntry.objects.create(
            incident=incident, kind=LogEntry.Kind.REPORT, at=opened + timedelta(minutes=2 * n)
        )
    if status != IncidentStatus.UNVERIFIED:
        LogEntry.objects.create(
            incident=incident, kind=LogEntry.Kind.STATUS, status=status, at=opened
        )
    return incident


@demo.register(order=15)
def seed_rapid_response(committee, *, stdout) -> None:
    if Incident.objects.filter(committee=committee).exists():
        return
    zone = Zone.objects.filter(committee=committee).order_by("name").first()
    if zone is None:
        return
    responders = _responders(committee, zone)
    diego = Person.objects.filter(committee=committee, preferred_name="Diego").first()
    now = timezone.now()
    if diego is not None:
        DispatcherShift.objects.create(
            committee=committee,
            person=diego,
            starts_at=now - timedelta(hours=2),
            ends_at=now + timedelta(hours=6),
            languages=["es", "en"],
        )
    _incident(
        committee,
        zone,
        status=IncidentStatus.UNVERIFIED,
        minutes_ago=4,
        reports=1,
        where="Cesar Chavez Ave y Soto St",
    )
    others = list(Zone.objects.filter(committee=committee).order_by("name")[1:3]) or [zone]
    _incident(
        committee,
        others[0],
        status=IncidentStatus.PROBABLE,
        minutes_ago=12,
        reports=2,
        where="1st St y Boyle Ave",
    )
    _incident(
        committee,
        others[-1],
        status=IncidentStatus.FALSE_ALARM,
        minutes_ago=300,
        reports=1,
        where="Whittier Blvd y Lorena St",
        reason="nothing_seen",
        closed=True,
    )
    confirmed = _incident(
        committee,
        zone,
        status=IncidentStatus.CONFIRMED,
        minutes_ago=95,
        reports=3,
        where="4th St y Indiana St",
    )
    Incident.objects.filter(pk=confirmed.pk).update(
        alerted_at=confirmed.opened_at + timedelta(minutes=12), claimed_by=None
    )
    alert = Alert.objects.create(
        incident=confirmed,
        text_en="RAID ALERT (demo): 4th St and Indiana St. Reply YES if you are going.",
        text_es="ALERTA DE REDADA (demo): 4th St y Indiana St. Responda SÍ si va.",
        sent_at=confirmed.opened_at + timedelta(minutes=12),
        expires_at=now + timedelta(minutes=30),
        recipient_count=len(responders),
    )
    alert.zones.set([zone])
    answers = [
        AlertRecipient.Response.YES,
        AlertRecipient.Response.NO,
        AlertRecipient.Response.NONE,
    ]
    AlertRecipient.objects.bulk_create(
        [
            AlertRecipient(
                alert=alert,
                person=person,
                response=answers[i % 3],
                responded_at=now if answers[i % 3] != AlertRecipient.Response.NONE else None,
            )
            for i, person in enumerate(responders)
        ]
    )
    LogEntry.objects.create(
        incident=confirmed, kind=LogEntry.Kind.ALERT, note=str(len(responders)), at=alert.sent_at
    )
    stdout.write(f"Rapid response: 4 incidents, {len(responders)} responders in {zone.name}.")
