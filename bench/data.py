"""Bulk data with a realistic spread: people, memberships, roles, consents, zones.

Generation uses bulk inserts in chunks, so 100,000 people take seconds.
"""

from __future__ import annotations

import random
import time

from django.db import transaction

FIRST = (
    "María José Juan Ana Luis Carmen Carlos Rosa Jorge Lucía Miguel Elena Pedro Sofía "
    "Diego Isabel Andrés Teresa Pablo Gabriela Fernando Patricia Ricardo Verónica Alma "
    "Manuel Guadalupe Héctor Daniela Javier Sarah James Linda David Grace Kevin Amy"
).split()
LAST = (
    "García Martínez López Hernández González Pérez Rodríguez Sánchez Ramírez Cruz Flores "
    "Gómez Morales Reyes Jiménez Torres Díaz Vargas Castillo Romero Ortiz Mendoza Ruiz "
    "Smith Johnson Nguyen Kim Lee Brown"
).split()
AREA_CODES = [213, 323, 818, 626, 310, 562]
CHUNK = 20000
NULL = "\\N"  # COPY's marker for NULL, so that empty strings stay empty strings


def ensure_committee(slug="bench"):
    from committees.models import Committee, Zone

    committee, _ = Committee.objects.get_or_create(
        slug=slug, defaults={"name": "Bench Committee", "area": "Eastside"}
    )
    for i in range(1, 13):
        Zone.objects.get_or_create(committee=committee, name=f"Zona {i}")
    return committee


def coordinator_session(committee) -> str:
    """A signed-in coordinator (with TOTP enrolled) and a session cookie for wrk."""
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY
    from django.contrib.sessions.backends.cached_db import SessionStore

    from committees.models import Membership, MembershipRole
    from committees.roles import MembershipStatus, Role
    from members.models import Person, User

    user, created = User.objects.get_or_create(email="bench-coordinator@example.org")
    if created:
        user.set_password("bench-password-123")
        user.save()
        TOTP.activate(user, "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP")
    assert Authenticator.objects.filter(user=user).exists()
    person, _ = Person.objects.get_or_create(
        committee=committee, user=user, defaults={"preferred_name": "Bench Coordinator"}
    )
    membership, _ = Membership.objects.get_or_create(
        person=person, defaults={"committee": committee, "status": MembershipStatus.VETTED}
    )
    MembershipRole.objects.get_or_create(membership=membership, role=Role.COORDINATOR)
    session = SessionStore()
    session[SESSION_KEY] = str(user.pk)
    session[BACKEND_SESSION_KEY] = "django.contrib.auth.backends.ModelBackend"
    session[HASH_SESSION_KEY] = user.get_session_auth_hash()
    # As a sign-in leaves it: the idle timeout then writes the session at most once a
    # minute during a run, as it does for anyone active.
    session["last_seen"] = session["signed_in_at"] = int(time.time())
    session.create()
    return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


def copy_rows(model, rows: list[dict]) -> None:
    """Insert rows with PostgreSQL COPY. Values go through each field's own preparation,
    so encrypted fields are really encrypted; ids must be given."""
    import csv
    import io
    import json

    from django.db import connection

    if not rows:
        return
    from lib.crypto import EncryptedFieldMixin

    names = list(rows[0])
    fields = [model._meta.get_field(name) for name in names]
    # Only encrypted fields need Django's preparation (it encrypts); the rest are plain.
    encrypted = [isinstance(field, EncryptedFieldMixin) for field in fields]
    buffer = io.StringIO()
    writer = csv.writer(buffer)
    for row in rows:
        values = []
        for field, name, prepare in zip(fields, names, encrypted, strict=True):
            value = row[name]
            if prepare:
                value = field.get_db_prep_save(value, connection)
            if value is None:
                values.append(NULL)
            elif isinstance(value, bool):
                values.append("t" if value else "f")
            elif isinstance(value, list | dict):
                values.append(json.dumps(value))
            else:
                values.append(value)
        writer.writerow(values)
    buffer.seek(0)
    columns = ", ".join(f'"{f.column}"' for f in fields)
    table = model._meta.db_table
    with connection.cursor() as cursor:
        cursor.copy_expert(
            # The marker as written ('\N'), not its Python repr ('\\N'): with the repr, NULLs
            # were stored as the text "\N" (an encrypted column then holds a non-token).
            f"COPY \"{table}\" ({columns}) FROM STDIN WITH (FORMAT csv, NULL '{NULL}')",
            buffer,
        )


def next_ids(model, count: int) -> range:
    from django.db import connection
    from django.db.models import Max

    start = (model.objects.aggregate(top=Max("id"))["top"] or 0) + 1
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)",
            [model._meta.db_table, start + count],
        )
    return range(start, start + count)


def add_people(committee, count: int, seed: int = 1, consenting: float = 0.85) -> float:
    """Add `count` people with memberships, roles and consents. Returns seconds taken.

    Each person agreed to reminders and to raid alerts by SMS with probability
    `consenting` (each purpose drawn on its own).
    """
    from django.utils import timezone

    from committees.models import Membership, MembershipRole
    from committees.roles import MembershipStatus, Role
    from lib.crypto import lookup_hash
    from members.consent import Channel, Consent, ConsentEvent, Purpose
    from members.models import Person
    from members.text import search_key

    rng = random.Random(seed)
    started = time.perf_counter()
    now = timezone.now()
    existing = Person.objects.filter(committee=committee).count()
    statuses = [MembershipStatus.VETTED] * 8 + [MembershipStatus.PROBATIONARY] * 2
    for offset in range(0, count, CHUNK):
        n = min(CHUNK, count - offset)
        with transaction.atomic():
            person_ids, membership_ids = next_ids(Person, n), next_ids(Membership, n)
            people, memberships, roles, events, consents = [], [], [], [], []
            role_ids = iter(next_ids(MembershipRole, 2 * n))
            event_ids = iter(next_ids(ConsentEvent, 2 * n))
            for i, (person_id, membership_id) in enumerate(
                zip(person_ids, membership_ids, strict=True)
            ):
                index = existing + offset + i
                phone = (
                    f"+1{rng.choice(AREA_CODES)}{200 + index // 10000 % 800:03d}{index % 10000:04d}"
                )
                email = f"p{index}@example.org" if rng.random() < 0.6 else None
                language = "es" if rng.random() < 0.7 else "en"
                name = f"{rng.choice(FIRST)} {rng.choice(LAST)}"
                people.append(
                    {
                        "id": person_id,
                        "committee": committee.pk,
                        "preferred_name": name,
                        "full_name": "",
                        "search_name": search_key(name),
                        "availability": rng.randrange(0, 1 << 21),
                        "phone": phone,
                        "phone_hash": lookup_hash(phone),
                        "email": email,
                        "email_hash": lookup_hash(email or ""),
                        "phone_confirmed": True,
                        "language": language,
                        "created_at": now,
                        "updated_at": now,
                    }
                )
                memberships.append(
                    {
                        "id": membership_id,
                        "committee": committee.pk,
                        "person": person_id,
                        "status": rng.choice(statuses),
                        "joined_at": now,
                    }
                )
                roles.append(
                    {"id": next(role_ids), "membership": membership_id, "role": Role.MEMBER}
                )
                extra = rng.random()
                if extra < 0.28:
                    role = Role.RESPONDER if extra < 0.25 else Role.TRAINER
                    roles.append({"id": next(role_ids), "membership": membership_id, "role": role})
                for purpose in (Purpose.REMINDERS, Purpose.RAID_ALERTS):
                    if rng.random() < consenting:
                        event_id = next(event_ids)
                        events.append(
                            {
                                "id": event_id,
                                "person": person_id,
                                "purpose": purpose,
                                "channel": Channel.SMS,
                                "granted": True,
                                "wording": "Bench consent",
                                "language": language,
                                "source": "import",
                                "created_at": now,
                            }
                        )
                        consents.append(
                            {
                                "person": person_id,
                                "purpose": purpose,
                                "channel": Channel.SMS,
                                "granted": True,
                                "event": event_id,
                                "updated_at": now,
                            }
                        )
            copy_rows(Person, people)
            copy_rows(Membership, memberships)
            copy_rows(MembershipRole, roles)
            copy_rows(ConsentEvent, events)
            consent_ids = next_ids(Consent, len(consents))
            copy_rows(Consent, [{"id": i, **c} for i, c in zip(consent_ids, consents, strict=True)])
    return time.perf_counter() - started


def add_ledger_entries(committee, count: int) -> float:
    """Add about `count` bond fund ledger entries (gifts in: two entries each) over the
    past year, with COPY. They balance, so the deferred zero-sum trigger passes at
    commit. Returns seconds taken."""
    from datetime import timedelta

    from django.db import connection, transaction
    from django.utils import timezone

    from bond_fund.models import Entry, Transaction
    from bond_fund.services.ledger import accounts_for

    started = time.monotonic()
    pairs = count // 2
    if pairs <= 0:
        return 0.0
    with transaction.atomic():
        accounts = accounts_for(committee)
        first = timezone.now() - timedelta(days=365)
        step = timedelta(days=365) / pairs
        txn_ids = next_ids(Transaction, pairs)
        entry_ids = iter(next_ids(Entry, pairs * 2))
        copy_rows(
            Transaction,
            [
                {
                    "id": txn_id,
                    "committee": committee.pk,
                    "kind": "payment",
                    "at": (first + step * n).isoformat(),
                    "reason": f"Bench gift {txn_id}",
                    "idempotency_key": f"bench:{txn_id}",
                }
                for n, txn_id in enumerate(txn_ids)
            ],
        )
        rows = []
        for n, txn_id in enumerate(txn_ids):
            cents = 1_000 + n % 5_000
            rows.append(
                {
                    "id": next(entry_ids),
                    "transaction": txn_id,
                    "account": accounts["cash"].pk,
                    "amount_cents": cents,
                }
            )
            rows.append(
                {
                    "id": next(entry_ids),
                    "transaction": txn_id,
                    "account": accounts["donations"].pk,
                    "amount_cents": -cents,
                }
            )
        # The ledger's row triggers (append-only, zero-sum at commit) would run 100,000
        # times: the bench's entries balance by construction, so they are loaded with the
        # triggers off for this transaction, and the running totals the statement trigger
        # keeps are added as the migration fills them. (Loading them through the triggers
        # took 140 s of the bench's 10 minutes.)
        with connection.cursor() as cursor:
            cursor.execute("SET LOCAL session_replication_role = replica")
            copy_rows(Entry, rows)
            cursor.execute("SET LOCAL session_replication_role = origin")
            cursor.execute(
                """
                INSERT INTO bond_fund_accountflow
                    (account_id, transaction_kind, total_cents, entries)
                SELECT e.account_id, t.kind, SUM(e.amount_cents), COUNT(*)
                FROM bond_fund_entry e JOIN bond_fund_transaction t ON t.id = e.transaction_id
                WHERE e.id >= %s
                GROUP BY e.account_id, t.kind
                ON CONFLICT (account_id, transaction_kind) DO UPDATE
                SET total_cents = bond_fund_accountflow.total_cents + EXCLUDED.total_cents,
                    entries = bond_fund_accountflow.entries + EXCLUDED.entries
                """,
                [rows[0]["id"]],
            )
    return time.monotonic() - started
