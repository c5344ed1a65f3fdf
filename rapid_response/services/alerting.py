"""Alerting a zone's trained responders, their YES/NO, updates, stand down, all clear.

Only a confirmed incident can be alerted. The alert goes on the urgent queue (ahead of
every reminder, through quiet hours, dropped rather than delivered late), once per
responder, in their language, under their raid-alert consent; the rows are written in
a constant number of statements whatever the zone's size (`message_queue_many`).
Updates, stand down and all clear go to exactly the people who got the alert.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import timedelta
from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.access import Action
from committees.models import Zone
from lib.bulk import constraints_checked_at_once
from members.consent import Purpose
from notifications.models import Status, Urgency
from notifications.rendering import render
from notifications.services import Recipient, message_queue_many, message_queue_select

from .. import selectors
from ..models import Agency, Alert, AlertNotice, AlertRecipient, Incident, LogEntry
from .common import dispatch_settings, log

ALERT_CONVERSATION = "rapid_response.alert"
ALERT_TEMPLATE = "rapid_response_alert"
NOTICE_TEMPLATE = "rapid_response_notice"
LANGUAGES = ("en", "es")
# The alert did not reach these people: they get no update and no all clear.
NOT_RECEIVED = (
    Status.SKIPPED,
    Status.FAILED,
    Status.EXPIRED,
    Status.CANCELLED,
    Status.UNDELIVERED,
)


@dataclass
class AlertDraft:
    zones: list
    where: str
    agencies: list
    expires_at: object
    context: dict
    texts: dict  # language -> rendered SMS (body, segments)
    count: int


def _zones(incident, zone_ids) -> list:
    ids = {int(z) for z in zone_ids} | ({incident.zone_id} if incident.zone_id else set())
    return list(Zone.objects.filter(committee_id=incident.committee_id, pk__in=ids))


def alert_draft(
    *, incident, zone_ids=(), where: str = "", agencies=(), now=None, count: bool = True
) -> AlertDraft:
    """What an alert would say in each language, and to how many people (no names;
    `count=False`: not counted, the sender counts what it wrote)."""
    zones = _zones(incident, zone_ids)
    committee = incident.committee
    minutes = dispatch_settings(committee).alert_expiry_minutes
    expires_at = (now or timezone.now()) + timedelta(minutes=minutes)
    labels = dict(Agency.choices)
    context = {
        "zone": ", ".join(z.name for z in zones),
        "where": " ".join((where or "").split())[:80],
        "agencies": [labels[a] for a in agencies if a in labels],
        "until": timezone.localtime(expires_at, ZoneInfo(committee.timezone)).strftime("%H:%M"),
    }
    texts = {
        language: render(
            template=ALERT_TEMPLATE,
            channel="sms",
            language=language,
            context={"committee": committee, **context},
        )
        for language in LANGUAGES
    }
    count = (
        selectors.alert_recipients(committee, zone_ids=[z.pk for z in zones]).count()
        if zones and count
        else 0
    )
    return AlertDraft(
        zones=zones,
        where=context["where"],
        agencies=list(agencies),
        expires_at=expires_at,
        context=context,
        texts=texts,
        count=count,
    )


@transaction.atomic
def alert_send(*, actor, incident, zone_ids=(), where: str = "", agencies=()) -> Alert:
    """Send the alert for a confirmed incident to the trained responders of its zone
    (and the chosen neighbouring zones).

    Side effects: an Alert with its texts; one urgent outbox row, one YES/NO
    conversation and one AlertRecipient per responder (constant statements); the
    incident's `alerted_at`; a log line. Refused unless the incident is confirmed and
    open, and while another of its alerts is active.
    """
    actor.require(Action.DISPATCH)
    incident = Incident.objects.select_for_update().select_related("committee").get(pk=incident.pk)
    if not incident.may_alert:
        raise ValidationError(_("Only a confirmed incident can be alerted."))
    now = timezone.now()
    if incident.alerts.filter(
        all_clear_at__isnull=True, retracted_at__isnull=True, expires_at__gt=now
    ).exists():
        raise ValidationError(
            _("An alert for this incident is still active: send an update instead.")
        )
    draft = alert_draft(
        incident=incident, zone_ids=zone_ids, where=where, agencies=agencies, now=now, count=False
    )
    if not draft.zones:
        raise ValidationError(_("Choose the zone to alert."))
    alert = Alert.objects.create(
        incident=incident,
        text_en=draft.texts["en"].body,
        text_es=draft.texts["es"].body,
        created_by=actor.membership,
        sent_at=now,
        expires_at=draft.expires_at,
    )
    alert.zones.set(draft.zones)
    # One INSERT … SELECT each for the conversations and the outbox rows, whatever the
    # zone's size: no phone number or text is decrypted or encrypted per person.
    with constraints_checked_at_once():
        written = message_queue_select(
            # The outbox applies its own rule (selectors.alert_recipients' consent and flags).
            people=selectors.trained_responders(
                incident.committee, zone_ids=[z.pk for z in draft.zones]
            ),
            committee=incident.committee,
            purpose=Purpose.RAID_ALERTS,
            template=ALERT_TEMPLATE,
            context=draft.context,
            key_prefix=f"rapid:alert:{alert.pk}:",
            urgency=Urgency.URGENT,
            conversation_kind=ALERT_CONVERSATION,
            conversation_object_id=alert.pk,
            open_until=draft.expires_at,
            valid_until=draft.expires_at,
        )
        recipients = [
            AlertRecipient(alert=alert, person_id=person_id, message_id=message_id)
            for person_id, message_id in written
        ]
        # One INSERT on PostgreSQL (Django splits it only where the database needs it).
        AlertRecipient.objects.bulk_create(recipients, batch_size=max(1, len(recipients)))
    people = recipients
    alert.recipient_count = len(people)
    alert.save(update_fields=["recipient_count"])
    if incident.alerted_at is None:
        incident.alerted_at = now
        incident.save(update_fields=["alerted_at"])
    log(incident, LogEntry.Kind.ALERT, actor=actor, note=str(len(people)))
    return alert


def alert_answer(*, alert_id: int, person_id: int, going: bool) -> bool:
    """A responder's YES or NO (a later answer replaces an earlier one; the same answer
    again changes nothing). One UPDATE: hundreds of replies arriving at once take no
    lock but their own row's. Returns whether they were alerted."""
    response = AlertRecipient.Response.YES if going else AlertRecipient.Response.NO
    rows = AlertRecipient.objects.filter(alert_id=alert_id, person_id=person_id)
    if rows.exclude(response=response).update(response=response, responded_at=timezone.now()):
        return True
    return rows.exists()


def received(alert):
    """The recipients the alert reached (or is still reaching): exactly who is told after."""
    return (
        AlertRecipient.objects.filter(alert=alert, message__isnull=False)
        .exclude(message__status__in=NOT_RECEIVED)
        .select_related("person__committee")
        .order_by("pk")
    )


@transaction.atomic
def alert_notice_send(*, actor, alert, kind: str, text_en: str = "", text_es: str = ""):
    """An update, a stand down or the all clear, to exactly the people the alert reached.

    Stand down and all clear end the alert (no further updates). Urgent, like the alert.
    """
    actor.require(Action.DISPATCH)
    alert = (
        Alert.objects.select_for_update(of=("self",))
        .select_related("incident__zone")
        .get(pk=alert.pk)
    )
    if alert.all_clear_at or alert.retracted_at:
        raise ValidationError(_("This alert has already ended."))
    text_en, text_es = " ".join(text_en.split())[:300], " ".join(text_es.split())[:300]
    if kind == AlertNotice.Kind.UPDATE and not (text_en or text_es):
        raise ValidationError(_("Write the update first."))
    if kind not in AlertNotice.Kind.values:
        raise ValidationError(_("Unknown kind of message."))
    now = timezone.now()
    notice = AlertNotice.objects.create(
        alert=alert,
        kind=kind,
        text_en=text_en or text_es,
        text_es=text_es or text_en,
        sent_by=actor.membership,
        sent_at=now,
    )
    people = [r.person for r in received(alert)]
    context = {
        "kind": kind,
        "zone": ", ".join(z.name for z in alert.zones.all()),
        "text_en": notice.text_en,
        "text_es": notice.text_es,
    }
    message_queue_many(
        purpose=Purpose.RAID_ALERTS,
        template=NOTICE_TEMPLATE,
        urgency=Urgency.URGENT,
        recipients=[
            Recipient(
                person=person,
                idempotency_key=f"rapid:notice:{notice.pk}:{person.pk}",
                context=context,
            )
            for person in people
        ],
    )
    notice.recipient_count = len(people)
    notice.save(update_fields=["recipient_count"])
    if kind == AlertNotice.Kind.ALL_CLEAR:
        alert.all_clear_at = now
        alert.save(update_fields=["all_clear_at"])
    elif kind == AlertNotice.Kind.STAND_DOWN:
        alert.retracted_at = now
        alert.save(update_fields=["retracted_at"])
    log_kind = {
        AlertNotice.Kind.UPDATE: LogEntry.Kind.UPDATE,
        AlertNotice.Kind.STAND_DOWN: LogEntry.Kind.STAND_DOWN,
        AlertNotice.Kind.ALL_CLEAR: LogEntry.Kind.ALL_CLEAR,
    }[kind]
    log(alert.incident, log_kind, actor=actor, note=str(len(people)))
    return notice
