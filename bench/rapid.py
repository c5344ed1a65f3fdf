"""Rapid response: an alert to 2,000 responders behind a 10,000-reminder backlog, 500 YES
replies at once through the signed webhook, and the dispatch board's query count.

Everything goes through the production path: the alert is written by
`rapid_response.services.alert_send`, sent by real Celery workers (an urgent one and a
default/bulk one, as in docker-compose) with the real Twilio client to the test suite's
fake Twilio limited to 100 messages a second; the replies are signed POSTs to the
gunicorn the bench started, from concurrent clients.
"""

from __future__ import annotations

import statistics
import threading
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from urllib.parse import urlencode

from bench import data, messages, servers

RATE = 100  # the fake Twilio's limit, messages a second
BIG, SMALL, TINY = 2_000, 200, 10  # responders in each zone
BACKLOG = 10_000
REPLIES = 500
URGENT_CONCURRENCY = 24  # threads (-P threads), as docker-compose's urgent worker
REPLY_CLIENTS = 10  # concurrent webhook clients (Twilio opens several connections)
COMMITTEE_NUMBER = "+12135550177"
POLL_SECONDS = 5  # the board's htmx polling interval (templates/rapid_response/board.html)


# --- data -------------------------------------------------------------------------------------


def add_responders(committee, zone, count: int, seed: int) -> list[int]:
    """`count` vetted responders of `zone` with a rapid-responder training and raid-alert
    consent: data.add_people's people, made responders in a few statements."""
    from django.db import transaction
    from django.db.models import Max
    from django.utils import timezone

    from committees.models import Membership, MembershipRole
    from committees.roles import MembershipStatus, Role
    from members.models import Person, TrainingRecord

    first = (Person.objects.aggregate(top=Max("id"))["top"] or 0) + 1
    data.add_people(committee, count, seed=seed, consenting=1.0)
    ids = list(
        Person.objects.filter(committee=committee, pk__gte=first)
        .order_by("pk")
        .values_list("pk", flat=True)
    )
    now = timezone.now()
    with transaction.atomic():
        Membership.objects.filter(person_id__in=ids).update(status=MembershipStatus.VETTED)
        memberships = dict(
            Membership.objects.filter(person_id__in=ids).values_list("person_id", "pk")
        )
        have = set(
            MembershipRole.objects.filter(
                membership_id__in=memberships.values(), role=Role.RESPONDER
            ).values_list("membership_id", flat=True)
        )
        missing = [m for m in memberships.values() if m not in have]
        role_ids = data.next_ids(MembershipRole, len(missing))
        data.copy_rows(
            MembershipRole,
            [
                {"id": i, "membership": m, "role": Role.RESPONDER}
                for i, m in zip(role_ids, missing, strict=True)
            ],
        )
        record_ids = data.next_ids(TrainingRecord, len(ids))
        data.copy_rows(
            TrainingRecord,
            [
                {
                    "id": i,
                    "person": person_id,
                    "kind": "rapid_responder",
                    "source": "session",
                    "completed_at": now,
                }
                for i, person_id in zip(record_ids, ids, strict=True)
            ],
        )
        Link = Person.zones.through
        link_ids = data.next_ids(Link, len(ids))
        data.copy_rows(
            Link,
            [
                {"id": i, "person": person_id, "zone": zone.pk}
                for i, person_id in zip(link_ids, ids, strict=True)
            ],
        )
    return ids


def setup(user):
    """The rapid-response committee (three zones of 2,000, 200 and 10 responders), the
    backlog committee (10,000 people agreeing to reminders), and a dispatcher in each."""
    from django.contrib.sessions.backends.cached_db import SessionStore

    from committees.access import load_viewer
    from committees.middleware import ACTIVE_COMMITTEE_SESSION_KEY
    from committees.models import Zone

    committee = data.ensure_committee("bench-rapid")
    committee.sms_number = COMMITTEE_NUMBER
    committee.quiet_hours_start = committee.quiet_hours_end = "00:00"
    committee.save()
    zones = {n: Zone.objects.get(committee=committee, name=f"Zona {i}") for i, n in
             enumerate((BIG, SMALL, TINY), start=1)}  # fmt: skip
    started = time.perf_counter()
    people = {size: add_responders(committee, zones[size], size, seed=size + 31) for size in zones}
    cookie = data.coordinator_session(committee)
    session = SessionStore(session_key=cookie.split("=", 1)[1])
    session[ACTIVE_COMMITTEE_SESSION_KEY] = committee.pk
    session.save()
    backlog = data.ensure_committee("bench-rapid-backlog")
    data.add_people(backlog, BACKLOG, seed=77, consenting=1.0)
    data.coordinator_session(backlog)
    from django.db import connection

    with connection.cursor() as cursor:  # as autovacuum would after such a load
        cursor.execute("ANALYZE")
    return {
        "committee": committee,
        "zones": zones,
        "people": people,
        "cookie": cookie,
        "actor": load_viewer(user, committee.pk),
        "backlog_actor": load_viewer(user, backlog.pk),
        "setup_s": time.perf_counter() - started,
    }


def confirmed_incident(actor, zone):
    from rapid_response import services
    from rapid_response.models import IncidentStatus, Report

    incident = services.report_submit(
        committee=actor.committee,
        source=Report.Source.WEB,
        zone=zone,
        cross_streets="5th St and Main",
        activity="Two vans, agents at the corner",
    ).incident  # grouped with the zone's incident of the last hour, if any
    if incident.status != IncidentStatus.CONFIRMED:
        services.incident_status_set(
            actor=actor, incident=incident, status=IncidentStatus.CONFIRMED
        )
    incident.refresh_from_db()
    return incident


def send_alert(actor, zone) -> tuple[object, float, int]:
    """Confirm an incident in `zone` and send its alert: (alert, seconds, statements) of
    the alert's write (the transaction, commit included)."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from rapid_response import services

    incident = confirmed_incident(actor, zone)
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        with transaction.atomic():
            alert = services.alert_send(
                actor=actor, incident=incident, where="5th St and Main", agencies=["ice"]
            )
        seconds = time.perf_counter() - started
    # COMMIT runs the deferred foreign-key checks (about eight per responder): on a
    # loaded machine most of the write's time.
    commit = sum(float(q["time"]) for q in captured.captured_queries if q["sql"] == "COMMIT")
    print(f"    of which COMMIT {commit:.3f} s")
    alert.commit_s = commit
    return alert, seconds, len(captured.captured_queries)


def cancel_queued() -> None:
    """What a measure left queued must not be sent by the next measure's workers."""
    from notifications.models import Message, Status

    Message.objects.filter(status=Status.QUEUED).update(status=Status.CANCELLED)


# --- the alert behind the backlog -------------------------------------------------------------


def is_alert(body: str) -> bool:
    return "RAID ALERT" in body or "ALERTA" in body


def alert_delivery(env, world) -> dict:
    """2,000 alerts while 10,000 reminders are queued, against a fake Twilio at 100/s."""
    import redis

    from notifications import services
    from tests.fake_twilio import FakeTwilio

    redis.Redis.from_url(env["REDIS_URL"]).flushall()
    fake = FakeTwilio(account_sid=messages.ACCOUNT_SID, auth_token=messages.AUTH_TOKEN, rate=RATE)
    fake.start()
    result: dict = {"rate": RATE, "count": BIG, "backlog": BACKLOG}
    try:
        with ExitStack() as stack:
            wenv = messages.worker_env(env, fake.url, RATE)
            # One worker on the urgent queue, one on the others (as in docker-compose),
            # both on threads: sending R messages a second to an API that answers in L
            # seconds takes R × L sends at once (Twilio: L ≈ 0.1-0.2 s), and a thread
            # waiting on an answer costs no CPU, where a process each would.
            stack.enter_context(
                servers.celery_worker(
                    wenv, "urgent", "rapid-urgent", concurrency=URGENT_CONCURRENCY, pool="threads"
                )
            )
            stack.enter_context(
                servers.celery_worker(
                    wenv, "default,bulk", "rapid-bulk", concurrency=40, pool="threads"
                )
            )
            backlog_actor = world["backlog_actor"]
            messages._warm_up(backlog_actor, fake)
            broadcast = messages._broadcast(backlog_actor, text="Bench: training Saturday 10am.")
            queued = services.broadcast_send(actor=backlog_actor, broadcast=broadcast)
            result["backlog"] = queued
            # The backlog is flowing (paced at the rate) and wholly handed to the broker
            # (the fan-out task has stopped adding to the queue) before the alert.
            client = redis.Redis.from_url(env["REDIS_URL"])
            deadline = time.monotonic() + 60
            waiting = []
            while time.monotonic() < deadline:
                waiting.append(client.llen("bulk"))
                if fake.total_accepted() >= 50 and len(waiting) > 5:
                    if waiting[-1] > 1000 and waiting[-1] <= min(waiting[-5:-1]):
                        break
                time.sleep(0.2)
            result["backlog_in_queue"] = waiting[-1]
            confirming = time.monotonic()
            alert, seconds, statements = send_alert(world["actor"], world["zones"][BIG])
            committed = time.monotonic()
            result.update(
                write_s=seconds, statements=statements, alert_id=alert.pk, commit_s=alert.commit_s
            )
            deadline = committed + max(60.0, 3 * BIG / RATE)
            while time.monotonic() < deadline:
                with fake.lock:
                    done = sum(1 for m in fake.messages if is_alert(m.body))
                if done >= BIG:
                    break
                time.sleep(0.1)
            with fake.lock:
                alerts = sorted(m.accepted_at for m in fake.messages if is_alert(m.body))
                numbers = [m.to for m in fake.messages if is_alert(m.body)]
                reminders = [m.accepted_at for m in fake.messages if not is_alert(m.body)]
                result["rejected_429"] = sum(fake.rejected.values())
            result["accepted"] = len(alerts)
            result["distinct_numbers"] = len(set(numbers))
            if alerts:
                result["first_after_confirm_s"] = alerts[0] - confirming
                result["first_after_commit_s"] = alerts[0] - committed
                result["last_after_commit_s"] = alerts[-1] - committed
            if len(alerts) > 1:
                result["sustained_per_s"] = (len(alerts) - 1) / (alerts[-1] - alerts[0])
                result["peak_1s"] = messages.peak_per_second(alerts)
            if alerts:
                window = (alerts[0], alerts[-1])
                result["reminders_during"] = sum(
                    1 for t in reminders if window[0] <= t <= window[1]
                )
            services.broadcast_cancel(actor=backlog_actor, broadcast=broadcast)
            result["backlog_left"] = _left(broadcast)
    finally:
        fake.stop()
    return result


def _left(broadcast) -> int:
    from notifications.models import Message, Status

    return Message.objects.filter(broadcast=broadcast, status=Status.CANCELLED).count()


# --- 500 YES at once --------------------------------------------------------------------------


def reply_burst(ctx, world, alert_id: int) -> dict:
    """500 of the alerted responders answer YES at once, each a signed POST to gunicorn."""
    from django.conf import settings
    from twilio.request_validator import RequestValidator

    from members.models import Person
    from notifications.models import InboundMessage, Message
    from rapid_response.models import AlertRecipient

    base, _workers = ctx.gunicorn()
    path = "/sms/inbound/"
    validator = RequestValidator(settings.TWILIO_AUTH_TOKEN)
    responders = list(
        Person.objects.filter(pk__in=world["people"][BIG][:REPLIES]).order_by("pk")
    )  # decrypting 500 numbers: before the clock starts
    posts = []
    for n, person in enumerate(responders):
        params = {
            "MessageSid": f"SMbenchyes{alert_id:06d}{n:018d}",
            "AccountSid": settings.TWILIO_ACCOUNT_SID,
            "From": str(person.phone),
            "To": COMMITTEE_NUMBER,
            "Body": "SÍ" if person.language == "es" else "YES",
            "NumMedia": "0",
        }
        signature = validator.compute_signature(settings.PUBLIC_BASE_URL + path, params)
        posts.append((urlencode(params).encode(), signature))
    before = Message.objects.count()
    gate = threading.Barrier(REPLY_CLIENTS)
    lock = threading.Lock()
    pending = list(reversed(posts))
    timings: list[float] = []
    statuses: list[int] = []

    def client():
        gate.wait()  # all clients start together
        while True:
            with lock:
                if not pending:
                    return
                body, signature = pending.pop()
            request = urllib.request.Request(
                base + path,
                data=body,
                headers={
                    "X-Twilio-Signature": signature,
                    "Content-Type": "application/x-www-form-urlencoded",
                },
                method="POST",
            )
            started = time.perf_counter()
            try:
                with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
                    response.read()
                    status = response.status
            except urllib.error.HTTPError as error:
                status = error.code
            elapsed = time.perf_counter() - started
            with lock:
                timings.append(elapsed)
                statuses.append(status)

    started = time.monotonic()
    with ThreadPoolExecutor(REPLY_CLIENTS) as pool:
        for _ in range(REPLY_CLIENTS):
            pool.submit(client)
    finished = time.monotonic()
    answered = time.monotonic()
    board = board_counts(base, world["cookie"], alert_id)
    board_after = time.monotonic() - answered
    timings.sort()
    yes = AlertRecipient.objects.filter(
        alert_id=alert_id, response=AlertRecipient.Response.YES
    ).count()
    per_person = AlertRecipient.objects.filter(
        alert_id=alert_id, person_id__in=[p.pk for p in responders]
    ).values_list("response", flat=True)
    inbound = InboundMessage.objects.filter(provider_id__startswith=f"SMbenchyes{alert_id:06d}")
    return {
        "replies": REPLIES,
        "clients": REPLY_CLIENTS,
        "ok": sum(1 for s in statuses if s == 200),
        "errors": sum(1 for s in statuses if s != 200),
        "seconds": finished - started,
        "p50_ms": 1000 * statistics.median(timings),
        "p95_ms": 1000 * timings[int(0.95 * (len(timings) - 1))],
        "max_ms": 1000 * timings[-1],
        "inbound_rows": inbound.count(),
        "inbound_distinct": inbound.values("provider_id").distinct().count(),
        "yes": yes,
        "answered_once": sum(1 for r in per_person if r == AlertRecipient.Response.YES),
        "thanks_queued": Message.objects.count() - before,
        "board_going": board["going"],
        "board_waiting": board["waiting"],
        "board_after_s": board_after,
        "board_status": board["status"],
    }


def board_counts(base: str, cookie: str, alert_id: int) -> dict:
    """The board's own fragment (what htmx polls), as the dispatcher gets it from gunicorn."""
    import re

    from django.urls import reverse

    url = base + reverse("rapid_response:board_rows", args=[alert_id])
    request = urllib.request.Request(url, headers={"Cookie": cookie})
    with urllib.request.urlopen(request, timeout=30) as response:  # noqa: S310
        html = response.read().decode()
        status = response.status

    def count(section: str) -> int | None:
        found = re.search(rf'id="{section}-h">[^<]*<span class="count">(\d+)</span>', html)
        return int(found.group(1)) if found else None

    return {"status": status, "going": count("going"), "waiting": count("waiting")}


# --- the board's query count ------------------------------------------------------------------


def board_queries(user, committee, alert_ids: dict[int, int]) -> dict[int, int]:
    from django.test import Client
    from django.urls import reverse

    from bench import web
    from committees.middleware import ACTIVE_COMMITTEE_SESSION_KEY

    client = Client()
    client.force_login(user)
    session = client.session
    session[ACTIVE_COMMITTEE_SESSION_KEY] = committee.pk
    session.save()
    counts = {}
    for size, alert_id in alert_ids.items():
        counts[size] = {
            "board": web.query_count(client, reverse("rapid_response:board", args=[alert_id])),
            "rows": web.query_count(client, reverse("rapid_response:board_rows", args=[alert_id])),
        }
    return counts


# --- the section ------------------------------------------------------------------------------


def measure_rapid(ctx) -> dict:
    world = setup(ctx.user)
    print(f"  {BIG + SMALL + TINY:,} responders and {BACKLOG:,} backlog people in "
          f"{world['setup_s']:.1f} s")  # fmt: skip
    result: dict = {"setup_s": world["setup_s"], "write": {}}
    # The write alone, side by side at 10, 200 and 2,000, no workers running (nobody
    # sends these: cancelled at once; the 2,000's alert is ended for the next measure).
    from rapid_response.models import Alert

    alerts = {}
    for size in (TINY, SMALL, BIG):
        alert, seconds, statements = send_alert(world["actor"], world["zones"][size])
        alerts[size] = alert.pk
        result["write"][size] = (alert.recipient_count, seconds, statements)
        result.setdefault("commit", {})[size] = alert.commit_s
        print(f"  alert to {size:,}: {alert.recipient_count} rows in {seconds:.3f} s, "
              f"{statements} statements")  # fmt: skip
    cancel_queued()
    Alert.objects.filter(pk=alerts[BIG]).update(retracted_at=alert.sent_at)
    delivery = result["delivery"] = alert_delivery(ctx.env, world)
    alerts[BIG] = delivery["alert_id"]
    print(f"  alert to {BIG:,} behind {BACKLOG:,} reminders: {delivery}")
    cancel_queued()
    result["queries"] = board_queries(ctx.user, world["committee"], alerts)
    print(f"  board queries: {result['queries']}")
    burst = result["replies"] = reply_burst(ctx, world, alerts[BIG])
    print(f"  {REPLIES} YES at once: {burst}")
    cancel_queued()
    return result


# --- report -----------------------------------------------------------------------------------


def _r(value, digits=2):
    return "—" if value is None else round(value, digits)


def rapid_targets(results: dict) -> list[str]:
    from bench.report import _row

    lines: list[str] = []
    row = _row(lines)
    rows, seconds, statements = results["write"][BIG]
    few = results["write"][SMALL][2]
    row(
        f"alert to {BIG:,} responders: outbox rows < 0.3 s, statements constant "
        f"({SMALL} vs {BIG:,})",
        f"{rows:,} rows in {seconds:.3f} s; {few} statements for {SMALL}, {statements} for {BIG:,}",
        rows == BIG and seconds < 0.3 and statements == few,
    )
    d = results["delivery"]
    first = d.get("first_after_confirm_s")
    row(
        f"alert to {BIG:,} written while {d['backlog']:,} reminders are going out",
        f"{d['write_s']:.3f} s, {d['statements']} statements",
        d["write_s"] < 0.3 and d["statements"] <= few,
    )
    row(
        f"first alert SMS at Twilio within 1 s of confirming ({d['backlog']:,} reminders queued)",
        f"{_r(first)} s after confirming ({_r(d.get('first_after_commit_s'))} s after commit)",
        first is not None and first <= 1.0,
    )
    sustained = (d.get("sustained_per_s") or 0) / RATE
    row(
        f"all {BIG:,} alerts delivered at ≥ 0.9 × the fake Twilio's {RATE}/s, "
        "overtaking the backlog",
        f"{d['accepted']:,} delivered ({d.get('distinct_numbers'):,} numbers) at "
        f"{sustained:.2f} × the rate; {d.get('reminders_during')} reminders went meanwhile",
        d["accepted"] == BIG and d.get("distinct_numbers") == BIG and sustained >= 0.9,
    )
    r = results["replies"]
    row(
        f"{REPLIES} YES at once through the signed webhook: none lost, none doubled",
        f"{r['ok']} answered 200; {r['inbound_rows']} stored, {r['yes']} YES on the alert, "
        f"{r['answered_once']} of the {REPLIES} repliers; {r['thanks_queued']} thank-yous",
        r["ok"] == REPLIES
        and r["inbound_rows"] == r["inbound_distinct"] == REPLIES
        and r["yes"] == r["answered_once"] == REPLIES
        and r["thanks_queued"] == REPLIES,
    )
    row(
        f"webhook p95 under 200 ms ({r['clients']} concurrent clients)",
        f"p95 {r['p95_ms']:.0f} ms (p50 {r['p50_ms']:.0f}, max {r['max_ms']:.0f})",
        r["p95_ms"] < 200,
    )
    row(
        f"the board reflects them within one polling interval ({POLL_SECONDS} s)",
        f"{r['board_going']} going on the board {r['board_after_s']:.2f} s after the burst",
        r["board_going"] == REPLIES and r["board_after_s"] < POLL_SECONDS,
    )
    q = results["queries"]
    row(
        f"board query count constant at {TINY} and {BIG:,} alerted",
        f"page {q[TINY]['board']} / {q[BIG]['board']}; poll {q[TINY]['rows']} / {q[BIG]['rows']}",
        q[TINY] == q[BIG],
    )
    return lines


def rapid_lines(results: dict) -> list[str]:
    d, r, q = results["delivery"], results["replies"], results["queries"]
    lines = [
        "## Rapid response: alert, replies, board",
        "",
        f"Fake Twilio at {RATE}/s; an urgent worker of {URGENT_CONCURRENCY} threads and a "
        "default+bulk worker of 40 threads; "
        f"{d['backlog']:,} reminders queued (paced at the rate; "
        f"{d.get('backlog_in_queue', 0):,} of them still waiting in the broker's queue) before the "
        "alert.",
        "",
        "| measure | result |",
        "| --- | --- |",
    ]
    commits = results.get("commit", {})
    for size, (rows, seconds, statements) in sorted(results["write"].items()):
        lines.append(
            f"| alert write to {size:,} responders | {rows:,} rows in {seconds:.3f} s (COMMIT "
            f"{_r(commits.get(size), 3)} s), {statements} SQL statements |"
        )
    lines += [
        f"| alert write to {BIG:,} during the backlog | {d['write_s']:.3f} s (COMMIT "
        f"{_r(d.get('commit_s'), 3)} s), {d['statements']} SQL statements |",
        f"| alert delivery | first {_r(d.get('first_after_confirm_s'))} s after confirming; "
        f"last {_r(d.get('last_after_commit_s'))} s after commit; "
        f"{_r(d.get('sustained_per_s'), 1)}/s sustained; most in any 1 s {d.get('peak_1s')}; "
        f"429s {d.get('rejected_429')}; reminders meanwhile {d.get('reminders_during')} |",
        f"| {REPLIES} YES replies, {r['clients']} concurrent clients | {r['seconds']:.1f} s; "
        f"p50 {r['p50_ms']:.0f} ms, p95 {r['p95_ms']:.0f} ms, max {r['max_ms']:.0f} ms; "
        f"errors {r['errors']} |",
        f"| board after the burst | {r['board_going']} going, {r['board_waiting']} waiting "
        f"(HTTP {r['board_status']}) |",
        f"| board queries at {TINY} / {SMALL} / {BIG:,} | page {q[TINY]['board']} / "
        f"{q[SMALL]['board']} / {q[BIG]['board']}; poll {q[TINY]['rows']} / {q[SMALL]['rows']} / "
        f"{q[BIG]['rows']} |",
    ]
    return lines
