"""Text helpers for search and import."""

import unicodedata


def search_key(text: str) -> str:
    """Lower case, without accents, single spaces: "  José  PEÑA" -> "jose pena"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(stripped.casefold().split())
