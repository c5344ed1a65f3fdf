"""Batch delivery on a real worker as production runs the bulk queue (`-P threads`; must
show 3 and the exactly-once of the fault tests): at a paced rate, messages go in batch
tasks across the worker's threads, never above the rate in any second, without a 429;
and a worker killed mid-batch (claimed rows unsent, sends Twilio accepted but not yet
recorded) loses and doubles nothing."""

import pytest
from django.db import transaction

from members.consent import Purpose
from notifications import services
from notifications.models import Message, Status, Urgency

from ..workers import Worker, publishing_to, wait_for
from .conftest import bulk_consenting_people
from .test_worker_faults import WORKER_ENV, no_personal_data_in, quick_recovery  # noqa: F401

pytestmark = pytest.mark.django_db(transaction=True)

RATE = 100


def most_in_one_second(times: list[float]) -> int:
    """The most sends Twilio accepted within any one second (sliding window)."""
    peak, start = 0, 0
    for end, at in enumerate(times):
        while at - times[start] >= 1.0:
            start += 1
        peak = max(peak, end - start + 1)
    return peak


def test_batches_at_the_rate_across_threads_once_each_though_the_worker_is_killed_mid_batch(
    open_committee,
    redis_server,
    twilio_for_workers,
    quick_recovery,  # noqa: F811 (the fixture, imported)
    tmp_path,
):
    fake = twilio_for_workers
    fake.set_rate(RATE)  # Twilio's own limit: a 429 above it
    fake.latency = 0.05  # a real Twilio answers in 0.1-0.3 s
    people = bulk_consenting_people(open_committee, 400)
    worker = Worker(
        name="bulk",
        queues="default,bulk",
        redis_server=redis_server,
        fake_twilio=fake,
        log_dir=tmp_path,
        concurrency=8,
        pool="threads",
        env={**WORKER_ENV, "DEFENSA_WORKER_SMS_PER_SECOND": str(RATE)},
    )
    try:
        with publishing_to(redis_server.url(0)):
            worker.start()
            with transaction.atomic():
                services.message_queue_many(
                    purpose=Purpose.REMINDERS,
                    template="check",
                    urgency=Urgency.BULK,
                    recipients=[
                        services.Recipient(person=p, idempotency_key=f"batch-run:{p.pk}")
                        for p in people
                    ],
                )
            wait_for(lambda: fake.total_accepted() >= 150, timeout=60, interval=0.02)
            worker.kill()  # mid-batch: claimed rows, and sends accepted but not recorded
            assert fake.total_accepted() < 400
            assert Message.objects.filter(status=Status.SENDING).exists()

            worker.start()
            wait_for(
                lambda: Message.objects.filter(status=Status.SENT).count() == 400,
                timeout=120,
                interval=0.5,
                every=services.outbox_sweep,  # what beat runs every minute
            )
    finally:
        worker.stop()

    assert {fake.accepted_to(str(person.phone)) for person in people} == {1}
    assert sum(fake.rejected.values()) == 0  # never a 429: never above Twilio's rate
    with fake.lock:
        times = sorted(m.accepted_at for m in fake.messages)
    # Each send leaves at or after its slot, so only how late it left (a loaded machine:
    # a few ms) can bring two closer: the bench's allowance, and Twilio refused none.
    assert most_in_one_second(times) <= RATE * 1.1 + 1
    sent = Message.objects.values_list("provider_id", flat=True)
    assert len(set(sent)) == 400 and None not in sent
    assert "deliver_batch" in worker.log()
    no_personal_data_in(worker.log(), people)
