"""The message pipeline: writing the outbox, first message after commit, sustained
delivery against the fake Twilio's rate, and an urgent alert behind a backlog."""

from __future__ import annotations

import time
from contextlib import ExitStack

from bench import servers

# Sending rates the delivery is measured at (texts a second): a long code, a short code,
# and about the highest standard 10DLC tier (225 segments a second).
RATES = (10, 100, 250)

ACCOUNT_SID = "AC" + "b" * 32
AUTH_TOKEN = "bench-auth-token"


def _broadcast(actor, text="Bench: training Saturday 10am.", params=None):
    from notifications import services

    return services.broadcast_draft(
        actor=actor,
        channel="sms",
        purpose="reminders",
        text_en=text,
        text_es=text,
        recipient_filter=params or {},
    )


def outbox_write(actor) -> tuple[int, float, int]:
    """Queue one group message to everyone in `actor`'s committee: (rows, seconds, statements)."""
    from django.db import connection, transaction
    from django.test.utils import CaptureQueriesContext

    from notifications import services

    broadcast = _broadcast(actor)
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        with transaction.atomic():
            rows = services.broadcast_send(actor=actor, broadcast=broadcast)
        seconds = time.perf_counter() - started
    # The fan-out task handed to the broker after commit is not part of the write.
    return rows, seconds, len(captured.captured_queries)


def worker_env(env: dict, fake_url: str, rate: float) -> dict:
    worker = dict(env)
    worker.update(
        {
            "SMS_BACKEND": "twilio",
            "TWILIO_ACCOUNT_SID": ACCOUNT_SID,
            "TWILIO_AUTH_TOKEN": AUTH_TOKEN,
            "TWILIO_MESSAGING_SERVICE_SID": "MG" + "c" * 32,
            "TWILIO_API_BASE_URL": fake_url,
            "NOTIFICATIONS_SMS_PER_SECOND": str(rate),
            "PUBLIC_BASE_URL": "https://bench.invalid",
        }
    )
    return worker


def delivery(
    env: dict,
    actor,
    *,
    rate: float,
    count: int,
    urgent_person=None,
    concurrency: int = 40,
    pool: str = "threads",
    latency: float = 0.0,
) -> dict:
    """Send `count` reminders through real workers to a fake Twilio limited to `rate`/s.

    With `urgent_person`, an urgent alert is queued right after the backlog, and we
    measure how long it takes to reach Twilio and how many reminders went before it.
    `pool` and `concurrency` are the bulk worker's (as docker-compose.yml runs it) and
    `latency` how long the fake Twilio takes to answer each send (none by default; a
    real one takes 0.1-0.3 s).
    """
    import sys
    from pathlib import Path

    from django.db import transaction
    from django.test.utils import override_settings

    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
    import redis

    from notifications import services
    from notifications.services.handover import send_batch_size
    from tests.fake_twilio import FakeTwilio

    # The bench's private Redis: start each measure with empty queues and pacing.
    redis.Redis.from_url(env["REDIS_URL"]).flushall()
    fake = FakeTwilio(
        account_sid=ACCOUNT_SID, auth_token=AUTH_TOKEN, rate=rate, latency=latency
    ).start()
    result: dict = {
        "rate": rate,
        "count": count,
        "pool": pool,
        "concurrency": concurrency,
        "latency": latency,
    }
    try:
        with ExitStack() as stack:
            wenv = worker_env(env, fake.url, rate)
            stack.enter_context(servers.celery_worker(wenv, "urgent", "urgent", concurrency=2))
            stack.enter_context(
                servers.celery_worker(
                    wenv, "default,bulk", "bulk", concurrency=concurrency, pool=pool
                )
            )
            from notifications.models import Message, Status

            # Every bulk worker process gets a delivery task of its own to warm up: at
            # this rate a task takes a batch of messages (notifications.services.handover).
            with override_settings(NOTIFICATIONS_SMS_PER_SECOND=rate):
                batch = send_batch_size()
            _warm_up(actor, fake, count=concurrency * batch + 12)
            broadcast = _broadcast(actor)
            with transaction.atomic():
                services.broadcast_send(actor=actor, broadcast=broadcast)
                if count:  # keep the first `count`: the fan-out hands over queued rows only
                    keep = Message.objects.filter(broadcast=broadcast).order_by("id")[:count]
                    Message.objects.filter(broadcast=broadcast).exclude(
                        id__in=list(keep.values_list("id", flat=True))
                    ).update(status=Status.CANCELLED)
                count = Message.objects.filter(broadcast=broadcast, status=Status.QUEUED).count()
            committed = time.monotonic()
            result["count"] = count
            urgent_at = None
            if urgent_person is not None:
                with transaction.atomic():
                    services.message_queue(
                        person=urgent_person,
                        purpose="raid_alerts",
                        template="check",
                        idempotency_key=f"bench-urgent-{time.time()}",
                        urgency="urgent",
                    )
                urgent_at = time.monotonic()
            deadline = committed + max(30.0, 2.5 * count / rate)
            urgent_number = str(urgent_person.phone) if urgent_person else None
            while time.monotonic() < deadline:
                if urgent_person is not None:
                    if fake.first_accepted_at(urgent_number):
                        time.sleep(1.0)  # a little more of the backlog, for the rate
                        break
                elif fake.total_accepted() >= count:
                    break
                time.sleep(0.05)
            with fake.lock:
                accepted = [m for m in fake.messages if m.to != urgent_number]
                times = sorted(m.accepted_at for m in accepted)
            result["accepted"] = len(times)
            result["first_after_commit_s"] = times[0] - committed if times else None
            if len(times) > 1:
                result["sustained_per_s"] = (len(times) - 1) / (times[-1] - times[0])
                result["peak_1s"] = peak_per_second(times)
            with fake.lock:
                result["rejected_429"] = sum(fake.rejected.values())
            if urgent_person is not None:
                reached = fake.first_accepted_at(urgent_number)
                result["urgent_after_s"] = reached - urgent_at if reached else None
                result["reminders_before_urgent"] = sum(1 for t in times if reached and t < reached)
            # What is left (the backlog behind an urgent alert, stragglers) must not be
            # sent by the next measure's workers to the next fake Twilio.
            services.broadcast_cancel(actor=actor, broadcast=broadcast)
    finally:
        fake.stop()
    return result


def _warm_up(actor, fake, count: int = 12) -> None:
    """A few messages first, so that every worker process has its connections open
    (database, Redis, Twilio) as running workers do; then the fake forgets them."""
    from django.db import transaction

    from notifications import services
    from notifications.models import Message, Status

    broadcast = _broadcast(actor, text="Bench: warm-up.")
    with transaction.atomic():
        services.broadcast_send(actor=actor, broadcast=broadcast)
        keep = list(
            Message.objects.filter(broadcast=broadcast).order_by("id").values_list("id", flat=True)
        )[:count]
        Message.objects.filter(broadcast=broadcast).exclude(id__in=keep).update(
            status=Status.CANCELLED
        )
    deadline = time.monotonic() + 30
    while fake.total_accepted() < len(keep) and time.monotonic() < deadline:
        time.sleep(0.05)
    time.sleep(0.5)
    with fake.lock:
        fake.messages.clear()
        fake.accepted.clear()
        fake.rejected.clear()
        fake.attempts.clear()


def peak_per_second(times: list[float]) -> int:
    """The most messages Twilio accepted within any one second (sliding window)."""
    peak, start = 0, 0
    for end, at in enumerate(times):
        while at - times[start] >= 1.0:
            start += 1
        peak = max(peak, end - start + 1)
    return peak


def reminder_sweep(committee, *, due: int = 10_000) -> tuple[int, float, int]:
    """`due` day-before reminders, all due now: (queued, seconds, statements)."""
    from datetime import timedelta

    from django.db import connection
    from django.test.utils import CaptureQueriesContext
    from django.utils import timezone

    from bench.data import copy_rows, next_ids
    from members.models import Person
    from trainings import services
    from trainings.models import Registration, Training

    now = timezone.now()
    starts = now + timedelta(hours=23, minutes=30)
    people = list(Person.objects.filter(committee=committee).values_list("id", flat=True)[:due])
    per_training = 200
    trainings = []
    for index, _start in enumerate(range(0, len(people), per_training)):
        trainings.append(
            Training.objects.create(
                committee=committee,
                kind="know_your_rights",
                title_en=f"Bench {index}",
                title_es=f"Bench {index}",
                starts_at=starts,
                ends_at=starts + timedelta(hours=2),
                capacity=per_training,
                place_name="Hall",
            )
        )
    ids = iter(next_ids(Registration, len(people)))
    rows = []
    for index, person_id in enumerate(people):
        rows.append(
            {
                "id": next(ids),
                "training": trainings[index // per_training].pk,
                "person": person_id,
                "status": "registered",
                "source": "member",
                "registered_at": now - timedelta(days=3),
                "offer_count": 0,
                "cancel_reason": "",
                "passed_over_reason": "",
                "created_at": now,
                "updated_at": now,
            }
        )
    copy_rows(Registration, rows)
    with connection.cursor() as cursor:  # statistics, as autovacuum would have them
        cursor.execute(f"ANALYZE {Registration._meta.db_table}")  # noqa: S608 (a model's name)
    with CaptureQueriesContext(connection) as captured:
        started = time.perf_counter()
        sent = services.reminders_send(now=now, limit=due)
        seconds = time.perf_counter() - started
    return sum(sent.values()), seconds, len(captured.captured_queries)
