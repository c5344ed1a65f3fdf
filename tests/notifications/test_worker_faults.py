"""Real Celery workers on a real Redis, the real Twilio client against the fake Twilio:
a worker killed mid-run and Redis down while an organizer works lose and double nothing
(must show 1 and 2).

Each test starts its own redis-server and workers (tests/workers.py) and stands in for
Celery beat by running the outbox sweep from the test process.
"""

import re

import pytest
from django.db import transaction
from django.urls import reverse

from committees.roles import Role
from members.consent import Purpose
from notifications import services
from notifications.models import Broadcast, Message, Status, Urgency

from ..factories import make_member
from ..workers import Worker, publishing_to, wait_for
from .conftest import bulk_consenting_people

pytestmark = pytest.mark.django_db(transaction=True)

# Workers in these tests give up on a send after 6 s (hard time limit), so a row claimed
# 8 s ago by a dead worker can be settled; production uses minutes.
WORKER_ENV = {
    "CELERY_TASK_TIME_LIMIT": "6",
    "CELERY_TASK_SOFT_TIME_LIMIT": "5",
    "DEFENSA_WORKER_TWILIO_READ_TIMEOUT": "4",
}


@pytest.fixture
def quick_recovery(settings):
    settings.NOTIFICATIONS_SENDING_STALE_AFTER = 8
    settings.NOTIFICATIONS_UNKNOWN_GRACE = 8
    settings.NOTIFICATIONS_REQUEUE_AFTER = 8
    settings.NOTIFICATIONS_SWEEP_GRACE = 1


def no_personal_data_in(log: str, people) -> None:
    for person in people[:50]:
        assert str(person.phone) not in log
    assert not re.search(r"\+1310555\d{4}", log)
    assert "mensaje de prueba" not in log and "test message" not in log


def test_500_messages_each_reach_twilio_once_though_the_worker_is_killed_mid_run(
    open_committee, redis_server, twilio_for_workers, quick_recovery, tmp_path
):
    fake = twilio_for_workers
    fake.latency = 0.02  # Twilio has accepted the message, its answer is on the way
    people = bulk_consenting_people(open_committee, 500)
    # Three sends the kill will certainly catch inside the HTTP call, after Twilio
    # accepted them: their answer comes 15 s late, long after the kill.
    held = [str(person.phone) for person in people[200:203]]
    for number in held:
        fake.fail("timeout", to=number)
    worker = Worker(
        name="default",
        queues="default,bulk",
        redis_server=redis_server,
        fake_twilio=fake,
        log_dir=tmp_path,
        concurrency=4,
        env=WORKER_ENV,
    )
    try:
        with publishing_to(redis_server.url(0)):
            with transaction.atomic():
                for person in people:
                    services.message_queue(
                        person=person,
                        purpose=Purpose.REMINDERS,
                        template="check",
                        idempotency_key=f"run:{person.pk}",
                        urgency=Urgency.BULK,
                    )
            worker.start()
            wait_for(lambda: all(fake.accepted_to(n) for n in held), timeout=60, interval=0.05)
            worker.kill()  # SIGKILL, the worker and its pool processes
            accepted_at_kill = fake.total_accepted()
            stranded = set(
                Message.objects.filter(status=Status.SENDING).values_list("to_hash", flat=True)
            )
            assert len(stranded) >= len(held)  # claimed, in flight, unanswered
            assert accepted_at_kill < 500  # killed mid-run

            worker.start()
            wait_for(
                lambda: Message.objects.filter(status=Status.SENT).count() == 500,
                timeout=90,
                interval=0.5,
                every=services.outbox_sweep,  # what beat runs every minute
            )
    finally:
        worker.stop()

    assert fake.total_accepted() == 500
    assert {fake.accepted_to(str(person.phone)) for person in people} == {1}
    sent = Message.objects.values_list("provider_id", flat=True)
    assert len(set(sent)) == 500 and None not in sent
    no_personal_data_in(worker.log(), people)


def test_page_succeeds_with_redis_down_and_every_message_goes_once_it_returns(
    open_committee, redis_server, twilio_for_workers, quick_recovery, tmp_path, settings, client
):
    fake = twilio_for_workers
    # As in production, the cache lives on the same Redis as the broker.
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": redis_server.url(1),
        }
    }
    coordinator = make_member(open_committee, roles=[Role.COORDINATOR], name="Ana")
    people = bulk_consenting_people(open_committee, 40)
    client.force_login(coordinator.person.user)
    broadcast = Broadcast.objects.create(
        committee=open_committee,
        created_by=coordinator,
        channel="sms",
        purpose=Purpose.REMINDERS,
        text_en="Training moved to Saturday 10am.",
        text_es="El taller pasa al sábado a las 10.",
        recipient_filter={"status": ""},
    )
    redis_server.stop()  # Redis goes down

    worker = Worker(
        name="default",
        queues="default,bulk",
        redis_server=redis_server,
        fake_twilio=fake,
        log_dir=tmp_path,
        env=WORKER_ENV,
    )
    try:
        with publishing_to(redis_server.url(0)):
            response = client.post(
                reverse("notifications:broadcast_send", args=[broadcast.pk]), {"confirm": "yes"}
            )
            assert response.status_code == 302
            page = client.get(response["Location"])
            assert page.status_code == 200
            queued = Message.objects.filter(broadcast=broadcast)
            assert queued.count() == 40  # every message is safe in the outbox
            assert set(queued.values_list("status", flat=True)) == {Status.QUEUED}
            assert not queued.filter(enqueued_at__isnull=False).exists()
            assert fake.total_accepted() == 0

            redis_server.start()  # Redis is back (empty: nothing was persisted)
            worker.start()
            wait_for(
                lambda: queued.filter(status=Status.SENT).count() == 40,
                timeout=60,
                interval=0.5,
                every=services.outbox_sweep,
            )
            services.outbox_sweep()  # more sweeps change nothing
    finally:
        worker.stop()
    assert {fake.accepted_to(str(person.phone)) for person in people} == {1}
    assert fake.total_accepted() == 40
