"""CSV files people upload and download.

Writing: every cell is made safe from formula injection and the file starts with a
UTF-8 byte-order mark, so Excel reads accents. Reading: strict about the file (size,
binary, encoding, delimiter) and gives back rows of raw text cells; what the columns
mean is the caller's business. Every problem is a `CsvFileError` whose message, in the
reader's language, says what to do.
"""

from __future__ import annotations

import csv
import io

from django.core.exceptions import ValidationError
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _

MAX_UPLOAD_BYTES = 5 * 1024 * 1024

# Spreadsheet programs run a cell that starts with one of these as a formula
# (CSV injection, e.g. =HYPERLINK(...) leaking data when clicked).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


class CsvFileError(ValidationError):
    """The file as a whole cannot be read; the message says why and what to do."""


def looks_like_formula(value: str) -> bool:
    return bool(value) and value.startswith(FORMULA_PREFIXES)


def spreadsheet_safe(value) -> str:
    """A cell a spreadsheet shows as text: a leading ' keeps = + - @ from running."""
    text = "" if value is None else str(value)
    return f"'{text}" if looks_like_formula(text) else text


def unquote(cell: str) -> str:
    """Undo the ' that `spreadsheet_safe` puts before a cell such as +12135550142."""
    return cell[1:] if cell.startswith("'") and looks_like_formula(cell[1:]) else cell


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


def too_large_message() -> str:
    return _("The file is too large. The limit is %(size)s; split it into smaller files.") % {
        "size": filesizeformat(MAX_UPLOAD_BYTES)
    }


def _decode(data: bytes) -> str:
    if data.startswith(b"PK\x03\x04"):
        raise CsvFileError(
            _(
                "This is an Excel workbook, not a CSV file. In Excel choose File › Save As › "
                "“CSV UTF-8 (comma delimited)” and upload that file."
            )
        )
    if b"\x00" in data:
        raise CsvFileError(
            _("This file is not a CSV text file. Upload the spreadsheet saved as “CSV UTF-8”.")
        )
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise CsvFileError(
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


def read_csv(upload) -> list[list[str]]:
    """Every record of an uploaded CSV (UTF-8, with or without Excel's BOM; comma,
    semicolon or tab), header first, cells as typed.

    Raises CsvFileError for a file too large, binary, not UTF-8, empty or not CSV.
    """
    size = getattr(upload, "size", None)
    if size is not None and size > MAX_UPLOAD_BYTES:
        raise CsvFileError(too_large_message())
    data = upload.read(MAX_UPLOAD_BYTES + 1)
    if len(data) > MAX_UPLOAD_BYTES:
        raise CsvFileError(too_large_message())
    text = _decode(data)
    if not text.strip():
        raise CsvFileError(_("The file is empty."))
    try:
        return list(csv.reader(io.StringIO(text, newline=""), _dialect(text)))
    except csv.Error:
        raise CsvFileError(
            _("This file could not be read as CSV. Save the spreadsheet as “CSV UTF-8”.")
        )
