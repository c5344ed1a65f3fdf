"""Requests for legal help: from the public form, an organizer, or another app."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from committees.access import Action, Viewer
from members.consent import Channel, ConsentSource, Purpose, consent_record
from members.models import Person
from members.services import contact_find_or_create

from ..models import HelpKind, LegalRequest, RequestSource, Urgency

CONTACT_SOURCE = "legal_intake"


def _person_named(committee, name: str, language: str) -> Person:
    """Someone we know only by name (a detained relative): no contact details, so no
    existing record can be matched or touched."""
    person = Person(committee=committee, language=language)
    person.set_names(preferred_name=name[:120])
    person.save()
    return person


def _record_consent(person, *, channels, wording, wording_language, source, actor=None):
    for channel in channels:
        consent_record(
            person=person,
            purpose=Purpose.REMINDERS,
            channel=channel,
            granted=True,
            wording=wording,
            language=wording_language,
            source=source,
            recorded_by=actor.person if actor else None,
        )


@transaction.atomic
def legal_request_open(
    *,
    committee,
    source: str,
    urgency: str,
    help_kind: str,
    language: str,
    name: str,
    phone: str = "",
    email: str = "",
    for_someone_else: bool = False,
    contact_name: str = "",
    contact_time: str = "any",
    may_leave_message: bool = False,
    may_text: bool = False,
    consent_wording: str = "",
    wording_language: str = "en",
    note: str = "",
    actor: Viewer | None = None,
) -> LegalRequest:
    """Open a request. The contact is found or created by phone/email; an existing
    record is never changed, and no consent is granted on it (`needs_proof`): the team
    calls back instead of texting. Side effect: consent to texts/emails about the
    request for a newly created contact who ticked the box."""
    if urgency not in Urgency.values or help_kind not in HelpKind.values:
        raise ValidationError(_("Choose the urgency and the kind of help."))
    name = " ".join((name or "").split())
    if not name:
        raise ValidationError(_("Tell us the name of the person who needs help."))
    if not phone and not email:
        raise ValidationError(_("Give a phone number or an email address to reach you."))
    contact_label = " ".join((contact_name or "").split()) if for_someone_else else name
    match = contact_find_or_create(
        committee=committee,
        name=contact_label or name,
        phone=phone,
        email=email,
        language=language,
        source=CONTACT_SOURCE,
    )
    contact = match.person
    person = _person_named(committee, name, language) if for_someone_else else contact
    if match.created and may_text and consent_wording:
        channels = [c for c, v in ((Channel.SMS, phone), (Channel.EMAIL, email)) if v]
        _record_consent(
            contact,
            channels=channels,
            wording=consent_wording,
            wording_language=wording_language,
            source=ConsentSource.SPOKEN if actor else ConsentSource.WEB_FORM,
            actor=actor,
        )
    return LegalRequest.objects.create(
        committee=committee,
        person=person,
        contact=contact,
        urgency=urgency,
        help_kind=help_kind,
        language=language,
        contact_time=contact_time,
        may_leave_message=may_leave_message,
        source=source,
        needs_proof=match.needs_proof,
        note=note or None,
        created_by=actor.person if actor else None,
    )


def legal_request_open_for(*, actor: Viewer, **fields) -> LegalRequest:
    """An organizer's intake on someone's behalf (in person or from a phone call)."""
    if not actor.can(Action.OPEN_LEGAL_REQUEST):
        raise PermissionDenied
    return legal_request_open(
        committee=actor.committee, source=RequestSource.ORGANIZER, actor=actor, **fields
    )


@transaction.atomic
def legal_request_open_from_incident(
    *,
    actor,
    incident_id: int,
    name: str = "",
    phone: str = "",
    language: str = "es",
    note: str = "",
) -> LegalRequest:
    """A rapid-response incident where someone was detained: a "detained now" request.

    `name`/`phone` are the family contact's, both optional. Calling again for the same
    incident returns the request already opened."""
    committee = actor.committee
    existing = LegalRequest.objects.filter(committee=committee, incident_id=incident_id).first()
    if existing is not None:
        return existing
    contact, needs_proof = None, False
    name = " ".join((name or "").split())
    if name or phone:
        match = contact_find_or_create(
            committee=committee,
            name=name or _("Family contact"),
            phone=phone,
            email="",
            language=language,
            source=CONTACT_SOURCE,
        )
        contact, needs_proof = match.person, match.needs_proof
    return LegalRequest.objects.create(
        committee=committee,
        person=None,
        contact=contact,
        urgency=Urgency.DETAINED,
        help_kind=HelpKind.DETENTION,
        language=language if language in ("en", "es") else "es",
        source=RequestSource.RAPID_RESPONSE,
        incident_id=incident_id,
        needs_proof=needs_proof,
        note=note or None,
        created_by=getattr(actor, "person", None),
    )
