"""Checking each row of an uploaded CSV against the committee's directory.

`analyse_rows()` turns the raw cells of every row into clean values, the problems
found (as codes, shown in the reader's language by `row_error_message()`), and what
importing it would do: add a new person, update the one it matches, or nothing.
"""

from __future__ import annotations

import re

from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db.models import Q
from django.utils.translation import gettext_lazy

from committees.models import Zone
from lib.crypto import lookup_hash
from lib.csv_io import looks_like_formula

from ..models import Language, Person, Skill, SpokenLanguage
from ..phones import normalise_phone
from ..text import search_key

LIST_SEPARATORS = (";", ",", "/", "|")

ROW_ERRORS = {
    "missing_name": gettext_lazy("The name is missing."),
    "name_too_long": gettext_lazy("The name is too long (at most %(value)s characters)."),
    "formula": gettext_lazy(
        "“%(value)s” starts with = + - or @, which spreadsheets run as a formula. "
        "Remove that character."
    ),
    "bad_phone": gettext_lazy("“%(value)s” is not a valid phone number."),
    "bad_email": gettext_lazy("“%(value)s” is not a valid email address."),
    "no_contact": gettext_lazy("A phone number or an email address is needed."),
    "unknown_language": gettext_lazy("Unknown language “%(value)s”."),
    "unknown_zone": gettext_lazy("Unknown zone “%(value)s”."),
    "unknown_skill": gettext_lazy("Unknown skill “%(value)s”."),
    "bad_consent": gettext_lazy("Consent must be yes or no, not “%(value)s”."),
    "duplicate_in_file": gettext_lazy("Same phone or email as row %(value)s of this file."),
    "matches_two": gettext_lazy(
        "The phone belongs to one person in the directory and the email to another (%(value)s)."
    ),
    "extra_cells": gettext_lazy("This row has more cells than the file has columns."),
}
YES = {"yes", "y", "si", "s", "x", "1", "true", "ok"}
NO = {"no", "n", "0", "false", ""}
LANGUAGE_WORDS = {
    "en": Language.ENGLISH,
    "english": Language.ENGLISH,
    "ingles": Language.ENGLISH,
    "es": Language.SPANISH,
    "spanish": Language.SPANISH,
    "espanol": Language.SPANISH,
    "castellano": Language.SPANISH,
    "espanol (spanish)": Language.SPANISH,
    "english (ingles)": Language.ENGLISH,
}


def row_error_message(error: dict) -> str:
    return str(ROW_ERRORS[error["code"]]) % {"value": error.get("value", "")}


# Words people type in spreadsheets for the built-in skills and the spoken languages,
# besides their names in English and Spanish (compared without case or accents).
SKILL_SYNONYMS = {
    "interpreter": ["interpreting", "interpretation", "interprete", "interpretacion"],
    "translator": ["translation", "translator", "traductor", "traductora", "traduccion"],
    "legal": ["lawyer", "attorney", "paralegal", "abogado", "abogada"],
    "driver": ["driving", "chofer", "conductor", "conductora", "transporte", "transport"],
    "medic": ["first aid", "medic", "nurse", "medico", "medica", "enfermero", "enfermera"],
    "childcare": ["child care", "cuidado infantil", "ninera", "ninero", "guarderia"],
    "tech": ["technology", "it", "computers", "tecnologia", "computacion"],
    "accompaniment": ["accompanier", "acompanante", "acompanamiento", "court accompaniment"],
}
LANGUAGE_SYNONYMS = {
    "en": ["ingles", "english"],
    "es": ["espanol", "castellano", "spanish"],
    "pt": ["portugues", "portuguese"],
    "ht": ["creole", "kreyol", "haitian", "criollo", "kreyol ayisyen"],
    "zh": ["mandarin", "cantonese", "mandarin chinese", "chino mandarin"],
    "asl": ["sign language", "lengua de senas", "lsa"],
    "quc": ["kiche", "quiche", "k'iche"],
    "nah": ["nahuatl", "nahuat"],
}


def name_variants(name: str) -> set[str]:
    """The ways a sheet may write `name`: "Conductor(a)" also as "conductor", "conductora"
    and "conductor (a)"; "Medic / first aid" also as "medic" and "first aid";
    "Interpreter (spoken)" also as "interpreter"."""
    key = search_key(name)
    variants = {key}
    for part in key.split("/"):
        part = part.strip()
        if not part:
            continue
        variants.add(part)
        bare = re.sub(r"\s*\([^)]*\)", "", part).strip()
        if bare:
            variants.add(bare)
        # Spanish gendered forms written "conductor(a)" or "conductor/a".
        for ending in re.findall(r"\((a|as|os|es)\)", part):
            variants.update({bare + ending, f"{bare}/{ending}"})
    variants.add(key.replace("(", " (").replace("  ", " "))
    return {v for v in variants if v}


class _Lookups:
    """The committee's zones, skills and languages, by every name a sheet may use:
    both languages, their common variants and synonyms, without case or accents."""

    def __init__(self, committee):
        self.zones = {}
        for zone in Zone.objects.filter(committee=committee):
            for variant in name_variants(zone.name) | {search_key(zone.name)}:
                self.zones.setdefault(variant, zone.pk)
        self.skills = {}
        skills = list(Skill.objects.filter(Q(committee__isnull=True) | Q(committee=committee)))
        # Exact names first, so that a variant never shadows another skill's own name.
        for skill in skills:
            for name in (skill.slug, skill.name_en, skill.name_es):
                self.skills.setdefault(search_key(name), skill.pk)
        for skill in skills:
            names = [skill.name_en, skill.name_es]
            if skill.committee_id is None:
                names += SKILL_SYNONYMS.get(skill.slug, [])
            for name in names:
                for variant in name_variants(name):
                    self.skills.setdefault(variant, skill.pk)
        self.languages = {}
        for language in SpokenLanguage.objects.all():
            for name in (language.code, language.name_en, language.name_es):
                self.languages[search_key(name)] = language.code
        for language in SpokenLanguage.objects.all():
            for name in [
                language.name_en,
                language.name_es,
                *LANGUAGE_SYNONYMS.get(language.code, []),
            ]:
                for variant in name_variants(name):
                    self.languages.setdefault(variant, language.code)


def _split(value: str) -> list[str]:
    for separator in LIST_SEPARATORS[1:]:
        value = value.replace(separator, LIST_SEPARATORS[0])
    return [part.strip() for part in value.split(LIST_SEPARATORS[0]) if part.strip()]


def _match_names(value: str, table: dict, code: str, errors: list) -> list:
    """Values from a cell like "Zona 1; Zona 3"; the whole cell is tried first, so a
    name that contains a comma still matches."""
    if not value:
        return []
    whole = table.get(search_key(value))
    if whole is not None:
        return [whole]
    found = []
    for part in _split(value):
        key = table.get(search_key(part))
        if key is None:
            errors.append({"code": code, "value": part})
        elif key not in found:
            found.append(key)
    return found


def _clean_row(raw: dict, lookups: _Lookups) -> dict:
    cells, errors = raw["cells"], []
    name = cells.get("preferred_name", "")
    full_name = cells.get("full_name", "")
    for text in (name, full_name):
        if looks_like_formula(text):
            errors.append({"code": "formula", "value": text[:60]})
    if not name:
        errors.append({"code": "missing_name"})
    elif len(name) > 120:
        errors.append({"code": "name_too_long", "value": 120})
    if len(full_name) > 200:
        errors.append({"code": "name_too_long", "value": 200})

    phone = None
    if cells.get("phone"):
        phone = normalise_phone(cells["phone"])
        if phone is None:
            errors.append({"code": "bad_phone", "value": cells["phone"][:40]})
    email = None
    if cells.get("email"):
        email = cells["email"].strip().lower()
        try:
            if looks_like_formula(email):
                raise ValidationError("formula")
            validate_email(email)
        except ValidationError:
            errors.append({"code": "bad_email", "value": cells["email"][:80]})
            email = None
    if not cells.get("phone") and not cells.get("email"):
        errors.append({"code": "no_contact"})

    language = None
    if cells.get("language"):
        language = LANGUAGE_WORDS.get(search_key(cells["language"]))
        if language is None:
            errors.append({"code": "unknown_language", "value": cells["language"][:40]})
    other_languages = _match_names(
        cells.get("other_languages", ""), lookups.languages, "unknown_language", errors
    )
    skills = _match_names(cells.get("skills", ""), lookups.skills, "unknown_skill", errors)
    zones = _match_names(cells.get("zones", ""), lookups.zones, "unknown_zone", errors)
    consent = None
    if "consent" in cells:
        answer = search_key(cells["consent"])
        consent = True if answer in YES else False if answer in NO else None
        if consent is None:
            errors.append({"code": "bad_consent", "value": cells["consent"][:20]})
    if raw.get("extra"):
        errors.append({"code": "extra_cells"})
    return {
        "line": raw["line"],
        "name": name[:120],
        "errors": errors,
        "values": {
            "preferred_name": name,
            "full_name": full_name,
            "phone": phone,
            "email": email,
            "language": language,
            "other_languages": other_languages,
            "skills": skills,
            "zones": zones,
            "consent": consent,
        },
        "match": None,
        "changes": [],
    }


def chunks(items: list, size: int = 500):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _existing(committee, field: str, hashes: set[str]) -> dict[str, int]:
    found = {}
    for chunk in chunks(sorted(h for h in hashes if h)):
        for value, pk in Person.objects.filter(
            committee=committee, erased_at__isnull=True, **{f"{field}__in": chunk}
        ).values_list(field, "pk"):
            found.setdefault(value, pk)
    return found


def _changes(person: Person, values: dict) -> list[str]:
    """The fields an update would change on this existing person."""
    changes = []
    for name in ("preferred_name", "full_name", "phone", "email", "language"):
        new = values.get(name)
        if new and str(getattr(person, name) or "") != new:
            changes.append(name)
    current = {
        "other_languages": {lang.code for lang in person.other_languages.all()},
        "skills": {skill.pk for skill in person.skills.all()},
        "zones": {zone.pk for zone in person.zones.all()},
    }
    for name, have in current.items():
        if set(values[name]) - have:
            changes.append(name)
    return changes


def analyse_rows(committee, raw_rows: list[dict]) -> list[dict]:
    """Check every row and match it with the directory. Returns one result per row."""
    lookups = _Lookups(committee)
    rows = [_clean_row(raw, lookups) for raw in raw_rows]

    first_line: dict[str, int] = {}
    for row in rows:
        for key in (row["values"]["phone"], row["values"]["email"]):
            if not key:
                continue
            if key in first_line:
                row["errors"].append({"code": "duplicate_in_file", "value": first_line[key]})
                break
            first_line[key] = row["line"]

    by_phone = _existing(
        committee, "phone_hash", {lookup_hash(r["values"]["phone"] or "") for r in rows}
    )
    by_email = _existing(
        committee, "email_hash", {lookup_hash(r["values"]["email"] or "") for r in rows}
    )
    for row in rows:
        phone_match = by_phone.get(lookup_hash(row["values"]["phone"] or ""))
        email_match = by_email.get(lookup_hash(row["values"]["email"] or ""))
        if phone_match and email_match and phone_match != email_match:
            row["errors"].append(
                {"code": "matches_two", "value": f"#{phone_match}, #{email_match}"}
            )
        row["match"] = phone_match or email_match

    matched = Person.objects.filter(pk__in=[r["match"] for r in rows if r["match"]])
    matched = {p.pk: p for p in matched.prefetch_related("other_languages", "skills", "zones")}
    for row in rows:
        if row["errors"]:
            row["action"] = "error"
        elif row["match"]:
            person = matched[row["match"]]
            row["match_name"] = person.preferred_name
            row["changes"] = _changes(person, row["values"])
            row["action"] = "update" if row["changes"] else "unchanged"
        else:
            row["action"] = "new"
    return rows
