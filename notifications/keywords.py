"""SMS keywords in English and Spanish: opt out, opt back in, ask for help.

A text is a keyword when, stripped, case-folded, without accents and with its spaces
collapsed, it is exactly one of these ("Baja ", "baja", "NO  MÁS" all count). Anything
longer is a reply, routed to the conversation it belongs to: we do not guess at intent
from a sentence, but a coordinator sees every unmatched reply.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from dataclasses import dataclass


class KeywordKind(enum.StrEnum):
    OPT_OUT = "opt_out"
    OPT_IN = "opt_in"
    HELP = "help"


# keyword -> (kind, language of the keyword)
KEYWORDS: dict[str, tuple[KeywordKind, str]] = {
    **{
        word: (KeywordKind.OPT_OUT, "en")
        for word in ("STOP", "STOPALL", "UNSUBSCRIBE", "CANCEL", "END", "QUIT", "REVOKE", "OPTOUT")
    },
    **{
        word: (KeywordKind.OPT_OUT, "es")
        for word in ("BAJA", "ALTO", "PARAR", "CANCELAR", "NO MAS")
    },
    **{word: (KeywordKind.OPT_IN, "en") for word in ("START", "UNSTOP")},
    **{word: (KeywordKind.OPT_IN, "es") for word in ("ALTA", "REANUDAR")},
    **{word: (KeywordKind.HELP, "en") for word in ("HELP", "INFO")},
    **{word: (KeywordKind.HELP, "es") for word in ("AYUDA",)},
}

# What Twilio's Advanced Opt-Out reports in `OptOutType` when it handled a keyword.
OPT_OUT_TYPES = {"STOP": KeywordKind.OPT_OUT, "START": KeywordKind.OPT_IN, "HELP": KeywordKind.HELP}


@dataclass(frozen=True)
class Keyword:
    word: str  # normalised, e.g. "NO MAS"
    kind: KeywordKind
    language: str


def normalise(text: str) -> str:
    """Upper-case, accents and punctuation around the word removed, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    plain = re.sub(r"[\s\u200b]+", " ", plain).strip(" .!¡?¿,;:'\"")
    return plain.upper()


def recognise(text: str) -> Keyword | None:
    word = normalise(text)
    found = KEYWORDS.get(word)
    if found is None:
        return None
    return Keyword(word=word, kind=found[0], language=found[1])
