"""Reading the spreadsheets organizers upload, and writing the ones they download.

Reading is strict about the file (size, encoding, columns) and returns raw text
cells; whether each value makes sense is decided in services.imports. Every
problem is an `ImportFileError` with a message in the reader's language.
"""

from __future__ import annotations

import csv
import io
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

from .text import looks_like_formula, search_key, spreadsheet_safe

MAX_UPLOAD_BYTES = 5 * 1024 * 1024
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


class ImportFileError(ValidationError):
    """The file as a whole cannot be read; the message says why and what to do."""


@dataclass
class ParsedFile:
    columns: list[str]  # our column names, in file order
    ignored: list[str]  # headers we did not understand
    rows: list[dict] = field(default_factory=list)  # {"line": n, "cells": {column: text}}


def _header_key(header: str) -> str:
    return search_key(header.replace("_", " ").replace("-", " ")).strip(" :*.")


def _decode(data: bytes) -> str:
    if data.startswith(b"PK\x03\x04"):
        raise ImportFileError(
            _(
                "This is an Excel workbook, not a CSV file. In Excel choose File › Save As › "
                "“CSV UTF-8 (comma delimited)” and upload that file."
            )
        )
    if b"\x00" in data:
        raise ImportFileError(
            _("This file is not a CSV text file. Upload the spreadsheet saved as “CSV UTF-8”.")
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise ImportFileError(
            _(
                "This file is not in UTF-8, so accents would be garbled. In Excel choose "
                "“CSV UTF-8 (comma delimited)”; in Google Sheets, File › Download › CSV."
            )
        )


def _dialect(text: str):
    first_line = text.split("\n", 1)[0]
    try:
        return csv.Sniffer().sniff(first_line, delimiters=",;\t")
    except csv.Error:
        return csv.excel


def _unquote(cell: str) -> str:
    """Undo the ' our export puts before a cell such as +12135550142."""
    return cell[1:] if cell.startswith("'") and looks_like_formula(cell[1:]) else cell


def read_people_csv(upload) -> ParsedFile:
    """Parse an uploaded CSV of people (UTF-8, with or without Excel's BOM).

    Raises ImportFileError for a file too large, binary or not UTF-8, without a
    header row naming at least a name column, with a column twice, or too long.
    """
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise ImportFileError(too_large_message())
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise ImportFileError(too_large_message())
    text = _decode(data)
    if not text.strip():
        raise ImportFileError(_("The file is empty."))
    try:
        records = list(csv.reader(io.StringIO(text, newline=""), _dialect(text)))
    except csv.Error:
        raise ImportFileError(
            _("This file could not be read as CSV. Save the spreadsheet as “CSV UTF-8”.")
        )
    headers, *body = records
    columns: list[str | None] = []
    ignored: list[str] = []
    for header in headers:
        column = HEADER_LOOKUP.get(_header_key(header))
        if column is not None and column in columns:
            raise ImportFileError(
                _("The column “%(header)s” appears twice. Keep only one.") % {"header": header}
            )
        columns.append(column)
        if column is None and header.strip():
            ignored.append(header.strip()[:60])
    if "preferred_name" not in columns:
        raise ImportFileError(
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
            column: _unquote(record[index].strip()) if index < len(record) else ""
            for index, column in enumerate(columns)
            if column is not None
        }
        extra = any(cell.strip() for cell in record[len(columns) :])
        rows.append({"line": line, "cells": cells, "extra": extra})
        if len(rows) > MAX_ROWS:
            raise ImportFileError(
                _("The file has more than %(max)s people. Split it into smaller files.")
                % {"max": f"{MAX_ROWS:,}"}
            )
    if not rows:
        raise ImportFileError(_("The file has column names but no people."))
    return ParsedFile(columns=[c for c in columns if c], ignored=ignored, rows=rows)


def too_large_message() -> str:
    return _("The file is too large. The limit is %(size)s; split it into smaller files.") % {
        "size": filesizeformat(MAX_UPLOAD_BYTES)
    }


def write_csv(rows, header: list[str]):
    """Yield CSV text chunks (BOM first, so Excel reads accents) with every cell
    made safe from formula injection and quoted: where a spreadsheet splits on `;`
    (many European locales), an unquoted "a;=cmd()" becomes two cells, the second a
    formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL)
    yield "\ufeff"
    writer.writerow([spreadsheet_safe(cell) for cell in header])
    for row in rows:
        writer.writerow([spreadsheet_safe(cell) for cell in row])
        if buffer.tell() > 64 * 1024:
            yield buffer.getvalue()
            buffer.seek(0)
            buffer.truncate()
    yield buffer.getvalue()
