"""Issue 11, must show 2: a raw dump of a seeded database holds no demo phone, email,
invitation address or search term, outside the sign-in identifiers (members_user.email
and account_emailaddress.email, which allauth looks up and which hold only the logins'
addresses).

On SQLite the dump is SQLite's own (`iterdump`); on PostgreSQL (CI sets DATABASE_URL)
it is every row of every table as PostgreSQL prints it, plus `pg_dump` of the committed
data when the client is installed.
"""

import os
import re
import shutil
import subprocess

from django.core.management import call_command
from django.db import connection
from django.urls import reverse

from committees import services as committee_services
from committees.access import load_viewer
from committees.roles import Role
from members.models import Person, User
from notifications import services as notification_services

SIGN_IN_COLUMNS = {("members_user", "email"), ("account_emailaddress", "email")}
INVITEE = "invitada.secreta@ejemplo.org"


def _seed(client_factory):
    """The demo data, plus what a week of use adds: an invitation, a group message to a
    searched phone and to a searched email, edits by a signed-in coordinator."""
    call_command("seed_demo", "--force", "--quiet-logins", stdout=open(os.devnull, "w"))  # noqa: SIM115
    coordinator = User.objects.get(email="coordinator@demo.defensa.test")
    viewer = load_viewer(coordinator)
    committee_services.invitation_create(actor=viewer, email=INVITEE, roles=[Role.RESPONDER])
    people = list(Person.objects.filter(committee=viewer.committee).exclude(phone=None)[:2])
    searched_phone, searched_email = str(people[0].phone), people[1].email
    for search in (searched_phone, searched_email):
        notification_services.broadcast_draft(
            actor=viewer,
            channel="sms",
            purpose="reminders",
            text_en="Meeting at 6.",
            text_es="Reunión a las 6.",
            recipient_filter={"q": search},
        )
    client = client_factory(viewer.membership)
    zone = viewer.committee.zones.first()
    client.post(reverse("committees:zone_edit", args=[zone.pk]), {"name": "Zona renombrada"})
    person = people[0]
    client.post(
        reverse("members:person_edit", args=[person.pk]),
        {"preferred_name": person.preferred_name, "phone": str(person.phone),
         "email": person.email, "language": person.language, "notes": "Vive con su hermana"},
    )  # fmt: skip
    return searched_phone, searched_email


def _needles() -> dict[str, str]:
    """Every demo phone (as stored and as its bare digits) and every email, read through
    the app (decrypted), with where each may legitimately appear."""
    needles = {INVITEE: "invitation"}
    for person in Person.objects.all():
        if person.phone:
            needles[str(person.phone)] = "phone"
            needles[str(person.phone)[2:]] = "phone digits"
        if person.email:
            needles[person.email] = "email"
    return needles


def _sign_in_emails() -> set[str]:
    return {email.lower() for email in User.objects.values_list("email", flat=True)}


def _tables() -> list[str]:
    return sorted(connection.introspection.table_names())


def _rows_by_column() -> dict[tuple[str, str], str]:
    """Every value of every column, as text, per (table, column)."""
    qn = connection.ops.quote_name
    columns: dict[tuple[str, str], list[str]] = {}
    with connection.cursor() as cursor:
        for table in _tables():
            names = [c.name for c in connection.introspection.get_table_description(cursor, table)]
            cursor.execute(f"SELECT * FROM {qn(table)}")  # noqa: S608
            for row in cursor.fetchall():
                for name, value in zip(names, row, strict=True):
                    columns.setdefault((table, name), []).append(repr(value))
    return {key: "\n".join(values) for key, values in columns.items()}


def _check(dump_by_column: dict, whole_dump: str, searched: tuple[str, str]):
    needles = _needles()
    sign_in = _sign_in_emails()
    assert len([n for n, kind in needles.items() if kind == "phone"]) >= 40
    found = []
    for (table, column), text in dump_by_column.items():
        for needle, kind in needles.items():
            if needle.lower() not in text.lower():
                continue
            if (table, column) in SIGN_IN_COLUMNS and needle.lower() in sign_in:
                continue
            found.append(f"{table}.{column}: {kind}")
    assert found == []
    for term in searched:
        assert term not in whole_dump
    # The raw dump as a whole: only sign-in emails, and only in their two columns.
    emails_in_dump = set(re.findall(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+", whole_dump))
    assert {e.lower() for e in emails_in_dump} <= sign_in
    assert INVITEE not in whole_dump


def test_raw_dump_of_a_seeded_database_holds_no_phone_email_invitee_or_search(
    transactional_db, client_for
):
    """SQLite's own dump under `make test`; PostgreSQL's (pg_dump when installed, else every
    column read raw) in CI: one test, so that neither run skips it."""
    searched = _seed(client_for)
    by_column = _rows_by_column()
    whole = "\n".join(by_column.values())
    if connection.vendor == "sqlite":
        whole = "\n".join(connection.connection.iterdump())
    elif shutil.which("pg_dump"):
        settings = connection.settings_dict
        env = {**os.environ, "PGPASSWORD": settings.get("PASSWORD") or ""}
        whole = subprocess.run(
            [
                "pg_dump", "--data-only", "-h", settings.get("HOST") or "127.0.0.1",
                "-p", str(settings.get("PORT") or 5432), "-U", settings.get("USER") or "postgres",
                settings["NAME"],
            ],
            env=env, capture_output=True, text=True, check=True, timeout=120,
        ).stdout  # fmt: skip
        assert "members_person" in whole
    _check(by_column, whole, searched)
