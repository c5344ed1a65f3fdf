"""Reads for the people screens, already scoped to the viewer's committee.

`person_list()` is the one starting point for any list of people (the directory, the
export, and the notifications part's recipient picker through `PersonFilter`).
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import connection
from django.db.models import F, Prefetch, Q, QuerySet
from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from committees.access import Viewer, get_object_or_404, scope
from committees.models import Membership, MembershipRole, Zone
from committees.roles import MembershipStatus, Role
from lib.crypto import lookup_hash

from .audit import AuditEvent
from .consent import Channel, Consent, ConsentEvent, Purpose
from .models import (
    ErasureRequest,
    ImportBatch,
    Language,
    Person,
    Skill,
    SpokenLanguage,
    TrainingRecord,
)
from .phones import looks_like_phone, normalise_phone
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


DIRECTORY_PAGE_SIZE = 25
# A page counts the people who match up to this many, and says "more than" beyond:
# an exact COUNT(*) of a large committee costs more than the rest of the page, and
# even a capped count costs in proportion to the cap for a narrow filter (vetted
# Spanish-speaking responders at 100,000 people: 9 ms to find 1,000, 3 ms for 500).
DIRECTORY_COUNT_LIMIT = 500


@dataclass(slots=True)
class DirectoryRow:
    """One line of the directory: what it shows, already in the viewer's language."""

    pk: int
    preferred_name: str
    url: str
    status: str  # the membership status, or "" for a contact who is not a member
    status_label: str
    trained: bool
    details: str  # languages · roles · zones · skills (the phone's one line)
    languages: str = ""
    roles: str = ""
    zones: str = ""
    skills: str = ""
    phone: str = ""  # only when the page asked for contact details
    email: str = ""


@dataclass(frozen=True)
class DirectoryPage:
    """A page of the directory, numbered from 1, with a count of the matches that
    stops at DIRECTORY_COUNT_LIMIT (`total_is_exact` is False beyond it)."""

    object_list: list[DirectoryRow]
    number: int
    has_next: bool
    total: int
    total_is_exact: bool

    def __iter__(self):
        return iter(self.object_list)

    def __len__(self):
        return len(self.object_list)

    @property
    def has_previous(self) -> bool:
        return self.number > 1

    @property
    def has_other_pages(self) -> bool:
        return self.has_previous or self.has_next

    @property
    def previous_page_number(self) -> int:
        return self.number - 1

    @property
    def next_page_number(self) -> int:
        return self.number + 1

    @property
    def num_pages(self) -> int | None:
        """The number of pages when the count is exact, else None."""
        if not self.total_is_exact:
            return None
        return max(1, -(-self.total // DIRECTORY_PAGE_SIZE))


# The directory's column sorts: a whitelist (never an order_by from the request).
DIRECTORY_SORTS = {
    "name": ("preferred_name", "id"),
    "-name": ("-preferred_name", "-id"),
    "status": (F("membership__status").asc(nulls_last=True), "preferred_name", "id"),
    "-status": (F("membership__status").desc(nulls_last=True), "preferred_name", "id"),
    "language": ("language", "preferred_name", "id"),
    "-language": ("-language", "preferred_name", "id"),
}


def directory_page(
    people: QuerySet, page_number, *, sort: str = "", contacts: bool = False
) -> DirectoryPage:
    """One page of `people` (a filtered `person_list()`) for the directory.

    Three queries whatever the committee's size: a count that stops after
    DIRECTORY_COUNT_LIMIT matches, the page's rows (plain values: no model instances;
    phone and email decrypted only with `contacts`), and their roles, zones, skills and
    languages. `sort` is a key of DIRECTORY_SORTS (default: by name).
    """
    if sort in DIRECTORY_SORTS and sort != "name":
        people = people.order_by(*DIRECTORY_SORTS[sort])
    columns = ["pk", "preferred_name", "language", "membership__status"]
    if contacts:
        columns += ["phone", "email"]
    total = people.order_by()[: DIRECTORY_COUNT_LIMIT + 1].count()
    total_is_exact = total <= DIRECTORY_COUNT_LIMIT
    number = _page_number(page_number)
    if total_is_exact:  # a page past the end shows the last one, as Paginator.get_page does
        number = min(number, max(1, -(-total // DIRECTORY_PAGE_SIZE)))
    offset = (number - 1) * DIRECTORY_PAGE_SIZE
    rows = list(people.values_list(*columns)[offset : offset + DIRECTORY_PAGE_SIZE + 1])
    has_next = len(rows) > DIRECTORY_PAGE_SIZE
    rows = rows[:DIRECTORY_PAGE_SIZE]
    return DirectoryPage(
        object_list=_directory_rows(rows),
        number=number,
        has_next=has_next,
        total=min(total, DIRECTORY_COUNT_LIMIT),
        total_is_exact=total_is_exact,
    )


def _page_number(value) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        return 1
    return max(number, 1)


def _directory_rows(rows: list[tuple]) -> list[DirectoryRow]:
    details = _row_details([row[0] for row in rows]) if rows else {}
    # One reverse() for the page rather than one per row (it shows in a profile).
    url_start, url_end = reverse("members:person_detail", args=[0]).rsplit("0", 1)
    # Labels translated once for the page, not once per row.
    statuses = {code: str(label) for code, label in MembershipStatus.choices}
    languages = {code: str(label) for code, label in Language.choices}
    contact = _("Contact")
    result = []
    for pk, name, language, status, *contact_details in rows:
        found = details.get(pk, {})
        spoken = ", ".join([languages.get(language, language), *found.get("language", [])])
        zones, skills = ", ".join(found.get("zone", [])), ", ".join(found.get("skill", []))
        parts = [spoken, *found.get("role", []), *(part for part in (zones, skills) if part)]
        phone, email = contact_details or ("", "")
        result.append(
            DirectoryRow(
                pk=pk,
                preferred_name=name,
                url=f"{url_start}{pk}{url_end}",
                status=status or "",
                status_label=statuses[status] if status else contact,
                trained="trained" in found,
                details=" · ".join(parts),
                languages=spoken,
                roles=", ".join(found.get("role", [])),
                zones=zones,
                skills=skills,
                phone=phone or "",
                email=email or "",
            )
        )
    return result


def _row_details(ids: list[int]) -> dict[int, dict[str, list[str]]]:
    """Roles, zones, skills, other languages and training of these people, one query.

    Written in SQL because compiling the same UNION through the ORM took longer than
    the rest of the page. Each part gives (person id, kind, English label, Spanish
    label); labels come back sorted as the detail page sorts them.
    """
    tables = {
        "role": MembershipRole._meta.db_table,
        "membership": Membership._meta.db_table,
        "person_zone": Person.zones.through._meta.db_table,
        "zone": Zone._meta.db_table,
        "person_skill": Person.skills.through._meta.db_table,
        "skill": Skill._meta.db_table,
        "person_language": Person.other_languages.through._meta.db_table,
        "language": SpokenLanguage._meta.db_table,
        "training": TrainingRecord._meta.db_table,
    }
    people = ", ".join(["%s"] * len(ids))
    sql = f"""
        SELECT m.person_id, 'role', r.role, r.role
          FROM {tables["role"]} r JOIN {tables["membership"]} m ON m.id = r.membership_id
         WHERE m.person_id IN ({people}) AND r.role <> %s
        UNION ALL
        SELECT pz.person_id, 'zone', z.name, z.name
          FROM {tables["person_zone"]} pz JOIN {tables["zone"]} z ON z.id = pz.zone_id
         WHERE pz.person_id IN ({people})
        UNION ALL
        SELECT ps.person_id, 'skill', s.name_en, s.name_es
          FROM {tables["person_skill"]} ps JOIN {tables["skill"]} s ON s.id = ps.skill_id
         WHERE ps.person_id IN ({people})
        UNION ALL
        SELECT pl.person_id, 'language', l.name_en, l.name_es
          FROM {tables["person_language"]} pl
          JOIN {tables["language"]} l ON l.code = pl.spokenlanguage_id
         WHERE pl.person_id IN ({people})
        UNION ALL
        SELECT DISTINCT t.person_id, 'trained', '', ''
          FROM {tables["training"]} t
         WHERE t.person_id IN ({people})
    """  # noqa: S608 (only placeholders and table names are formatted in)
    with connection.cursor() as cursor:
        cursor.execute(sql, [*ids, Role.MEMBER.value, *ids, *ids, *ids, *ids])
        found_rows = cursor.fetchall()
    spanish = (get_language() or "en").startswith("es")
    role_labels = {code: str(label) for code, label in Role.choices}
    found: dict[int, dict[str, list[tuple]]] = {}
    for person_id, kind, english, spanish_label in found_rows:
        if kind == "role":  # ordered by role code, as the detail page orders them
            entry = (english, role_labels.get(english, english))
        else:
            entry = (english, spanish_label if spanish else english)
        found.setdefault(person_id, {}).setdefault(kind, []).append(entry)
    return {
        person_id: {
            kind: [label for _key, label in sorted(entries)] for kind, entries in kinds.items()
        }
        for person_id, kinds in found.items()
    }


def person_search(people: QuerySet, text: str) -> QuerySet:
    """Search by phone (any common format), exact email, or part of a name.

    Phone and email are encrypted: they are matched through their keyed hash, so
    only an exact number or address finds someone.
    """
    # A NUL byte (?q=%00) is refused by PostgreSQL in any string: it is never text.
    text = (text or "").replace("\x00", "").strip()[:SEARCH_MAX_LENGTH]
    if not text:
        return people
    if looks_like_phone(text):
        phone = normalise_phone(text)
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


def audit_events(
    *, viewer: Viewer, person_id: int | None = None, actor_id: int | None = None, kind=None
) -> QuerySet:
    """The committee's audit trail, newest first, optionally about one person, by one
    actor and/or of one kind."""
    events = scope(AuditEvent.objects.all(), viewer)
    if person_id:
        events = events.filter(person_id=person_id)
    if actor_id:
        events = events.filter(actor_id=actor_id)
    if kind:
        events = events.filter(kind=kind)
    return events.select_related("actor", "person", "target_type")


def audit_subject(*, viewer: Viewer, person_id: int) -> Person | None:
    """The person the audit page is filtered on (erased ones too), or None."""
    return scope(Person.objects.all(), viewer).filter(pk=person_id).first()


def audit_actors(*, viewer: Viewer) -> QuerySet:
    """The people who can appear as actors on the audit page: the committee's members."""
    return scope(Person.objects.filter(membership__isnull=False), viewer).order_by(
        "preferred_name", "id"
    )


def import_batch(*, viewer: Viewer, batch_id: int, action) -> ImportBatch:
    batches = ImportBatch.objects.select_related("created_by")
    return get_object_or_404(batches, viewer, action=action, pk=batch_id)
