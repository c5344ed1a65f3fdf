"""A backlog of reminders never delays a raid alert (must show 6).

Real workers as in docker-compose: one on the urgent queue, one on default and bulk.
Twilio (the fake) is rate-limited; reminders are paced below its rate, alerts are not.
The test asserts the order (the alert goes ahead of the backlog) with bounds that hold on
a loaded 2-core machine; how fast it goes is measured by `make bench`.
"""

import time

import pytest
from django.db import transaction

from committees.access import load_viewer
from committees.roles import Role
from members.consent import Purpose
from notifications import services
from notifications.models import Broadcast, Message, Status, Urgency

from ..factories import make_member
from ..workers import Worker, publishing_to, wait_for
from .conftest import bulk_consenting_people, consenting_person

pytestmark = pytest.mark.django_db(transaction=True)

REMINDERS = 5000
# Generous: the reminders are paced at 40/s, so even this long lets through fewer than
# REMINDERS / 2 of them; an alert stuck behind the backlog would need over two minutes.
ALERT_WITHIN = 30.0


def test_urgent_alert_reaches_twilio_first_with_5000_reminders_queued_ahead(
    open_committee, redis_server, twilio_for_workers, tmp_path
):
    fake = twilio_for_workers
    fake.set_rate(100, burst=20)  # Twilio answers 429 above 100 messages a second
    coordinator = make_member(open_committee, roles=[Role.COORDINATOR], name="Ana")
    people = bulk_consenting_people(open_committee, REMINDERS)
    responder = consenting_person(
        open_committee, purposes=[Purpose.RAID_ALERTS], contact__phone="+13105559999"
    )
    broadcast = Broadcast.objects.create(
        committee=open_committee,
        created_by=coordinator,
        purpose=Purpose.REMINDERS,
        text_en="Reminder: training tomorrow at 6pm.",
        text_es="Recuerde: el taller es mañana a las 6.",
        recipient_filter={"status": ""},
    )
    workers = [
        Worker(
            name="urgent",
            queues="urgent",
            redis_server=redis_server,
            fake_twilio=fake,
            log_dir=tmp_path,
            concurrency=1,
        ),
        Worker(
            name="default",
            queues="default,bulk",
            redis_server=redis_server,
            fake_twilio=fake,
            log_dir=tmp_path,
            concurrency=2,
            env={"DEFENSA_WORKER_SMS_PER_SECOND": "40"},  # reminders paced under the rate
        ),
    ]
    try:
        with publishing_to(redis_server.url(0)):
            for worker in workers:
                worker.start()
            queued = services.broadcast_send(
                actor=load_viewer(coordinator.person.user), broadcast=broadcast
            )
            assert queued == REMINDERS
            # The backlog is flowing and thousands wait in the bulk queue.
            wait_for(lambda: fake.total_accepted() >= 40, timeout=60)
            wait_for(lambda: redis_server.queue_length("bulk") > 1000, timeout=60)

            with transaction.atomic():
                alert = services.message_queue(
                    person=responder,
                    purpose=Purpose.RAID_ALERTS,
                    template="check",
                    idempotency_key="alert:1",
                    urgency=Urgency.URGENT,
                )
            committed = time.monotonic()
            wait_for(
                lambda: fake.first_accepted_at(str(responder.phone)),
                timeout=ALERT_WITHIN,
                interval=0.01,
            )
            latency = fake.first_accepted_at(str(responder.phone)) - committed
            # Let its worker record Twilio's answer before the workers are stopped.
            wait_for(
                lambda: Message.objects.filter(pk=alert.pk, status=Status.SENT).exists(),
                timeout=ALERT_WITHIN,
            )
            reminders_before_alert = sum(
                1
                for m in fake.messages
                if m.to != str(responder.phone)
                and m.accepted_at < fake.first_accepted_at(str(responder.phone))
            )
    finally:
        for worker in workers:
            worker.stop()
    assert latency < ALERT_WITHIN, f"the alert took {latency:.2f}s"
    # It went ahead of the backlog: most reminders were queued before it and sent after.
    assert reminders_before_alert < REMINDERS / 2
    alert.refresh_from_db()
    assert alert.status == Status.SENT
    assert Message.objects.filter(broadcast=broadcast, status=Status.QUEUED).count() > 1000
    assert len(people) == REMINDERS
