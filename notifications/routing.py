"""Where SMS replies go, when a person has open questions from several parts at once.

Each part registers a handler for the conversations it opens:

    @routing.handler("trainings.day_before", choices=2)
    def reply(conversation, text, choice) -> str | None: ...   # the answer to send, if any

Three kinds of question, so that no reply can land in the wrong part:

* **numbered** (`choices=N`): `conversation_open` gives the conversation the person's
  lowest block of N numbers not used by their other open numbered questions (1-2, else
  3-4, 5-6...), in `conversation.codes`; the part's text offers exactly those numbers.
  A reply "3" reaches the conversation holding 3, as `choice=1` (its first option).
* **urgent** (`urgent=True`, raid alerts): YES / Y / SÍ / SI / NO / N always go to the
  person's newest open urgent conversation (`choice` 1 = yes, 2 = no), whatever else is
  open. Numbered questions never use those words.
* **free-form** (`accepts=function(text) -> bool`, e.g. "SÍ 200" to a bond-fund call):
  the newest open conversation whose handler accepts the text; `choice` is None.

A text that answers no open question may be claimed by a part that registered
`@routing.inbound_fallback` (`function(inbound) -> bool`, True: claimed; it runs in the
webhook's transaction and answers the sender itself, if at all). Anything else waits
in the coordinators' inbox (`select` returns None).
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Callable, Iterable
from dataclasses import dataclass


@dataclass(frozen=True)
class Handler:
    kind: str
    function: Callable
    choices: int = 0
    urgent: bool = False
    accepts: Callable[[str], bool] | None = None


HANDLERS: dict[str, Handler] = {}
# Functions offered, in registration order, an inbound text that answers no question.
FALLBACKS: list[Callable] = []

YES_WORDS = {"yes", "y", "si", "s", "sip", "yep"}
NO_WORDS = {"no", "n", "nop", "nope"}
_PUNCTUATION = re.compile(r"[\s.,;:!¡?¿()\"'*#-]+")


def handler(kind: str, *, choices: int = 0, urgent: bool = False, accepts=None):
    """Register the function that answers replies to `kind` conversations."""
    if sum((bool(choices), urgent, accepts is not None)) != 1:
        raise ValueError(f"{kind}: give exactly one of choices=, urgent=True or accepts=")

    def register(function):
        if kind in HANDLERS and HANDLERS[kind].function is not function:
            raise ValueError(f"a reply handler for {kind!r} is already registered")
        HANDLERS[kind] = Handler(kind, function, choices, urgent, accepts)
        return function

    return register


def inbound_fallback(function: Callable) -> Callable:
    """Register `function(inbound) -> bool` for texts that answer no open question; the
    first to return True claims the text (it leaves the coordinators' inbox)."""
    if function not in FALLBACKS:
        FALLBACKS.append(function)
    return function


def normalised(text: str) -> str:
    """'  Sí! ' -> 'si'; accents, case and punctuation are not what a person meant."""
    folded = unicodedata.normalize("NFKD", (text or "").casefold())
    folded = "".join(c for c in folded if not unicodedata.combining(c))
    return _PUNCTUATION.sub("", folded)


def yes_or_no(text: str) -> int | None:
    word = normalised(text)
    return 1 if word in YES_WORDS else 2 if word in NO_WORDS else None


def codes_for(conversation) -> tuple[int, ...]:
    spec = HANDLERS.get(conversation.kind)
    if not spec or not spec.choices or conversation.code_base is None:
        return ()
    return tuple(range(conversation.code_base, conversation.code_base + spec.choices))


def free_code_base(kind: str, taken: Iterable[tuple[int, int]]) -> int | None:
    """The lowest start of a block of this kind's size that overlaps no taken block
    ((start, size) pairs of the person's other open numbered conversations)."""
    spec = HANDLERS.get(kind)
    if spec is None or not spec.choices:
        return None
    taken = sorted(taken)
    start = 1
    while True:
        end = start + spec.choices
        clash = next((s + n for s, n in taken if s < end and start < s + n), None)
        if clash is None:
            return start
        start = clash


def select(conversations: list, text: str):
    """The open conversation a reply answers, and the choice it makes: `(conversation,
    choice)`, or `(None, None)`. `conversations` are the person's open ones, newest first."""
    answer = yes_or_no(text)
    if answer is not None:
        for conversation in conversations:
            spec = HANDLERS.get(conversation.kind)
            if spec and spec.urgent:
                return conversation, answer
    word = normalised(text)
    if word.isdigit():
        number = int(word)
        for conversation in conversations:
            codes = codes_for(conversation)
            if number in codes:
                return conversation, codes.index(number) + 1
    for conversation in conversations:
        spec = HANDLERS.get(conversation.kind)
        if spec and spec.accepts is not None and spec.accepts(text):
            return conversation, None
    return None, None
