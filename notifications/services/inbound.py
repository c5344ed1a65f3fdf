"""Texts people send to a committee's number.

Stored once per Twilio MessageSid (a retried webhook changes nothing), then:

* an opt-out keyword (STOP, BAJA, NO MÁS...) stops every text to that number at once;
* an opt-in keyword (START, ALTA...) lifts it;
* HELP / AYUDA / INFO is answered with the committee's name and how to stop;
* anything else goes to the conversation it answers (the handler registered for it in
  `notifications.routing`); a text that answers none may be claimed by a part that
  registered `routing.inbound_fallback` (a raid report); else it waits for a
  coordinator as an unmatched reply.

Our answers go through the outbox like every message, in the person's language (or
the keyword's, for a number we do not know). When the provider has already answered
a keyword itself (Twilio's default handling, or Advanced Opt-Out, which adds
`OptOutType`), we do not answer a second time.
"""

from __future__ import annotations

import logging

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone, translation

from committees.models import Committee
from lib.crypto import lookup_hash
from members.models import Person

from .. import routing
from ..keywords import OPT_OUT_TYPES, Keyword, KeywordKind, recognise
from ..models import Conversation, InboundMessage, Kind, NumberFlag
from .optouts import number_opt_in, number_opt_out
from .outbox import message_queue_to_number

logger = logging.getLogger("notifications")

ANSWER_TEMPLATES = {
    KeywordKind.OPT_OUT: "opted_out",
    KeywordKind.OPT_IN: "opted_in",
    KeywordKind.HELP: "help",
}
OUTCOMES = {
    KeywordKind.OPT_OUT: InboundMessage.Outcome.OPT_OUT,
    KeywordKind.OPT_IN: InboundMessage.Outcome.OPT_IN,
    KeywordKind.HELP: InboundMessage.Outcome.HELP,
}


def committee_for_number(number: str) -> Committee | None:
    if not number:
        return None
    try:
        return Committee.objects.filter(sms_number=number).first()
    except (ValueError, ValidationError):  # not a phone number (a short code, garbage)
        return None


def inbound_receive(
    *,
    provider_id: str,
    from_number: str,
    to_number: str,
    body: str,
    opt_out_type: str = "",
) -> InboundMessage | None:
    """Store and act on one inbound SMS. Returns the stored row (None: not ours).

    Side effects: one InboundMessage (none for a MessageSid already seen); possibly an
    opt-out or opt-in (see services.optouts); possibly our answer in the outbox; the
    conversation handler's own writes.
    """
    committee = committee_for_number(to_number)
    if committee is None:
        logger.warning("inbound sms %s to a number no committee uses", provider_id)
        return None
    existing = InboundMessage.objects.filter(provider_id=provider_id).first()
    if existing is not None:
        return existing
    from_hash = lookup_hash(from_number)
    # Only a confirmed number is attributed: a number a member put on their own profile
    # proves nothing until it answered the link sent to it (members.services.people).
    people = list(
        Person.objects.filter(
            committee=committee, phone_hash=from_hash, phone_confirmed=True
        ).order_by("-updated_at", "-id")
    )
    person = people[0] if people else None
    keyword = recognise(body)
    provider_kind = OPT_OUT_TYPES.get((opt_out_type or "").upper())
    if provider_kind and (keyword is None or keyword.kind != provider_kind):
        # Advanced Opt-Out knows keywords we do not (a deployer may add some).
        keyword = Keyword(word=opt_out_type.upper(), kind=provider_kind, language="")
    try:
        with transaction.atomic():
            inbound = InboundMessage.objects.create(
                committee=committee,
                person=person,
                provider_id=provider_id,
                from_address=from_number,
                from_hash=from_hash,
                body=body,
                outcome=InboundMessage.Outcome.UNMATCHED,
                keyword=keyword.word[:32] if keyword else "",
            )
            if keyword is not None:
                answered = _provider_answered(keyword, opt_out_type)
                _keyword(inbound, keyword, person, answered=answered)
            elif not _reply(inbound, people):
                _fallback(inbound)
    except IntegrityError:
        # The same MessageSid, delivered twice at once: the other request has it.
        return InboundMessage.objects.filter(provider_id=provider_id).first()
    logger.info("inbound sms %s: %s", inbound.pk, inbound.outcome)
    return inbound


def _provider_answered(keyword: Keyword, opt_out_type: str) -> bool:
    if opt_out_type:
        return True
    answered = {word.strip().upper() for word in settings.SMS_PROVIDER_ANSWERED_KEYWORDS}
    return keyword.word in answered


def _language(person, keyword: Keyword | None) -> str:
    if person is not None:
        return person.language
    if keyword is not None and keyword.language:
        return keyword.language
    return settings.LANGUAGE_CODE


def _keyword(inbound: InboundMessage, keyword: Keyword, person, *, answered: bool) -> None:
    committee = inbound.committee
    language = _language(person, keyword)
    if keyword.kind == KeywordKind.OPT_OUT:
        number_opt_out(
            committee=committee,
            phone_hash=inbound.from_hash,
            source=NumberFlag.Source.KEYWORD,
            reason=keyword.word,
            language=language,
        )
    elif keyword.kind == KeywordKind.OPT_IN:
        number_opt_in(
            committee=committee,
            phone_hash=inbound.from_hash,
            keyword=keyword.word,
            language=language,
        )
    inbound.outcome = OUTCOMES[keyword.kind]
    if not answered:
        inbound.reply = message_queue_to_number(
            committee=committee,
            person=person,
            to=inbound.from_address,
            language=language,
            template=ANSWER_TEMPLATES[keyword.kind],
            idempotency_key=f"inbound:{inbound.provider_id}:answer",
            kind=Kind.COMPLIANCE,
        )
    inbound.save(update_fields=["outcome", "reply"])


def _reply(inbound: InboundMessage, people: list) -> bool:
    """Give a reply to the open conversation it answers, or leave it for a coordinator.
    Returns whether it answered an open conversation."""
    if not people:
        return False
    open_conversations = list(
        Conversation.objects.filter(person__in=people, open_until__gt=timezone.now())
        .select_related("person")
        .order_by("-created_at", "-id")[:50]
    )
    conversation, choice = routing.select(open_conversations, inbound.body)
    spec = routing.HANDLERS.get(conversation.kind) if conversation else None
    if spec is None:
        return False
    person = conversation.person
    try:
        # The handler's own writes roll back alone if it fails; the reply is kept.
        with transaction.atomic(), translation.override(person.language):
            answer = spec.function(conversation, inbound.body, choice)
    except Exception as error:
        # No traceback: its message could quote the person's text. A coordinator
        # sees the reply as unmatched.
        logger.error(
            "conversation handler %s failed on inbound %s (%s)",
            conversation.kind,
            inbound.pk,
            type(error).__name__,
        )
        return True
    inbound.person = person
    inbound.conversation = conversation
    inbound.outcome = InboundMessage.Outcome.ROUTED
    if answer:
        inbound.reply = message_queue_to_number(
            committee=inbound.committee,
            person=person,
            to=inbound.from_address,
            language=person.language,
            template="reply",
            context={"text": str(answer)},
            idempotency_key=f"inbound:{inbound.provider_id}:reply",
            kind=Kind.REPLY,
            purpose=conversation.purpose,
            conversation=conversation,
        )
    inbound.save(update_fields=["person", "conversation", "outcome", "reply"])
    return True


def _fallback(inbound: InboundMessage) -> None:
    """A text that answers no open question: a part may claim it (routing.inbound_fallback),
    else it waits in the coordinators' inbox."""
    for function in routing.FALLBACKS:
        try:
            # A failing part's writes roll back alone; the text stays for a coordinator.
            with transaction.atomic():
                claimed = function(inbound)
        except Exception as error:
            logger.error(
                "inbound fallback %s failed on inbound %s (%s)",
                getattr(function, "__qualname__", "?"),
                inbound.pk,
                type(error).__name__,
            )
            continue
        if claimed:
            inbound.outcome = InboundMessage.Outcome.ROUTED
            inbound.resolved_at = timezone.now()
            inbound.save(update_fields=["outcome", "resolved_at"])
            return


def inbound_resolve(*, actor, inbound: InboundMessage) -> None:
    """A coordinator has dealt with an unmatched reply (called back, answered...)."""
    from committees.access import Action

    actor.require(Action.SEND_MESSAGES)
    InboundMessage.objects.filter(
        pk=inbound.pk, committee=actor.committee, resolved_at__isnull=True
    ).update(resolved_at=timezone.now(), resolved_by=actor.membership)
