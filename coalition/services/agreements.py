"""Importing the public list of 287(g) agreements (ICE's published list, or a
tracker's export of it) from an uploaded CSV. No scraping: someone downloads the
list and uploads it here.

One bad row is reported with its line number and the others are imported. Each
import is compared with what the committee already had, by the agreement's stable
id: added, changed (which field, from what to what) and no longer on the list
(marked removed)."""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import date, datetime

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.text import slugify
from django.utils.translation import gettext as _

from committees.access import Action, Viewer
from lib.csv_io import read_csv, unquote
from members.text import search_key

from ..models import Agreement287g, AgreementImport, AgreementStatus, AgreementType

MAX_ROWS = 20_000
COLUMNS = {
    "external_id": ["id", "agreement id", "stable id", "uid"],
    "state": ["state", "st", "estado"],
    "agency_name": ["agency", "law enforcement agency", "agency name", "agencia"],
    "county": ["county", "condado"],
    "type": ["type", "support type", "model", "agreement type", "tipo"],
    "status": ["status", "estado del acuerdo"],
    "signed_on": ["signed", "signed date", "date signed", "moa signed", "firmado"],
}
HEADERS = {alias: column for column, aliases in COLUMNS.items() for alias in aliases}
TRACKED = ("agency_name", "state", "county", "type", "status", "signed_on")


@dataclass
class AgreementImportResult:
    batch: AgreementImport
    added: list[str]
    changed: list[dict]
    removed: list[str]
    errors: list[dict]


def _type(value: str) -> str:
    key = search_key(value)
    if "jail" in key or "jem" in key or "carcel" in key:
        return AgreementType.JAIL
    if "warrant" in key or "wso" in key or "orden" in key:
        return AgreementType.WARRANT_SERVICE
    if "task" in key or "tfm" in key or "fuerza" in key:
        return AgreementType.TASK_FORCE
    raise ValueError(_("Unknown type “%(value)s”: use jail, warrant service or task force."))


def _status(value: str) -> str:
    key = search_key(value) or "active"
    for status in AgreementStatus:
        if key.startswith(status.value):
            return status.value
    if key in ("pending", "signed", "activo"):
        return AgreementStatus.ACTIVE
    raise ValueError(_("Unknown status “%(value)s”: use active, superseded or removed."))


def _date(value: str) -> date | None:
    value = value.strip()
    if not value:
        return None
    for pattern in ("%Y-%m-%d", "%m/%d/%Y", "%m/%d/%y", "%d-%b-%y", "%B %d, %Y"):
        try:
            return datetime.strptime(value, pattern).date()
        except ValueError:
            continue
    raise ValueError(_("Unreadable date “%(value)s”: use 2025-03-31."))


def _clean(cells: dict) -> dict:
    agency = " ".join(cells.get("agency_name", "").split())[:200]
    state = cells.get("state", "").strip().upper()
    if not agency:
        raise ValueError(_("The agency is missing."))
    if len(state) != 2 or not state.isalpha():
        raise ValueError(_("The state must be two letters, for example TX."))
    row = {"agency_name": agency, "state": state, "county": cells.get("county", "").strip()[:100]}
    for column, parse in (("type", _type), ("status", _status), ("signed_on", _date)):
        value = cells.get(column, "")
        try:
            row[column] = parse(value)
        except ValueError as error:
            raise ValueError(str(error.args[0]) % {"value": value[:40]}) from error
    external_id = cells.get("external_id", "").strip()[:64]
    if not external_id:
        # ICE's own list has no ids: agency, state and type name one agreement.
        seed = f"{state}|{slugify(agency)}|{row['type']}"
        external_id = "h-" + hashlib.sha256(seed.encode()).hexdigest()[:16]
    row["external_id"] = external_id
    return row


def _rows(upload) -> list[tuple[int, dict]]:
    records = read_csv(upload)
    header, *body = records
    columns = [HEADERS.get(search_key(h.replace("_", " "))) for h in header]
    if "agency_name" not in columns or "state" not in columns or "type" not in columns:
        raise ValidationError(
            _("The first row must name the columns, with at least: agency, state and type.")
        )
    if len(body) > MAX_ROWS:
        raise ValidationError(_("The file has too many rows."))
    rows = []
    for line, record in enumerate(body, start=2):
        if not any(cell.strip() for cell in record):
            continue
        cells = {
            c: unquote(record[i].strip()) for i, c in enumerate(columns) if c and i < len(record)
        }
        rows.append((line, cells))
    return rows


def _shown(value) -> str:
    return value.isoformat() if isinstance(value, date) else str(value)


@transaction.atomic
def agreements_import(*, actor: Viewer, upload) -> AgreementImportResult:
    """Read the CSV, import every good row, report the bad ones and what changed."""
    actor.require(Action.MANAGE_COALITION)
    rows = _rows(upload)
    committee = actor.committee
    first = not Agreement287g.objects.filter(committee=committee).exists()
    batch = AgreementImport.objects.create(
        committee=committee,
        uploaded_by=actor.membership,
        filename=(getattr(upload, "name", "") or "")[:200],
        rows_read=len(rows),
    )
    errors, seen, good = [], set(), []
    for line, cells in rows:
        try:
            row = _clean(cells)
        except ValueError as error:
            errors.append({"row": line, "error": str(error)})
            continue
        if row["external_id"] in seen:
            errors.append({"row": line, "error": _("The same agreement appears twice.")})
            continue
        seen.add(row["external_id"])
        good.append(row)
    existing = {a.external_id: a for a in Agreement287g.objects.filter(committee=committee)}
    added, changed, to_create, to_update = [], [], [], []
    for row in good:
        current = existing.get(row["external_id"])
        if current is None:
            added.append(row["external_id"])
            to_create.append(Agreement287g(committee=committee, last_import=batch, **row))
            continue
        for field in TRACKED:
            if getattr(current, field) != row[field]:
                changed.append(
                    {
                        "id": current.external_id,
                        "agency": row["agency_name"],
                        "field": field,
                        "old": _shown(getattr(current, field)),
                        "new": _shown(row[field]),
                    }
                )
                setattr(current, field, row[field])
        current.last_import = batch
        to_update.append(current)
    Agreement287g.objects.bulk_create(to_create, batch_size=1000)
    Agreement287g.objects.bulk_update(to_update, [*TRACKED, "last_import"], batch_size=1000)
    # An agreement that was on the last list and is not on this one was taken off it.
    removed = sorted(
        a.external_id
        for a in existing.values()
        if a.external_id not in seen and a.status != AgreementStatus.REMOVED
    )
    Agreement287g.objects.filter(committee=committee, external_id__in=removed).update(
        status=AgreementStatus.REMOVED, last_import=batch
    )
    batch.rows_imported = len(good)
    batch.errors = errors
    batch.changes = {
        "first": first,
        "added": [] if first else added,
        "added_count": len(added),
        "changed": changed,
        "removed": removed,
    }
    batch.save(update_fields=["rows_imported", "errors", "changes"])
    return AgreementImportResult(
        batch=batch, added=added, changed=changed, removed=removed, errors=errors
    )
