"""Every SMS and email legal aid sends, through `notifications.message_queue`.

Called inside the service's transaction, so the outbox row is written with the change
that caused it. Idempotency keys are deterministic (hearing, schedule version, person):
a service retried or a sweep run twice never queues the same message twice, and a
reminder armed for an old date cannot be sent for it. Bodies never carry an A-number,
a facility or a note.
"""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone, translation

from lib.dates import format_when
from members.consent import Purpose
from notifications.models import Urgency
from notifications.services import conversation_open, message_queue

OFFER_CONVERSATION = "legal_aid.accompaniment_offer"
CHECK_IN_CONVERSATION = "legal_aid.check_in"
# How long after the hearing starts an accompanier's "DETENIDO" is still taken.
CHECK_IN_OPEN_AFTER = timedelta(hours=8)


def _send(person, *, template, key, context, urgency=Urgency.NORMAL, conversation=None, **kw):
    return message_queue(
        person=person,
        purpose=Purpose.REMINDERS,
        template=template,
        idempotency_key=key,
        context=context,
        urgency=urgency,
        conversation=conversation,
        **kw,
    )


def _hearing_context(hearing, person) -> dict:
    case = hearing.case
    return {
        "hearing": hearing,
        "kind": hearing.get_kind_display(),
        "when": format_when(hearing.starts_at, case.committee, person.language),
        "place": hearing.place,
        "first_name": case.first_name,
        "committee": case.committee.name,
        "link": _my_link(),
    }


def send_hearing_moved(hearing, people) -> int:
    """Tell each person once, in their language, that the hearing moved."""
    for person in people:
        with translation.override(person.language):
            context = _hearing_context(hearing, person)
        _send(
            person,
            template="legal_aid_hearing_moved",
            key=f"legal:moved:{hearing.pk}:{hearing.schedule_version}:{person.pk}",
            context={**context, "is_client": person.pk == hearing.case.person_id},
        )
    return len(people)


def send_reminder(hearing, person, *, reminder: str, accompaniment=None) -> None:
    """`accompaniment`, when given, opens the check-in conversation: until some hours
    after the hearing, the accompanier's "DETENIDO" / "DETAINED" reaches the team."""
    with translation.override(person.language):
        context = _hearing_context(hearing, person)
    conversation = None
    if accompaniment is not None:
        conversation = conversation_open(
            person=person,
            kind=CHECK_IN_CONVERSATION,
            object_id=accompaniment.pk,
            open_for=hearing.starts_at - timezone.now() + CHECK_IN_OPEN_AFTER,
            purpose=Purpose.REMINDERS,
        )
    _send(
        person,
        template=f"legal_aid_{reminder}",
        key=f"legal:{reminder}:{hearing.pk}:{hearing.schedule_version}:{person.pk}",
        context={
            **context,
            "is_client": person.pk == hearing.case.person_id,
            "can_report": conversation is not None,
        },
        conversation=conversation,
        # Never delivered after the hearing began (quiet hours could hold it past it).
        valid_until=hearing.starts_at,
    )


def send_offer(accompaniment, *, open_for) -> None:
    hearing, person = accompaniment.hearing, accompaniment.person
    conversation = conversation_open(
        person=person,
        kind=OFFER_CONVERSATION,
        object_id=accompaniment.pk,
        open_for=open_for,
        purpose=Purpose.REMINDERS,
    )
    with translation.override(person.language):
        context = _hearing_context(hearing, person)
    _send(
        person,
        template="legal_aid_offer",
        key=f"legal:offer:{accompaniment.pk}:{hearing.schedule_version}",
        context={**context, "codes": conversation.codes},
        conversation=conversation,
        valid_until=hearing.starts_at,
    )


def _my_link() -> str:
    from django.conf import settings
    from django.urls import reverse

    return settings.PUBLIC_BASE_URL + reverse("legal_aid:my_accompaniments")


def send_detained_alert(accompaniment, people) -> None:
    """Urgent: the person was detained at a check-in or hearing."""
    hearing = accompaniment.hearing
    for person in people:
        with translation.override(person.language):
            context = _hearing_context(hearing, person)
        _send(
            person,
            template="legal_aid_detained",
            key=f"legal:detained:{accompaniment.pk}:{person.pk}",
            context=context,
            urgency=Urgency.URGENT,
        )
