"""Evidence for a matter, the people who could give a declaration, their consent, and
the evidence packet.

A possible declarant's name and contact reach the team only once they agree: by a
text reply to the ask (`declarant_consent_reply`, from the SMS handler) or in person
(`declarant_consent_record`). Every answer keeps the exact words they were shown.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.access import Action, Viewer
from members import audit
from members.models import Language, Person
from notifications.models import Status

from ..litigation import messaging, sources
from ..models import (
    Conduct,
    ConsentMethod,
    ConsentState,
    Declarant,
    DeclarantConsent,
    Evidence,
    Matter,
    SourceKind,
)
from .cases import _require


@transaction.atomic
def evidence_propose(
    *, actor: Viewer, matter: Matter, source_kind: str, source_id: int, conduct: str, note=""
) -> Evidence:
    """A team member links a record of another part (an incident, a court-watch report,
    an accompaniment, a broken commitment) as "this may be evidence for the matter"."""
    _require(actor, Action.EDIT_MATTER, matter)
    if source_kind not in SourceKind.values:
        raise ValidationError(_("Choose what kind of record it is."))
    if conduct not in Conduct.values:
        raise ValidationError(_("Say what conduct it shows."))
    if not sources.exists(matter.committee, source_kind, int(source_id)):
        raise ValidationError(_("That record is not one of the committee's."))
    try:
        with transaction.atomic():
            return Evidence.objects.create(
                matter=matter,
                source_kind=source_kind,
                source_id=int(source_id),
                conduct=conduct,
                note=(note or "").strip()[:2000] or None,
                proposed_by=actor.person,
            )
    except IntegrityError:
        raise ValidationError(_("That record is already evidence for this matter.")) from None


def declarant_candidates(*, matter: Matter, links) -> list[tuple[Evidence, int, str]]:
    """(evidence, person id, how they were there) for every source of the matter, the
    people already proposed left out."""
    taken = {d.person_id for d in matter.declarants.all()}
    found = []
    by_link = sources.witnesses(matter.committee, links)
    for link in links:
        for person_id, role in by_link.get(link.pk, []):
            if person_id not in taken:
                found.append((link, person_id, role))
                taken.add(person_id)
    return found


@transaction.atomic
def declarant_propose(*, actor: Viewer, matter: Matter, evidence: Evidence, person_id) -> Declarant:
    """Someone who was there, proposed as a declarant. Nothing is sent yet, and their
    name and contact stay hidden from the team until they agree."""
    _require(actor, Action.EDIT_MATTER, matter)
    if evidence.matter_id != matter.pk:
        raise ValidationError(_("That evidence belongs to another matter."))
    witnesses = {p for p, _role in sources.witnesses(matter.committee, [evidence])[evidence.pk]}
    if int(person_id) not in witnesses:
        raise ValidationError(_("Choose one of the people who were there."))
    person = Person.objects.get(pk=int(person_id), committee=matter.committee)
    declarant, created = Declarant.objects.get_or_create(
        matter=matter,
        person=person,
        defaults={"evidence": evidence, "proposed_by": actor.person},
    )
    if not created:
        raise ValidationError(_("Already proposed as a declarant."))
    return declarant


@transaction.atomic
def declarant_consent_ask(*, actor: Viewer, declarant: Declarant) -> bool:
    """Text the person the ask, in their language, with two reply numbers; the words
    sent are kept. Returns False when the outbox skipped it (no consent to be texted,
    an opted-out number, no phone): then ask in person."""
    _require(actor, Action.EDIT_MATTER, declarant.matter)
    declarant = (
        Declarant.objects.select_for_update(of=("self",))
        .select_related("person__committee", "matter__committee")
        .get(pk=declarant.pk)
    )
    if declarant.consent_state in (ConsentState.GRANTED, ConsentState.DECLINED):
        raise ValidationError(_("They have already answered."))
    if declarant.person.erased_at is not None:
        raise ValidationError(_("This person's record was erased."))
    message, wording = messaging.send_consent_ask(declarant)
    if message.status == Status.SKIPPED:
        return False
    declarant.consent_state = ConsentState.ASKED
    declarant.asked_wording, declarant.asked_language = wording, declarant.person.language
    declarant.asked_at = timezone.now()
    declarant.save(update_fields=["consent_state", "asked_wording", "asked_language", "asked_at"])
    return True


def in_person_wording(*, declarant: Declarant, language: str) -> str:
    """What the team member reads out (or shows), in the person's chosen language."""
    return messaging.consent_wording(
        committee_name=declarant.matter.committee.name,
        claim=messaging.claim_phrase(declarant.matter, language),
        language=language,
    )


def _answer(declarant, *, granted, wording, language, method, recorded_by) -> DeclarantConsent:
    answer = DeclarantConsent.objects.create(
        declarant=declarant,
        granted=granted,
        wording=wording,
        language=language,
        method=method,
        recorded_by=recorded_by,
    )
    declarant.consent_state = ConsentState.GRANTED if granted else ConsentState.DECLINED
    declarant.save(update_fields=["consent_state"])
    return answer


@transaction.atomic
def declarant_consent_record(
    *, actor: Viewer, declarant: Declarant, granted: bool, language: str
) -> DeclarantConsent:
    """An answer given in person: the wording shown is the one in `language`."""
    _require(actor, Action.EDIT_MATTER, declarant.matter)
    if language not in Language.values:
        raise ValidationError(_("Choose the language they were asked in."))
    return _answer(
        declarant,
        granted=granted,
        wording=in_person_wording(declarant=declarant, language=language),
        language=language,
        method=ConsentMethod.IN_PERSON,
        recorded_by=actor.person,
    )


@transaction.atomic
def declarant_consent_reply(*, declarant: Declarant, granted: bool) -> DeclarantConsent | None:
    """Their text reply to the ask: they agree (or not) to the words they were sent."""
    declarant = Declarant.objects.select_for_update().get(pk=declarant.pk)
    if declarant.consent_state != ConsentState.ASKED or not declarant.asked_wording:
        return None
    return _answer(
        declarant,
        granted=granted,
        wording=declarant.asked_wording,
        language=declarant.asked_language,
        method=ConsentMethod.SMS,
        recorded_by=None,
    )


def declarant_viewed(*, actor: Viewer, declarants) -> None:
    """The matter page and the declarant page show who agreed and how to reach them:
    one audit row per declarant shown (one query)."""
    audit.audit_record_many(
        viewer=actor,
        kind="legal_aid.declarant_viewed",
        targets=[(d.person, d) for d in declarants],
    )


def packet_export(*, actor: Viewer, matter: Matter, links, language: str) -> bytes:
    """The evidence packet as a PDF, written to the audit trail."""
    from ..litigation import packet

    _require(actor, Action.VIEW_MATTER, matter)
    audit.audit_record(viewer=actor, kind="legal_aid.packet_exported", target=matter)
    return packet.render(matter=matter, links=links, language=language)
