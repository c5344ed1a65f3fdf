"""CSV import: upload, a preview of every row, then an explicit all-or-nothing import.

The parsed file waits in an `ImportBatch` (encrypted, scoped to the committee,
expiring) between the preview and the organizer's confirmation. Nothing touches
the directory before `import_commit`, which re-checks every row against the
directory as it is then and writes everything in one transaction, or nothing.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.access import Action, Viewer

from ..audit import AuditEvent, audit_record
from ..consent import Channel, Consent, ConsentEvent, ConsentSource, Purpose
from ..models import ImportBatch, Language, Person
from ..people_csv import read_people_csv
from .import_checks import analyse_rows, chunks

IMPORT_TTL = timedelta(hours=2)


@dataclass
class ImportConsent:
    """What the people in the file agreed to, as the organizer confirms it."""

    pairs: list[tuple[str, str]]  # (purpose, channel)
    wording: str
    language: str


def _store(batch: ImportBatch, raw_rows: list[dict], analysed: list[dict], ignored: list) -> None:
    # Even the headers stay in the encrypted payload: a sheet's "header" may be a name.
    batch.payload = json.dumps(
        {"raw": raw_rows, "rows": analysed, "ignored": ignored}, ensure_ascii=False
    )
    batch.total_rows = len(analysed)
    for action in ("new", "update", "unchanged", "error"):
        setattr(batch, f"{action}_count", sum(1 for r in analysed if r["action"] == action))


def import_contents(batch: ImportBatch) -> dict:
    """The analysed rows of a batch waiting for confirmation, and the columns it did not
    use (empty once imported or discarded)."""
    if not batch.payload:
        return {"rows": [], "ignored": []}
    contents = json.loads(batch.payload)
    return {"rows": contents["rows"], "ignored": contents["ignored"]}


@transaction.atomic
def import_preview(*, actor: Viewer, upload) -> ImportBatch:
    """Read an uploaded CSV and check every row; writes only the (encrypted) batch.

    Raises lib.csv_io.CsvFileError when the file itself cannot be used.
    """
    actor.require(Action.IMPORT_PEOPLE)
    import_batches_purge()
    parsed = read_people_csv(upload)
    batch = ImportBatch(
        committee=actor.committee,
        created_by=actor.person,
        expires_at=timezone.now() + IMPORT_TTL,
        columns=parsed.columns,
    )
    _store(batch, parsed.rows, analyse_rows(actor.committee, parsed.rows), parsed.ignored)
    batch.save()
    return batch


def _lock_open_batch(actor: Viewer, batch: ImportBatch) -> ImportBatch:
    actor.require(Action.IMPORT_PEOPLE)
    batch = ImportBatch.objects.select_for_update().get(pk=batch.pk)
    if batch.committee_id != actor.committee.pk:
        raise PermissionDenied
    if batch.status != ImportBatch.Status.PREVIEW:
        raise ValidationError(_("This file has already been imported or discarded."))
    if batch.is_expired:
        raise ValidationError(_("This preview has expired. Upload the file again."))
    return batch


@transaction.atomic
def import_discard(*, actor: Viewer, batch: ImportBatch) -> None:
    batch = _lock_open_batch(actor, batch)
    batch.status = ImportBatch.Status.DISCARDED
    batch.payload = None
    batch.save(update_fields=["status", "payload"])


@dataclass
class ImportResult:
    created: int
    updated: int
    unchanged: int
    consents: int


@transaction.atomic
def import_commit(
    *, actor: Viewer, batch: ImportBatch, update_existing: bool, consent: ImportConsent | None
) -> ImportResult:
    """Import every row of a previewed file, or nothing.

    Rows are checked again against the directory as it is now: if any row has a
    problem (or someone added a matching person meanwhile) nothing is written.
    New rows become new people; rows matching someone by phone or email update that
    person when `update_existing` (values in the file replace theirs, languages,
    skills and zones are added) and are skipped otherwise. Consent from the file is
    recorded with source "import" and the organizer's wording, only where the
    person has given no answer yet: an import never overrides a withdrawal.
    Side effects: people, their languages, skills, zones and consents; the batch's
    rows are dropped; one audit event.
    """
    batch = _lock_open_batch(actor, batch)
    raw_rows = json.loads(batch.payload)["raw"]
    rows = analyse_rows(actor.committee, raw_rows)
    if any(row["errors"] for row in rows):
        raise ValidationError(
            _("Some rows have problems. Correct them in the file and upload it again.")
        )
    new_rows = [r for r in rows if r["action"] == "new"]
    update_rows = [r for r in rows if r["action"] == "update"] if update_existing else []

    created = _create_people(actor, new_rows)
    _update_people(update_rows)

    consents = 0
    if consent and consent.pairs:
        # People matched but skipped are not touched at all, consent included.
        touched = {"new", "update", "unchanged"} if update_existing else {"new"}
        consenting = [r for r in rows if r["action"] in touched]
        if "consent" in batch.columns:
            consenting = [r for r in consenting if r["values"]["consent"]]
        consents = _record_consents(actor, [r["match"] for r in consenting], consent)

    batch.status = ImportBatch.Status.IMPORTED
    batch.payload = None
    batch.imported_at = timezone.now()
    batch.save(update_fields=["status", "payload", "imported_at"])
    result = ImportResult(
        created=len(created),
        updated=len(update_rows),
        unchanged=sum(1 for r in rows if r["action"] == "unchanged")
        + (0 if update_existing else sum(1 for r in rows if r["action"] == "update")),
        consents=consents,
    )
    audit_record(
        viewer=actor,
        kind=AuditEvent.Kind.IMPORTED,
        row_count=result.created + result.updated,
        details={
            "batch": batch.pk,
            "created": result.created,
            "updated": result.updated,
            "consents": result.consents,
        },
    )
    return result


def _m2m_rows(person_id: int, values: dict) -> dict[str, list]:
    return {
        "other_languages": [
            Person.other_languages.through(person_id=person_id, spokenlanguage_id=code)
            for code in values["other_languages"]
        ],
        "skills": [
            Person.skills.through(person_id=person_id, skill_id=pk) for pk in values["skills"]
        ],
        "zones": [Person.zones.through(person_id=person_id, zone_id=pk) for pk in values["zones"]],
    }


def _bulk_add_m2m(rows: list[dict]) -> None:
    links: dict[str, list] = {"other_languages": [], "skills": [], "zones": []}
    for row in rows:
        for name, items in _m2m_rows(row["match"], row["values"]).items():
            links[name] += items
    for name, items in links.items():
        getattr(Person, name).through.objects.bulk_create(
            items, batch_size=500, ignore_conflicts=True
        )


def _create_people(actor: Viewer, rows: list[dict]) -> list[Person]:
    people = []
    for row in rows:
        values = row["values"]
        person = Person(committee=actor.committee, language=values["language"] or Language.SPANISH)
        person.set_names(preferred_name=values["preferred_name"], full_name=values["full_name"])
        person.set_contact(phone=values["phone"], email=values["email"])
        people.append(person)
    Person.objects.bulk_create(people, batch_size=500)
    for row, person in zip(rows, people, strict=True):
        row["match"] = person.pk
    _bulk_add_m2m(rows)
    return people


def _update_people(rows: list[dict]) -> None:
    if not rows:
        return
    people = Person.objects.select_for_update().in_bulk([r["match"] for r in rows])
    changed = []
    for row in rows:
        person, values = people[row["match"]], row["values"]
        person.set_names(
            preferred_name=values["preferred_name"] or person.preferred_name,
            full_name=values["full_name"] or person.full_name,
        )
        person.set_contact(
            phone=values["phone"] or person.phone, email=values["email"] or person.email
        )
        person.language = values["language"] or person.language
        person.updated_at = timezone.now()
        changed.append(person)
    Person.objects.bulk_update(
        changed,
        [
            "preferred_name",
            "full_name",
            "search_name",
            "phone",
            "phone_hash",
            "email",
            "email_hash",
            "language",
            "updated_at",
        ],
        batch_size=500,
    )
    _bulk_add_m2m(rows)


def _record_consents(actor: Viewer, person_ids: list[int], consent: ImportConsent) -> int:
    pairs = [(Purpose(p), Channel(c)) for p, c in consent.pairs]
    answered = set()
    for chunk in chunks(person_ids):
        answered |= set(
            Consent.objects.filter(person_id__in=chunk).values_list(
                "person_id", "purpose", "channel"
            )
        )
    now = timezone.now()
    events = [
        ConsentEvent(
            person_id=person_id,
            purpose=purpose,
            channel=channel,
            granted=True,
            wording=consent.wording,
            language=consent.language,
            source=ConsentSource.IMPORT,
            recorded_by=actor.person,
            created_at=now,
        )
        for person_id in person_ids
        for purpose, channel in pairs
        if (person_id, purpose.value, channel.value) not in answered
    ]
    ConsentEvent.objects.bulk_create(events, batch_size=500)
    Consent.objects.bulk_create(
        [
            Consent(
                person_id=event.person_id,
                purpose=event.purpose,
                channel=event.channel,
                granted=True,
                event=event,
                updated_at=now,
            )
            for event in events
        ],
        batch_size=500,
    )
    return len(events)


def import_batches_purge() -> int:
    """Delete previews nobody confirmed in time, with the personal data they hold."""
    expired = ImportBatch.objects.filter(
        status=ImportBatch.Status.PREVIEW, expires_at__lte=timezone.now()
    )
    return expired.update(status=ImportBatch.Status.DISCARDED, payload=None)


def import_batches_forget(*, person: Person) -> None:
    """Discard the committee's waiting previews that mention this person (erasure)."""
    needles = {
        value.lower()
        for value in (person.phone, person.email, person.preferred_name, person.full_name)
        if value
    }
    waiting = ImportBatch.objects.filter(
        committee_id=person.committee_id, status=ImportBatch.Status.PREVIEW
    ).exclude(payload=None)
    for batch in waiting:
        text = (batch.payload or "").lower()
        if any(needle in text for needle in needles):
            ImportBatch.objects.filter(pk=batch.pk).update(
                status=ImportBatch.Status.DISCARDED, payload=None
            )
