"""A text to the committee's number that answers no open question: a possible report.

notifications hands it here (routing.inbound_fallback); we record a report and answer
the sender in their language. A number that floods us is throttled: its texts are
still claimed (they do not pile up in the coordinators' inbox) but make no report
and get no answer.
"""

from __future__ import annotations

import re

from django.conf import settings

from members.models import Language
from notifications import routing
from notifications.models import Kind, NumberFlag
from notifications.services import message_queue_to_number

from ..models import Report
from ..shared import allow
from .intake import report_submit, zone_in_text

SMS_REPORTS_PER_NUMBER = (5, 60 * 60)
SMS_REPORTS_PER_COMMITTEE = (300, 60 * 60)
SPANISH = re.compile(
    r"[ñáéíóú¿¡]|\b(migra|hay|esta|estan|calle|esquina|agentes|aqui|ayuda|por favor|redada)\b",
    re.IGNORECASE,
)


def guess_language(text: str, person=None) -> str:
    if person is not None:
        return person.language
    if SPANISH.search(text or ""):
        return Language.SPANISH
    return Language.ENGLISH if (text or "").strip() else settings.LANGUAGE_CODE


def looks_like_a_late_answer(text: str) -> bool:
    """ "1", "SÍ", "no": an answer to a question that has closed, not a report. It waits
    for a coordinator instead of waking a dispatcher."""
    word = routing.normalised(text)
    return not word or word.isdigit() or routing.yes_or_no(text) is not None


def sms_report_receive(inbound) -> bool:
    """Claim an unmatched inbound text as a possible report (runs in the webhook's
    transaction). Returns whether it was claimed: a bare number or yes/no is left for
    the coordinators' inbox; anything else is ours, even when throttled."""
    if looks_like_a_late_answer(inbound.body):
        return False
    committee = inbound.committee
    if not allow(f"rapid:sms:{inbound.from_hash}", SMS_REPORTS_PER_NUMBER) or not allow(
        f"rapid:sms-committee:{committee.pk}", SMS_REPORTS_PER_COMMITTEE
    ):
        return True
    language = guess_language(inbound.body, inbound.person)
    report = report_submit(
        committee=committee,
        source=Report.Source.SMS,
        zone=zone_in_text(committee, inbound.body),
        activity=inbound.body,
        source_hash=inbound.from_hash,
        callback_phone=inbound.from_address,
        language=language,
        inbound_id=inbound.pk,
    )
    opted_out = NumberFlag.objects.filter(
        committee=committee,
        phone_hash=inbound.from_hash,
        kind=NumberFlag.Kind.OPTED_OUT,
        active=True,
    ).exists()
    if not opted_out:
        # The one answer to a text the person just sent us (like a HELP answer): it
        # needs no standing consent, but never goes to a number that said STOP.
        acknowledgement = message_queue_to_number(
            committee=committee,
            person=inbound.person,
            to=inbound.from_address,
            language=language,
            template="rapid_response_received",
            idempotency_key=f"inbound:{inbound.provider_id}:rapid-ack",
            kind=Kind.COMPLIANCE,
        )
        Report.objects.filter(pk=report.pk).update(acknowledgement_id=acknowledgement.pk)
    return True
