"""Creating, editing and merging person records, and consent given through the app."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import translation
from django.utils.text import slugify
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from committees.access import Action, Viewer
from committees.models import Membership
from lib.crypto import lookup_hash

from .. import proofs
from ..audit import AuditEvent, audit_record
from ..consent import Consent, ConsentEvent, ConsentSource, consent_record, consent_wording
from ..models import ErasureRequest, Person, Skill, TrainingRecord

# What a person may change on their own profile; organizers may also write notes.
SELF_FIELDS = frozenset(
    {
        "preferred_name",
        "full_name",
        "phone",
        "email",
        "language",
        "other_languages",
        "skills",
        "zones",
        "availability",
    }
)
ORGANIZER_FIELDS = SELF_FIELDS | {"notes"}


def _check_choices(*, actor: Viewer, skills=(), zones=()) -> None:
    """Skills and zones must be the committee's own (or built-in skills)."""
    committee_id = actor.committee.pk
    if any(s.committee_id not in (None, committee_id) for s in skills):
        raise PermissionDenied
    if any(z.committee_id != committee_id for z in zones):
        raise PermissionDenied


def _check_contact_is_free(
    *, person: Person, phone: str | None, email: str | None, self_service: bool = False
) -> None:
    """Two records with one phone or email are twins: merge them instead. On one's own
    profile the refusal does not say that someone else has it."""
    others = Person.objects.filter(committee_id=person.committee_id, erased_at__isnull=True)
    if person.pk:
        others = others.exclude(pk=person.pk)
    errors = {}
    if phone and others.filter(phone_hash=lookup_hash(phone)).exists():
        errors["phone"] = _("Someone in the directory already has this phone number.")
    if email and others.filter(email_hash=lookup_hash(email)).exists():
        errors["email"] = _("Someone in the directory already has this email address.")
    if errors and self_service:
        errors = {
            field: _("This cannot be saved on your profile. If it is yours, ask a coordinator.")
            for field in errors
        }
    if errors:
        raise ValidationError(errors)


def _apply(person: Person, fields: dict) -> None:
    if "preferred_name" in fields or "full_name" in fields:
        person.set_names(
            preferred_name=fields.get("preferred_name", person.preferred_name),
            full_name=fields.get("full_name", person.full_name),
        )
    if "phone" in fields or "email" in fields:
        person.set_contact(
            phone=fields.get("phone", person.phone), email=fields.get("email", person.email)
        )
    if "language" in fields:
        person.language = fields["language"]
    if "availability" in fields:
        person.availability = fields["availability"]
    if "notes" in fields:
        person.notes = fields["notes"] or None
    person.full_clean(exclude=["committee", "user", "phone", "email"])
    person.save()
    for name in ("other_languages", "skills", "zones"):
        if name in fields:
            getattr(person, name).set(fields[name])


@transaction.atomic
def person_create(*, actor: Viewer, **fields) -> Person:
    """Add someone to the directory (a contact without a login until invited).

    Raises ValidationError when another record already has the phone or email.
    """
    actor.require(Action.EDIT_PEOPLE)
    unknown = set(fields) - ORGANIZER_FIELDS
    if unknown:
        raise TypeError(f"unknown fields: {sorted(unknown)}")
    _check_choices(actor=actor, skills=fields.get("skills", ()), zones=fields.get("zones", ()))
    person = Person(committee=actor.committee)
    _check_contact_is_free(person=person, phone=fields.get("phone"), email=fields.get("email"))
    _apply(person, {"preferred_name": "", **fields})
    return person


@transaction.atomic
def person_update(*, actor: Viewer, person: Person, **fields) -> Person:
    """Change a record: an organizer with EDIT_PEOPLE, or the person on their own profile.

    Only the given fields change. On their own profile a person may not write
    coordinator notes. A phone or email on another record of the committee is refused,
    for everyone: otherwise any member could put a neighbour's number on their profile
    and have that neighbour's texts ("agents at my door") attributed to them. A new
    number a person gives on their own profile stays unconfirmed (texts from it are
    not attributed to them) until they follow the link sent to it.
    """
    if person.committee_id != (actor.committee.pk if actor.committee else None):
        raise PermissionDenied
    if person.erased_at:
        raise PermissionDenied
    self_service = actor.is_self(person) and not actor.can(Action.EDIT_PEOPLE)
    if self_service:
        allowed = SELF_FIELDS
    else:
        actor.require(Action.EDIT_PEOPLE)
        allowed = ORGANIZER_FIELDS if actor.can(Action.VIEW_COORDINATOR_NOTES) else SELF_FIELDS
    unknown = set(fields) - allowed
    if unknown:
        raise PermissionDenied(f"may not change {sorted(unknown)}")
    _check_choices(actor=actor, skills=fields.get("skills", ()), zones=fields.get("zones", ()))
    _check_contact_is_free(
        person=person,
        phone=fields.get("phone"),
        email=fields.get("email"),
        self_service=self_service,
    )
    person = Person.objects.select_for_update().get(pk=person.pk)
    new_phone = "phone" in fields and lookup_hash(fields["phone"] or "") != person.phone_hash
    _apply(person, fields)
    if new_phone:
        _phone_needs_confirmation(person, by_self=self_service)
    return person


PHONE_CONFIRM_PROOF = "members.phone_confirm"


def _phone_needs_confirmation(person: Person, *, by_self: bool) -> None:
    """An organizer's entry is trusted; a person's own new number waits for proof."""
    confirmed = not by_self or not person.phone
    Person.objects.filter(pk=person.pk).update(phone_confirmed=confirmed)
    person.phone_confirmed = confirmed
    if not confirmed:
        from .contacts import ProofUnavailable, contact_proof_request

        try:
            contact_proof_request(
                person=person,
                phone=str(person.phone),
                kind=PHONE_CONFIRM_PROOF,
                payload={"person_id": person.pk},
            )
        except ProofUnavailable:
            pass  # stays unconfirmed; a later change of number asks again


@proofs.on_confirm(PHONE_CONFIRM_PROOF)
def phone_confirmed(proof) -> None:
    """The number on the profile answered: texts from it are now theirs."""
    Person.objects.filter(
        pk=proof.person_id, phone_hash=proof.address_hash, erased_at__isnull=True
    ).update(phone_confirmed=True)


@transaction.atomic
def person_merge(*, actor: Viewer, keep: Person, duplicate: Person) -> Person:
    """Fold `duplicate` into `keep` and delete the duplicate.

    `keep` keeps its values; empty ones are filled from the duplicate. Languages,
    skills, zones, availability, trainings and every consent event are combined
    (the latest event per purpose and channel decides the current answer). Rows of
    other parts that point at the duplicate are moved to `keep`. A membership or
    login moves over when only the duplicate has one; two members with their own
    memberships are not merged (suspend one instead).
    """
    actor.require(Action.EDIT_PEOPLE)
    committee_id = actor.committee.pk
    if keep.pk == duplicate.pk:
        raise ValidationError(_("Choose two different records."))
    people = {
        p.pk: p
        for p in Person.objects.select_for_update()
        .filter(pk__in=sorted([keep.pk, duplicate.pk]), erased_at__isnull=True)
        .order_by("pk")
    }
    if len(people) != 2 or any(p.committee_id != committee_id for p in people.values()):
        raise PermissionDenied
    keep, duplicate = people[keep.pk], people[duplicate.pk]
    memberships = {m.person_id: m for m in Membership.objects.filter(person__in=[keep, duplicate])}
    if len(memberships) == 2:
        raise ValidationError(
            _("Both records are members with their own membership. Suspend the one not used.")
        )
    if keep.user_id and duplicate.user_id and keep.user_id != duplicate.user_id:
        raise ValidationError(_("Both records have their own sign-in. They cannot be merged."))
    if ErasureRequest.objects.filter(
        person__in=[keep, duplicate], status=ErasureRequest.Status.PENDING
    ).exists():
        raise ValidationError(
            _("One of these people asked to be erased. Handle that request first.")
        )

    keep.set_names(
        preferred_name=keep.preferred_name, full_name=keep.full_name or duplicate.full_name
    )
    keep.set_contact(phone=keep.phone or duplicate.phone, email=keep.email or duplicate.email)
    keep.availability |= duplicate.availability
    if duplicate.notes:
        keep.notes = "\n\n".join(n for n in (keep.notes, duplicate.notes) if n)
    user_id = keep.user_id or duplicate.user_id
    # The duplicate must let go of its login, phone and email before keep takes them.
    Person.objects.filter(pk=duplicate.pk).update(user=None)
    keep.user_id = user_id
    keep.save()
    keep.other_languages.add(*duplicate.other_languages.all())
    keep.skills.add(*duplicate.skills.all())
    keep.zones.add(*duplicate.zones.all())
    if duplicate.pk in memberships:
        Membership.objects.filter(person=duplicate).update(person=keep)
    TrainingRecord.objects.filter(person=duplicate).update(person=keep)
    _merge_consents(keep=keep, duplicate=duplicate)
    _move_other_references(keep=keep, duplicate=duplicate)
    duplicate_id = duplicate.pk
    duplicate.delete()
    audit_record(
        viewer=actor,
        kind=AuditEvent.Kind.MERGED,
        person=keep,
        details={"merged_person_id": duplicate_id},
    )
    return keep


def _merge_consents(*, keep: Person, duplicate: Person) -> None:
    Consent.objects.filter(person__in=[keep, duplicate]).delete()
    ConsentEvent.objects.filter(person=duplicate).update(person=keep)
    latest = {}
    for event in ConsentEvent.objects.filter(person=keep).order_by("created_at", "id"):
        latest[(event.purpose, event.channel)] = event
    Consent.objects.bulk_create(
        [
            Consent(
                person=keep,
                purpose=event.purpose,
                channel=event.channel,
                granted=event.granted,
                event=event,
                updated_at=event.created_at,
            )
            for event in latest.values()
        ]
    )


# Relations handled above.
_MERGED_EXPLICITLY = {
    ("members", "consentevent", "person"),
    ("members", "consent", "person"),
    ("members", "trainingrecord", "person"),
    ("committees", "membership", "person"),
}


def _move_other_references(*, keep: Person, duplicate: Person) -> None:
    """Point every other row that refers to the duplicate (registrations, cases, audit
    events, consents it recorded, ...) at the record we keep, whichever part of the
    app it belongs to."""
    for relation in Person._meta.get_fields(include_hidden=True):
        if not (relation.auto_created and relation.is_relation and not relation.concrete):
            continue
        if relation.many_to_many:
            continue
        model = relation.related_model
        if model._meta.auto_created:  # the through tables of Person's own many-to-many
            continue
        key = (model._meta.app_label, model._meta.model_name, relation.field.name)
        if key in _MERGED_EXPLICITLY:
            continue
        model._base_manager.filter(**{relation.field.name: duplicate}).update(
            **{relation.field.name: keep}
        )


@transaction.atomic
@transaction.atomic
def consent_record_many(
    *,
    actor: Viewer,
    person: Person,
    purposes: list[str],
    channels: list[str],
    granted: bool,
    source: str,
) -> list[ConsentEvent]:
    """One answer for several purposes and channels at once: one consent event (with its
    own exact wording) per purpose and channel, all in one transaction."""
    return [
        consent_record_for(
            actor=actor,
            person=person,
            purpose=purpose,
            channel=channel,
            granted=granted,
            source=source,
        )
        for purpose in purposes
        for channel in channels
    ]


def consent_record_for(
    *, actor: Viewer, person: Person, purpose: str, channel: str, granted: bool, source: str
) -> ConsentEvent:
    """Record a consent given or withdrawn through the app, with the exact wording shown.

    On their own profile a person records it for themselves (source "profile"); an
    organizer records what someone told them (source "spoken", needs EDIT_PEOPLE).
    """
    if person.committee_id != actor.committee.pk or person.erased_at:
        raise PermissionDenied
    if source == ConsentSource.PROFILE:
        if not actor.is_self(person):
            raise PermissionDenied
    elif source == ConsentSource.SPOKEN:
        actor.require(Action.EDIT_PEOPLE)
    else:
        raise ValueError(source)
    # The wording is stored in the language it was read in: the person's own when an
    # organizer reads it to them, the page's on their profile.
    language = person.language if source == ConsentSource.SPOKEN else get_language()[:2]
    with translation.override(language):
        wording = consent_wording(
            purpose=purpose,
            channel=channel,
            committee_name=actor.committee.name,
            granted=granted,
        )
    return consent_record(
        person=person,
        purpose=purpose,
        channel=channel,
        granted=granted,
        wording=wording,
        language=language,
        source=source,
        recorded_by=actor.person,
    )


@transaction.atomic
def skill_save(*, actor: Viewer, skill: Skill | None = None, name_en: str, name_es: str) -> Skill:
    """Add one of the committee's own skills, or rename it (built-in skills stay)."""
    actor.require(Action.EDIT_PEOPLE)
    name_en, name_es = name_en.strip(), name_es.strip()
    if skill is None:
        skill = Skill(committee=actor.committee)
        base = slugify(name_en)[:34] or "skill"
        taken = set(
            Skill.objects.filter(committee=actor.committee, slug__startswith=base).values_list(
                "slug", flat=True
            )
        )
        slug, n = base, 1
        while slug in taken:
            n += 1
            slug = f"{base}-{n}"
        skill.slug = slug
    elif skill.committee_id != actor.committee.pk:
        raise PermissionDenied
    same_name = Skill.objects.filter(
        Q(committee__isnull=True) | Q(committee=actor.committee), name_en__iexact=name_en
    )
    if same_name.exclude(pk=skill.pk).exists():
        raise ValidationError({"name_en": _("There is already a skill with this name.")})
    skill.name_en, skill.name_es = name_en, name_es
    skill.save()
    return skill
