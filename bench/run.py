"""`make bench`: measure the web pages and the message pipeline against their limits.

Starts its own servers on loopback (a scratch PostgreSQL database, a private Redis,
gunicorn with the production settings, Celery workers, the test suite's fake Twilio),
generates data with bulk inserts, and prints ratios measured side by side in one run:
this machine is noisy, so absolute times alone mean little. Results go to
bench/results/latest.md.
"""

from __future__ import annotations

import argparse
import os
import pickle
import sys
import time
from contextlib import ExitStack
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import rapid, servers, slow3g, web  # noqa: E402
from bench.report import SIZES, write_report  # noqa: E402


def bench_env(database_url: str, redis_url: str) -> dict:
    env = dict(os.environ)
    env.update(
        {
            "DJANGO_SETTINGS_MODULE": "config.settings.production",
            "SECRET_KEY": "bench-only-secret-key-0123456789-abcdefghijklmnopqrstuvwxyz",
            "FIELD_ENCRYPTION_SALT": "bench-salt",
            "LOOKUP_HASH_KEY": "bench-lookup-key",
            "DATABASE_URL": database_url,
            "REDIS_URL": redis_url,
            "ALLOWED_HOSTS": "127.0.0.1,localhost,testserver",
            "SECURE_SSL_REDIRECT": "False",
            "BENCH_ENDPOINTS": "1",
            "LOG_LEVEL": "ERROR",
            "CONN_MAX_AGE": "600",
            "SMS_BACKEND": "twilio",
            "EMAIL_URL": "smtp://127.0.0.1:1025",  # no email is sent by the bench
            "TWILIO_ACCOUNT_SID": "AC" + "b" * 32,
            "TWILIO_AUTH_TOKEN": "bench-auth-token",
            "TWILIO_MESSAGING_SERVICE_SID": "MG" + "c" * 32,
        }
    )
    return env


# The people directory's name search is a POST (with the form's CSRF token), so that a
# name never lands in a URL: the bench posts it as the page's form does.
NAME_SEARCH = {"q": "garc"}
PLAIN_CEILING = "plain Django view (ceiling)"


def pages(committee) -> list[tuple[str, str, dict | None]]:
    """(label, path, form data to POST or None) of every page measured; the first two are
    the ceilings: a constant answer through the project's middleware, and the same from a
    plain Django view behind only the session and authentication middleware."""
    from django.urls import NoReverseMatch, reverse

    wanted = [
        ("bare view (ceiling)", "bench_ceiling", {}, "", None),
        ("dashboard", "dashboard", {}, "", None),
        ("people list", "members:person_list", {}, "", None),
        ("people search by name", "members:person_list", {}, "", NAME_SEARCH),
        (
            "people filtered",
            "members:person_list",
            {},
            "?language=es&status=vetted&role=responder",
            None,
        ),
        ("training list", "trainings:manage", {}, "", None),
        # The bond fund, with as many ledger entries as there are people (100,000).
        ("fund dashboard", "bond_fund:dashboard", {}, "", None),
        ("fund ledger", "bond_fund:ledger", {}, "", None),
        ("legal triage queue", "legal_aid:queue", {}, "", None),
        ("legal case list", "legal_aid:cases", {}, "", None),
        (
            "public training sign-up",
            "trainings_public:training",
            {"committee_slug": committee.slug, "public_training_id": public_training(committee)},
            "",
            None,
        ),
    ]
    legal_cases(committee)
    from config.bench import PLAIN_PATH

    found = [(PLAIN_CEILING, PLAIN_PATH, None)]
    for label, name, kwargs, query, data in wanted:
        try:
            found.append((label, reverse(name, kwargs=kwargs) + query, data))
        except NoReverseMatch:
            print(f"  (skipping {label}: {name} is not in this build)")
    return found


def legal_cases(committee, count: int = 10_000) -> None:
    """10,000 legal cases and as many requests (a third waiting for triage), on the
    bench's people; nothing if the legal aid part is not in this build."""
    try:
        from legal_aid.models import Case, LegalRequest
    except ImportError:
        return
    from datetime import timedelta

    from django.utils import timezone

    from members.models import Person

    if Case.objects.filter(committee=committee).exists():
        return
    now = timezone.now()
    people = list(Person.objects.filter(committee=committee).values_list("pk", flat=True)[:count])
    urgencies = ["detained", "hearing_soon", "general"]
    LegalRequest.objects.bulk_create(
        (
            LegalRequest(
                committee=committee,
                person_id=people[i % len(people)],
                contact_id=people[i % len(people)],
                urgency=urgencies[i % 3],
                help_kind="find_lawyer",
                source="public",
                status="new" if i % 3 == 0 else "accepted",
                received_at=now - timedelta(minutes=i),
            )
            for i in range(count)
        ),
        batch_size=2000,
    )
    Case.objects.bulk_create(
        (
            Case(
                committee=committee,
                person_id=people[i % len(people)],
                urgency=urgencies[i % 3],
                status=["seeking", "represented", "referred", "closed"][i % 4],
                a_number=f"{i:09d}",
                opened_at=now - timedelta(hours=i),
            )
            for i in range(count)
        ),
        batch_size=2000,
    )


def public_training(committee) -> int:
    """A public training next week (the sign-up page needs one), and 200 others."""
    from datetime import timedelta

    from django.utils import timezone

    from trainings.models import Training

    existing = Training.objects.filter(committee=committee, visibility="public").first()
    if existing:
        return existing.pk
    start = timezone.now() + timedelta(days=7)
    trainings = [
        Training(
            committee=committee,
            kind="know_your_rights",
            title_en=f"Know Your Rights {i}",
            title_es=f"Conozca sus derechos {i}",
            starts_at=start + timedelta(days=i),
            ends_at=start + timedelta(days=i, hours=2),
            capacity=30,
            place_name="Casa del Pueblo",
            visibility="public" if i % 2 == 0 else "members",
        )
        for i in range(200)
    ]
    Training.objects.bulk_create(trainings)
    return Training.objects.filter(committee=committee, visibility="public").first().pk


def measure_pages(base, cookie, page_list, seconds) -> dict:
    """Each page right after its own runs of the two ceilings (the plain Django view for a
    quarter as long, the project's for half as long): the machine's speed drifts, so a
    page is compared with the ceilings measured beside it."""
    import statistics

    figures = {}
    (plain_label, plain_path, _), (ceiling_label, ceiling_path, _) = page_list[:2]
    pages_ = page_list[2:]
    for path in (plain_path, ceiling_path):
        web.load(base + path, cookie=cookie, seconds=1)  # warm up every worker
    ceilings, plains = [], []
    for label, path, data in pages_:
        page_cookie, body = (
            web.form_post(base, path, cookie, data) if data is not None else (cookie, None)
        )
        plain = web.load(base + plain_path, cookie=cookie, seconds=max(2, seconds // 4))
        ceiling = web.load(base + ceiling_path, cookie=cookie, seconds=max(2, seconds // 2))
        ceiling["plain_rps"] = plain["rps"]
        plains.append(plain)
        ceilings.append(ceiling)
        web.load(base + path, cookie=page_cookie, seconds=1, body=body)
        figures[label] = f = web.load(base + path, cookie=page_cookie, seconds=seconds, body=body)
        f["ceiling_rps"], f["plain_rps"] = ceiling["rps"], plain["rps"]
        print(
            f"  {label:<26} {f['rps']:8.1f} req/s  p50 {f['p50_ms']:6.1f} ms  "
            f"p95 {f['p95_ms']:6.1f} ms  errors {f['errors']}  "
            f"(beside it: ceiling {ceiling['rps']:.1f} req/s, {f['rps'] / ceiling['rps']:.2f} ×; "
            f"plain Django {plain['rps']:.1f} req/s, {f['rps'] / plain['rps']:.2f} ×)"
        )
    middle = statistics.median_low([c["rps"] for c in ceilings])
    figures[ceiling_label] = c = next(c for c in ceilings if c["rps"] == middle)
    c["ceiling_rps"] = middle
    # The project's ceiling over the plain view measured beside it (the median pair).
    middle = statistics.median_low([p["rps"] for p in plains])
    figures[plain_label] = p = next(p for p in plains if p["rps"] == middle)
    p["ceiling_rps"] = statistics.median_low([c["rps"] for c in ceilings])
    p["plain_rps"] = middle
    ratios = sorted(c["rps"] / c["plain_rps"] for c in ceilings)
    figures["ceiling over plain"] = ratios[(len(ratios) - 1) // 2]
    print(
        f"  ceiling over plain Django (median of {len(ratios)} pairs): "
        f"{figures['ceiling over plain']:.2f} ×"
    )
    return figures


def count_queries(page_list, user, cookie) -> dict:
    from django.test import Client

    from config.bench import PLAIN_PATH, PlainHandler

    client = Client()
    client.force_login(user)
    counts = {}
    for label, path, data in page_list:
        if path == PLAIN_PATH:  # not in the project's URLconf: its own handler
            counts[label] = web.wsgi_query_count(PlainHandler(), path, cookie)
        else:
            counts[label] = web.query_count(client, path, data)
    return counts


class Context:
    """What every section shares: the servers, the settings, the bench's coordinator."""

    def __init__(self, stack, args, env, committee, cookie, user):
        self.stack, self.args, self.env = stack, args, env
        self.committee, self.cookie, self.user = committee, cookie, user
        self._gunicorn = None

    def gunicorn(self):
        """(base URL, workers) of the gunicorn serving the production settings, started once."""
        if self._gunicorn is None:
            self._gunicorn = self.stack.enter_context(servers.gunicorn(self.env))
        return self._gunicorn


def measure_web(ctx) -> dict:
    """Every page at each size, beside the ceiling; query counts; the name search plan."""
    from django.conf import settings
    from django.db import connection

    from bench import data, explain

    result: dict = {"web": {}, "queries": {}, "generation": {}}
    committee = ctx.committee
    page_list = result["pages"] = pages(committee)
    base, result["workers"] = ctx.gunicorn()
    have = have_entries = 0
    for size in SIZES:
        print(f"\n== {size:,} people ==")
        result["generation"][size] = data.add_people(committee, size - have, seed=size)
        have = size
        print(f"  generated in {result['generation'][size]:.1f} s")
        if "bond_fund" in settings.INSTALLED_APPS:
            seconds = data.add_ledger_entries(committee, size - have_entries)
            have_entries = size
            print(f"  {size:,} bond fund ledger entries in {seconds:.1f} s")
        with connection.cursor() as cursor:
            cursor.execute("VACUUM ANALYZE")
        result["queries"][size] = count_queries(page_list, ctx.user, ctx.cookie)
        result["web"][size] = measure_pages(base, ctx.cookie, page_list, ctx.args.seconds)

    from django.test import Client

    client = Client()
    client.force_login(ctx.user)
    search = next(path for label, path, _ in page_list if label == "people search by name")
    result["plan"] = explain.name_search_plan(client, search, NAME_SEARCH)
    return result


def measure_messages_section(ctx) -> dict:
    return measure_messages(ctx.env, ctx.user)


# Each section measures one part and returns what report.py writes. `--only` runs some of
# them and keeps the others' last results (bench/results/latest.pickle), so that one part
# can be re-measured without the whole run; the README's figures should come from a full run.
SECTIONS = {
    "web": measure_web,
    "messages": measure_messages_section,
    "rapid": rapid.measure_rapid,
    "slow3g": slow3g.measure,
}
SAVED = ROOT / "bench" / "results" / "latest.pickle"


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--seconds", type=int, default=8, help="load per page and size")
    parser.add_argument(
        "--only", default="", help="comma-separated sections to run: " + ", ".join(SECTIONS)
    )
    args = parser.parse_args(argv)
    wanted = [name.strip() for name in args.only.split(",") if name.strip()] or list(SECTIONS)
    unknown = sorted(set(wanted) - set(SECTIONS))
    if unknown:
        parser.error(f"unknown sections: {', '.join(unknown)}")
    started = time.monotonic()
    report: dict = {"sections": {}}
    if args.only and SAVED.exists():
        report = pickle.loads(SAVED.read_bytes())
        report.setdefault("sections", {})

    with ExitStack() as stack:
        redis_url = stack.enter_context(servers.redis_server())
        database_url = servers.scratch_database()
        env = bench_env(database_url, redis_url)
        os.environ.update(env)
        import django

        django.setup()
        from django.core.management import call_command

        from bench import data

        call_command("migrate", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        committee = data.ensure_committee()
        cookie = data.coordinator_session(committee)
        from members.models import User

        user = User.objects.get(email="bench-coordinator@example.org")
        ctx = Context(stack, args, env, committee, cookie, user)
        for name in wanted:
            print(f"\n=== {name} ===")
            section_started = time.monotonic()
            try:
                report["sections"][name] = SECTIONS[name](ctx)
            except Exception as error:  # keep the other sections' figures if one fails
                import traceback

                traceback.print_exc()
                report["sections"][name] = {"failed": f"{type(error).__name__}: {error}"}
            report["sections"][name]["seconds"] = time.monotonic() - section_started

    report["elapsed"] = time.monotonic() - started
    report["partial"] = bool(args.only)
    SAVED.write_bytes(pickle.dumps(report))
    path = write_report(report)
    print(f"\nWrote {path} in {report['elapsed']:.0f} s")
    return 0


def measure_messages(env, user) -> dict:
    """Outbox writes, delivery at three rates (and at 250/s with answers 0.1 s late), an
    alert behind a backlog, the sweep."""
    from django.db import connection

    from bench import data, messages
    from committees.access import load_viewer
    from members.consent import with_consent
    from members.models import Person

    results: dict = {"outbox": {}, "delivery": {}, "sweep": {}}
    actors = {}
    for size in (1_000, 10_000):
        committee = data.ensure_committee(f"bench-{size}")
        # Everyone here agreed to reminders, so that the message goes to exactly `size`.
        data.add_people(committee, size, seed=size + 7, consenting=1.0)
        data.coordinator_session(committee)
        # A production database has statistics (autovacuum); this server may run without
        # it, and without them the recipients' query is planned as if there were one.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        actors[size] = load_viewer(user, committee.pk)
        results["outbox"][size] = rows, seconds, statements = messages.outbox_write(actors[size])
        print(f"  outbox: {rows} rows in {seconds:.2f} s, {statements} statements")
    # Those writes were only timed: cancel them so no worker sends them later.
    from notifications.models import Broadcast, Message, Status

    Message.objects.filter(status=Status.QUEUED).update(status=Status.CANCELLED)
    Broadcast.objects.update(state=Broadcast.State.CANCELLED)
    for rate in messages.RATES:
        count = min(1_000, rate * 8)
        result = messages.delivery(env, actors[1_000], rate=rate, count=count)
        results["delivery"][rate] = result
        print(f"  delivery at {rate}/s: {result}")
    # Against a Twilio that answers in 0.1 s, as a real one does: sends are I/O-bound.
    # 2,000 (8 s), so that the ramp and the last answers weigh less in the rate.
    results["delivery_slow_answers"] = result = messages.delivery(
        env, actors[10_000], rate=250, count=2000, latency=0.1
    )
    print(f"  delivery at 250/s, Twilio answering in 0.1 s: {result}")
    committee = actors[10_000].committee
    urgent_person = with_consent(
        Person.objects.filter(committee=committee), purpose="raid_alerts", channel="sms"
    ).first()
    result = messages.delivery(env, actors[10_000], rate=100, count=0, urgent_person=urgent_person)
    results["urgent"] = result
    print(f"  urgent behind the backlog: {result}")
    for size in (1_000, 10_000):
        results["sweep"][size] = queued, seconds, statements = messages.reminder_sweep(
            actors[size].committee, due=size
        )
        print(f"  reminder sweep: {queued} in {seconds:.2f} s, {statements} statements")
    return results


if __name__ == "__main__":
    sys.exit(main())
