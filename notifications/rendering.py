"""Render SMS and email bodies in a person's language, and measure SMS encoding."""

from __future__ import annotations

from dataclasses import dataclass

from django.template import engines
from django.utils import translation

# GSM 03.38 basic set and its extension table (each extension char costs two septets).
GSM7_BASIC = set(
    "@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !\"#¤%&'()*+,-./0123456789:;<=>?"
    "¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà"
)
GSM7_EXTENDED = set("^{}\\[~]|€\f")
GSM7 = frozenset(GSM7_BASIC | GSM7_EXTENDED)
# Characters that phones and word processors slip in and that would force UCS-2
# (a third of the capacity per segment) for no visible gain.
SMS_REPLACEMENTS = {
    "\xa0": " ",
    "\u2019": "'",
    "\u2018": "'",
    "\u201c": '"',
    "\u201d": '"',
    "\u2013": "-",
    "\u2014": "-",
    "\u2026": "...",
    "\u200b": "",  # zero-width space
    "\u00ab": '"',
    "\u00bb": '"',
}


@dataclass(frozen=True)
class SmsEncoding:
    encoding: str  # "GSM-7" or "UCS-2"
    segments: int
    characters: int


def normalise_sms(text: str) -> str:
    for bad, good in SMS_REPLACEMENTS.items():
        text = text.replace(bad, good)
    return "\n".join(line.rstrip() for line in text.strip().splitlines())


def sms_encoding(text: str) -> SmsEncoding:
    # Set operations rather than a loop per character: a sweep measures thousands of texts.
    if GSM7.issuperset(text):
        septets = len(text) + sum(text.count(c) for c in GSM7_EXTENDED)
        single, multi = 160, 153
        length = septets
        encoding = "GSM-7"
    else:
        # UTF-16 code units: characters outside the BMP (emoji) take two.
        length = len(text.encode("utf-16-le")) // 2
        single, multi = 70, 67
        encoding = "UCS-2"
    segments = 0 if length == 0 else (1 if length <= single else -(-length // multi))
    return SmsEncoding(encoding=encoding, segments=segments, characters=len(text))


@dataclass(frozen=True)
class Rendered:
    subject: str
    body: str
    encoding: str = ""
    segments: int = 0


def render_to_string(name: str, context: dict) -> str:
    # The plain-text engine (settings.TEMPLATES "text"): no HTML escaping in SMS/email.
    return engines["text"].get_template(name).render(context)


def render(*, template: str, channel: str, language: str, context: dict) -> Rendered:
    """Render `templates/notifications/<channel>/<template>.txt` in `language`.

    Email also renders `<template>.subject.txt`. SMS bodies are normalised to stay in
    GSM-7 where possible.
    """
    with translation.override(language):
        if channel == "sms":
            body = normalise_sms(render_to_string(f"notifications/sms/{template}.txt", context))
            measured = sms_encoding(body)
            return Rendered(
                subject="", body=body, encoding=measured.encoding, segments=measured.segments
            )
        subject = render_to_string(f"notifications/email/{template}.subject.txt", context)
        body = render_to_string(f"notifications/email/{template}.txt", context)
        return Rendered(subject=" ".join(subject.split()), body=body.strip())
