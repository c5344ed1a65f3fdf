"""The texts impact litigation sends, through `notifications.message_queue`, inside the
service's transaction: the consent ask to a possible declarant and the key-date
reminder to each team member. Bodies carry no claim, party or note."""

from __future__ import annotations

from datetime import timedelta

from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from members.consent import Channel, Purpose
from notifications.services import conversation_open, message_queue

CONSENT_CONVERSATION = "legal_aid.declarant_consent"
CONSENT_OPEN_FOR = timedelta(days=14)


def consent_wording(*, committee_name: str, claim: str, language: str, codes=None) -> str:
    """The exact words a possible declarant agrees to, in `language`. With `codes` (the
    reply numbers of an SMS ask) it is the text message itself."""
    with translation.override(language):
        values = {"committee": committee_name, "claim": claim}
        text = (
            gettext(
                "%(committee)s: lawyers working with us on a case about %(claim)s would like to "
                "ask you for a statement about what you saw. May we give them your name, phone "
                "and email for that? You can say no, and change your mind at any time."
            )
            % values
        )
        if codes:
            text += " " + gettext("Reply %(yes)s if you agree, %(no)s if not.") % {
                "yes": codes[0],
                "no": codes[1],
            }
        return text


def claim_phrase(matter, language: str) -> str:
    with translation.override(language):
        return str(matter.get_claim_kind_display()).lower()


def send_consent_ask(declarant):
    """Open the numbered question and queue the text (SMS only: the reply is the
    answer). Returns (message, wording) — the message is *skipped* by the outbox when
    the person has not agreed to texts, and the team then asks in person."""
    person, matter = declarant.person, declarant.matter
    conversation = conversation_open(
        person=person,
        kind=CONSENT_CONVERSATION,
        object_id=declarant.pk,
        open_for=CONSENT_OPEN_FOR,
        purpose=Purpose.REMINDERS,
    )
    wording = consent_wording(
        committee_name=matter.committee.name,
        claim=claim_phrase(matter, person.language),
        language=person.language,
        codes=conversation.codes,
    )
    message = message_queue(
        person=person,
        purpose=Purpose.REMINDERS,
        template="legal_aid_declarant_ask",
        idempotency_key=f"legal:declarant-ask:{declarant.pk}:{conversation.pk}",
        context={"wording": wording},
        channel=Channel.SMS,
        conversation=conversation,
    )
    return message, wording


def send_key_date_reminder(key_date, person) -> None:
    matter = key_date.matter
    with translation.override(person.language):
        context = {
            "committee": matter.committee.name,
            "matter": f"#{matter.pk} {matter.public_name}",
            "kind": str(key_date.get_kind_display()),
            "when": date_format(key_date.due_on, "DATE_FORMAT"),
        }
    message_queue(
        person=person,
        purpose=Purpose.REMINDERS,
        template="legal_aid_key_date",
        idempotency_key=f"legal:keydate:{key_date.pk}:{key_date.due_on}:{person.pk}",
        context=context,
    )
