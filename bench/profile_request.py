"""Profile signed-in requests through the whole stack (the WSGI application gunicorn
serves, production settings, PostgreSQL and Redis on loopback) with cProfile.

    .venv/bin/python bench/profile_request.py bench/results/profile-after.txt [--requests 500]
        [--page /people/ ...]

Uses its own scratch database ($BENCH_DB + "_profile") with 1,000 people, so it can run
beside `make bench`. Times are this process's CPU time (time.process_time), not the
wall clock: on a shared machine the wall clock mostly measures the neighbours, and the
time PostgreSQL spends is not Python's to cut. Writes the queries and function calls per
request and the top entries by own time and by cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import io
import os
import pstats
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ["BENCH_DB"] = os.environ.get("BENCH_DB", "defensa_bench") + "_profile"

from bench import servers  # noqa: E402
from bench.run import bench_env  # noqa: E402


def call(application, path: str, cookie: str, body: str | None = None) -> tuple[str, bytes]:
    from wsgiref.util import setup_testing_defaults

    path, _, query = path.partition("?")
    environ: dict = {
        "PATH_INFO": path,
        "QUERY_STRING": query,
        "HTTP_HOST": "127.0.0.1",
        "HTTP_COOKIE": cookie,
    }
    if body is not None:
        environ.update(
            REQUEST_METHOD="POST",
            CONTENT_TYPE="application/x-www-form-urlencoded",
            CONTENT_LENGTH=str(len(body)),
            **{"wsgi.input": io.BytesIO(body.encode())},
        )
    setup_testing_defaults(environ)
    status = []
    chunks = application(environ, lambda s, h, exc_info=None: status.append(s))
    content = b"".join(chunks)
    if hasattr(chunks, "close"):
        chunks.close()
    return status[0], content


def database_exists(url: str) -> bool:
    import psycopg2

    try:
        psycopg2.connect(url).close()
    except psycopg2.OperationalError:
        return False
    return True


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("output")
    parser.add_argument("--requests", type=int, default=500)
    parser.add_argument("--page", action="append", default=[], help="paths; default the ceiling")
    parser.add_argument("--top", type=int, default=35)
    parser.add_argument(
        "--people", type=int, default=1_000, help="people (and ledger entries) in the database"
    )
    parser.add_argument(
        "--keep",
        action="store_true",
        help="reuse the scratch database when it already holds --people (no drop and reload)",
    )
    args = parser.parse_args(argv)
    with servers.redis_server() as redis_url:
        database_url = f"{servers.PG_ADMIN_URL}/{servers.BENCH_DB}"
        if not (args.keep and database_exists(database_url)):
            database_url = servers.scratch_database()
        env = bench_env(database_url, redis_url)
        os.environ.update(env)
        import django

        django.setup()
        from django.core.management import call_command

        from bench import data

        call_command("migrate", verbosity=0)
        if args.page:  # pages link their static files by their hashed names
            call_command("collectstatic", interactive=False, verbosity=0)
        committee = data.ensure_committee()
        from members.models import Person

        have = Person.objects.filter(committee=committee).count()
        if have < args.people:
            data.add_people(committee, args.people - have, seed=args.people)
            from django.conf import settings

            if "bond_fund" in settings.INSTALLED_APPS:
                data.add_ledger_entries(committee, args.people - have)
            from bench.run import legal_cases, public_training

            public_training(committee)
            legal_cases(committee)
            from django.db import connection

            with connection.cursor() as cursor:
                cursor.execute("VACUUM ANALYZE")
        cookie = data.coordinator_session(committee)

        from config.wsgi import application

        out = [f"# {args.requests} signed-in requests per page (a coordinator with TOTP)", ""]
        for path in args.page or ["/bench/ceiling/"]:
            status, _ = call(application, path, cookie)
            assert status.startswith("200"), (path, status)
            for _ in range(20):
                call(application, path, cookie)
            from django.db import connection

            queries: list[str] = []

            def record(execute, sql, params, many, context, queries=queries):
                queries.append(sql)
                return execute(sql, params, many, context)

            with connection.execute_wrapper(record):
                call(application, path, cookie)
            profiler = cProfile.Profile(time.process_time)
            started = time.process_time()
            profiler.enable()
            for _ in range(args.requests):
                call(application, path, cookie)
            profiler.disable()
            elapsed = time.process_time() - started
            calls = pstats.Stats(profiler).total_calls
            out += [
                f"## GET {path}: {elapsed / args.requests * 1000:.2f} ms of CPU a request "
                f"under the profiler, {calls // args.requests:,} function calls, "
                f"{len(queries)} queries (and the connection's health check):",
                "",
                *(f"- `{sql[:150]}`" for sql in queries),
                "",
            ]
            if os.environ.get("PROFILE_DUMP"):
                profiler.dump_stats(os.environ["PROFILE_DUMP"] + path.strip("/").replace("/", "_"))
            for order in ("tottime", "cumulative"):
                text = io.StringIO()
                stats = pstats.Stats(profiler, stream=text)
                stats.strip_dirs().sort_stats(order).print_stats(args.top)
                lines = text.getvalue().splitlines()
                start = next(i for i, ln in enumerate(lines) if "ncalls" in ln)
                out += [f"### by {order}", "", *lines[start - 2 :], ""]
    Path(args.output).write_text("\n".join(out) + "\n")
    print("\n".join(out))
    return 0


if __name__ == "__main__":
    sys.exit(main())
