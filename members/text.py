"""Text helpers shared by search, import and export."""

import unicodedata


def search_key(text: str) -> str:
    """Lower case, without accents, single spaces: "  José  PEÑA" -> "jose pena"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())


# Spreadsheet programs run a cell that starts with one of these as a formula
# (CSV injection, e.g. =HYPERLINK(...) leaking data when clicked).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def looks_like_formula(value: str) -> bool:
    return bool(value) and value.startswith(FORMULA_PREFIXES)


def spreadsheet_safe(value) -> str:
    """A cell a spreadsheet shows as text: a leading ' keeps = + - @ from running."""
    text = "" if value is None else str(value)
    return f"'{text}" if looks_like_formula(text) else text
