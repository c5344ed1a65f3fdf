"""Every string exists in Spanish, and the shipped .mo matches the .po."""

from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "locale" / "es" / "LC_MESSAGES"


def test_spanish_catalogue_has_no_untranslated_or_fuzzy_message():
    po = polib.pofile(str(LOCALE / "django.po"))
    untranslated = [e.msgid for e in po.untranslated_entries()]
    fuzzy = [e.msgid for e in po.fuzzy_entries()]
    assert not untranslated, f"untranslated: {untranslated[:10]}"
    assert not fuzzy, f"fuzzy: {fuzzy[:10]}"
    assert len(po.translated_entries()) > 100


def test_compiled_catalogue_matches_the_source():
    po = polib.pofile(str(LOCALE / "django.po"))
    mo = polib.mofile(str(LOCALE / "django.mo"))

    def key(entry):
        return (entry.msgctxt or "", entry.msgid)

    po_entries = {
        key(e): (e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in po.translated_entries()
    }
    mo_entries = {key(e): (e.msgstr, tuple(sorted(e.msgstr_plural.items()))) for e in mo if e.msgid}
    assert po_entries == mo_entries, "run `make messages` to recompile locale/es"


def test_catalogue_is_up_to_date_with_the_code(tmp_path):
    """Every translatable string in the code is in the catalogue (run `make messages`)."""
    import shutil
    import subprocess
    import sys

    if not shutil.which("xgettext"):
        import pytest

        pytest.skip(
            "GNU gettext (xgettext) is not installed; the other two tests still check the catalogue"
        )
    root = Path(__file__).resolve().parent.parent
    work = tmp_path / "src"
    shutil.copytree(
        root,
        work,
        ignore=shutil.ignore_patterns(".venv", ".git", "staticfiles", "*.sqlite3", "node_modules"),
    )
    subprocess.run(
        [
            sys.executable,
            "manage.py",
            "makemessages",
            "-l",
            "es",
            "--no-location",
            "--ignore=staticfiles",
        ],
        cwd=work,
        check=True,
        capture_output=True,
    )
    fresh = polib.pofile(str(work / "locale/es/LC_MESSAGES/django.po"))
    current = polib.pofile(str(LOCALE / "django.po"))
    known = {(e.msgctxt or "", e.msgid) for e in current if not e.obsolete}
    missing = [e.msgid for e in fresh if not e.obsolete and (e.msgctxt or "", e.msgid) not in known]
    assert not missing, f"not in locale/es (run `make messages`): {missing[:10]}"


def test_every_plural_message_has_every_plural_form_the_catalogue_declares():
    """A missing form falls back to English (e.g. "6 people" on a Spanish page)."""
    import re

    po = polib.pofile(str(LOCALE / "django.po"))
    declared = int(re.search(r"nplurals=(\d+)", po.metadata["Plural-Forms"]).group(1))
    short = [
        e.msgid
        for e in po.translated_entries()
        if e.msgid_plural and sorted(e.msgstr_plural) != list(range(declared))
    ]
    assert not short, f"plural forms missing: {short[:5]}"


def test_words_shared_by_english_take_the_right_spanish_gender():
    from django.utils import translation

    from notifications.models import Broadcast, Status
    from trainings.models import RegistrationStatus

    with translation.override("es"):
        assert str(Status.CANCELLED.label) == "Cancelado"  # un mensaje
        assert str(Broadcast.State.CANCELLED.label) == "Cancelado"
        assert str(RegistrationStatus.CANCELLED.label) == "Cancelada"  # una inscripción
