"""Reading the spreadsheet of people organizers upload.

`lib.csv_io` reads the file (size, encoding, delimiter); here the columns are
recognised and the rows returned as raw text cells; whether each value makes sense is
decided in services.imports. Every problem is a `CsvFileError` with a message in the
reader's language.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.utils.translation import gettext as _

from lib.csv_io import CsvFileError, read_csv, unquote

from .text import search_key

MAX_ROWS = 10_000

# Header names we understand, compared without case, accents, "_" or "-".
COLUMN_ALIASES = {
    "preferred_name": [
        "name",
        "preferred name",
        "first name",
        "nickname",
        "nombre",
        "nombre preferido",
        "apodo",
        "como le llamamos",
    ],
    "full_name": ["full name", "legal name", "nombre completo", "nombre y apellidos"],
    "phone": [
        "phone",
        "phone number",
        "mobile",
        "mobile phone",
        "cell",
        "cell phone",
        "telefono",
        "numero de telefono",
        "celular",
        "movil",
        "whatsapp",
    ],
    "email": ["email", "e mail", "email address", "mail", "correo", "correo electronico"],
    "language": ["language", "preferred language", "idioma", "idioma preferido", "lengua"],
    "other_languages": [
        "other languages",
        "languages",
        "languages spoken",
        "otros idiomas",
        "idiomas",
        "otras lenguas",
    ],
    "skills": ["skills", "skill", "habilidades", "habilidad", "destrezas"],
    "zones": ["zones", "zone", "zonas", "zona", "area", "barrio"],
    "consent": ["consent", "agreed", "opt in", "consentimiento", "acepta", "autoriza"],
}
HEADER_LOOKUP = {alias: column for column, aliases in COLUMN_ALIASES.items() for alias in aliases}


@dataclass
class ParsedFile:
    columns: list[str]  # our column names, in file order
    ignored: list[str]  # headers we did not understand
    rows: list[dict] = field(default_factory=list)  # {"line": n, "cells": {column: text}}


def _header_key(header: str) -> str:
    return search_key(header.replace("_", " ").replace("-", " ")).strip(" :*.")


def read_people_csv(upload) -> ParsedFile:
    """Parse an uploaded CSV of people (UTF-8, with or without Excel's BOM).

    Raises CsvFileError for a file too large, binary or not UTF-8, without a
    header row naming at least a name column, with a column twice, or too long.
    """
    headers, *body = read_csv(upload)
    columns: list[str | None] = []
    ignored: list[str] = []
    for header in headers:
        column = HEADER_LOOKUP.get(_header_key(header))
        if column is not None and column in columns:
            raise CsvFileError(
                _("The column “%(header)s” appears twice. Keep only one.") % {"header": header}
            )
        columns.append(column)
        if column is None and header.strip():
            ignored.append(header.strip()[:60])
    if "preferred_name" not in columns:
        raise CsvFileError(
            _(
                "We could not find the columns we need. The first row must name the columns, "
                "with at least a name column: name, phone, email, language, zone, skills "
                "(or in Spanish: nombre, teléfono, correo, idioma, zona, habilidades)."
            )
        )
    rows = []
    for line, record in enumerate(body, start=2):
        if not any(cell.strip() for cell in record):
            continue
        cells = {
            column: unquote(record[index].strip()) if index < len(record) else ""
            for index, column in enumerate(columns)
            if column is not None
        }
        extra = any(cell.strip() for cell in record[len(columns) :])
        rows.append({"line": line, "cells": cells, "extra": extra})
        if len(rows) > MAX_ROWS:
            raise CsvFileError(
                _("The file has more than %(max)s people. Split it into smaller files.")
                % {"max": f"{MAX_ROWS:,}"}
            )
    if not rows:
        raise CsvFileError(_("The file has column names but no people."))
    return ParsedFile(columns=[c for c in columns if c], ignored=ignored, rows=rows)
