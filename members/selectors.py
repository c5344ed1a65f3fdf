"""Reads for the people screens, already scoped to the viewer's committee.

`person_list()` is the one starting point for any list of people (the directory, the
export, and the notifications part's recipient picker through `PersonFilter`).
"""

from __future__ import annotations

from django.db.models import Prefetch, Q, QuerySet

from committees.access import Viewer, get_object_or_404, scope
from committees.models import MembershipRole, Zone

from .audit import AuditEvent
from .consent import Channel, Consent, ConsentEvent, Purpose
from .crypto import lookup_hash
from .models import ErasureRequest, ImportBatch, Person, Skill, SpokenLanguage
from .phones import looks_like_phone, normalize_phone
from .text import search_key

SEARCH_MAX_LENGTH = 100


def person_list(*, viewer: Viewer) -> QuerySet:
    """Every (not erased) person of the viewer's committee, in directory order."""
    people = Person.objects.filter(erased_at__isnull=True)
    return scope(people, viewer).order_by("preferred_name", "id")


def with_row_details(people: QuerySet) -> QuerySet:
    """What a directory row shows, in a fixed number of queries whatever the page size."""
    return people.select_related("membership").prefetch_related(
        Prefetch("membership__roles", queryset=MembershipRole.objects.order_by("role")),
        Prefetch("skills", queryset=Skill.objects.order_by("name_en")),
        Prefetch("zones", queryset=Zone.objects.order_by("name")),
        "other_languages",
        "training_records",
    )


def directory_rows(people: QuerySet) -> QuerySet:
    """A directory page: the row details, without decrypting contacts it does not show."""
    return with_row_details(people).defer("phone", "email", "notes")


def person_search(people: QuerySet, text: str) -> QuerySet:
    """Search by phone (any common format), exact email, or part of a name.

    Phone and email are encrypted: they are matched through their keyed hash, so
    only an exact number or address finds someone.
    """
    text = (text or "").strip()[:SEARCH_MAX_LENGTH]
    if not text:
        return people
    if looks_like_phone(text):
        phone = normalize_phone(text)
        return people.filter(phone_hash=lookup_hash(phone)) if phone else people.none()
    if "@" in text:
        return people.filter(email_hash=lookup_hash(text))
    return people.filter(search_name__contains=search_key(text))


def person_detail(*, viewer: Viewer, person_id: int, action) -> Person:
    """One person for the detail and edit pages (404 for another committee's)."""
    people = with_row_details(person_list(viewer=viewer)).select_related("user")
    return get_object_or_404(people, viewer, action=action, pk=person_id)


def consent_history(*, person: Person) -> QuerySet:
    return ConsentEvent.objects.filter(person=person).select_related("recorded_by")


def consent_overview(*, person: Person) -> list[dict]:
    """Every purpose and channel with this person's current answer (or None)."""
    current = {
        (c.purpose, c.channel): c
        for c in Consent.objects.filter(person=person).select_related("event")
    }
    return [
        {"purpose": purpose, "channel": channel, "consent": current.get((purpose, channel))}
        for purpose in Purpose
        for channel in Channel
    ]


def duplicate_candidates(*, viewer: Viewer, person: Person) -> QuerySet:
    """Others who share this person's phone, email or exact name: likely twins."""
    match = Q(search_name=person.search_name) if person.search_name else Q(pk__in=[])
    if person.phone_hash:
        match |= Q(phone_hash=person.phone_hash)
    if person.email_hash:
        match |= Q(email_hash=person.email_hash)
    return person_list(viewer=viewer).filter(match).exclude(pk=person.pk)[:10]


def skill_list(*, viewer: Viewer) -> QuerySet:
    """The built-in skills and the committee's own."""
    if viewer.committee is None:
        return Skill.objects.none()
    return Skill.objects.filter(Q(committee__isnull=True) | Q(committee=viewer.committee)).order_by(
        "name_en", "id"
    )


def committee_skills(*, viewer: Viewer) -> QuerySet:
    return scope(Skill.objects.all(), viewer).order_by("name_en", "id")


def zone_choices(*, viewer: Viewer) -> QuerySet:
    return scope(Zone.objects.all(), viewer).order_by("name")


def spoken_languages() -> QuerySet:
    return SpokenLanguage.objects.order_by("name_en")


def erasure_requests_pending(*, viewer: Viewer) -> QuerySet:
    return (
        scope(ErasureRequest.objects.filter(status=ErasureRequest.Status.PENDING), viewer)
        .select_related("person")
        .order_by("requested_at", "id")
    )


def audit_events(*, viewer: Viewer) -> QuerySet:
    return scope(AuditEvent.objects.all(), viewer).select_related("actor", "person")


def import_batch(*, viewer: Viewer, batch_id: int, action) -> ImportBatch:
    batches = ImportBatch.objects.select_related("created_by")
    return get_object_or_404(batches, viewer, action=action, pk=batch_id)
