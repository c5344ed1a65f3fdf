"""Must show 1: fifty people pressing "sign up" at the same moment, each in its own
thread with its own database connection, for ten seats: exactly ten seats given, forty
waitlisted in the order the training's row lock was obtained, no one twice. Likewise,
reminder sweeps running at once queue each reminder once, and a training cancelled or
moved while a sweep runs gets no reminder for its old time.

Needs PostgreSQL's row locks (CI runs on PostgreSQL); SQLite locks the whole file and
cannot show this, so there the test is skipped with that reason.
"""

import threading
import time
from datetime import timedelta

import pytest
from django.db import connection, transaction
from django.utils import timezone

from committees.access import load_viewer
from lib.crypto import lookup_hash
from members.models import Person
from notifications.models import Message
from trainings import services
from trainings.models import Registration, RegistrationStatus

from ..factories import PersonFactory
from .factories import consenting, make_training, seat

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks (set DATABASE_URL); CI runs it on PostgreSQL")


def run_at_once(calls):
    """Run each call in its own thread, released together; each closes its connection."""
    barrier = threading.Barrier(len(calls))
    results, errors = [None] * len(calls), []

    def worker(index, call):
        try:
            barrier.wait(timeout=30)
            results[index] = call()
        except Exception as error:  # reported below, with the others
            errors.append(error)
        finally:
            connection.close()

    threads = [threading.Thread(target=worker, args=(i, c)) for i, c in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert not errors, errors
    return results


def test_fifty_concurrent_sign_ups_for_ten_seats(committee):
    training = make_training(committee, capacity=10)
    people = [PersonFactory(committee=committee) for _ in range(50)]

    def sign_up(person):
        return lambda: services.registration_sign_up(training=training, person=person).outcome

    outcomes = run_at_once([sign_up(p) for p in people])
    assert outcomes.count("registered") == 10
    assert outcomes.count("waitlisted") == 40

    registrations = Registration.objects.filter(training=training)
    assert registrations.count() == 50
    assert registrations.values("person").distinct().count() == 50
    seated = registrations.filter(status=RegistrationStatus.REGISTERED)
    waitlist = list(
        registrations.filter(status=RegistrationStatus.WAITLISTED).order_by("waitlist_position")
    )
    assert seated.count() == 10
    # Arrival order: numbers 1..40 without gaps or repeats, handed out in the order the
    # rows were written under the lock, and every seat went to someone who came earlier.
    assert [r.waitlist_position for r in waitlist] == list(range(1, 41))
    assert [r.pk for r in waitlist] == sorted(r.pk for r in waitlist)
    assert [r.created_at for r in waitlist] == sorted(r.created_at for r in waitlist)
    assert max(seated.values_list("pk", flat=True)) < waitlist[0].pk
    training.refresh_from_db()
    assert training.waitlist_counter == 40

    # Everyone presses again at once: nothing changes, no one is on the list twice.
    again = run_at_once([sign_up(p) for p in people[:10] + people[-10:]])
    assert again == ["already"] * 20
    assert Registration.objects.filter(training=training).count() == 50
    assert seated.count() == 10


def test_concurrent_cancellations_offer_each_freed_seat_once(committee):
    training = make_training(committee, capacity=5)
    # People who agreed to reminders: a freed seat is offered only to someone we can reach.
    people = [consenting(committee) for _ in range(15)]
    for person in people:
        services.registration_sign_up(training=training, person=person)
    seated = list(Registration.objects.filter(training=training, status="registered"))
    run_at_once([lambda r=r: services.registration_cancel(registration=r) for r in seated])
    offered = Registration.objects.filter(training=training, status="offered")
    assert sorted(offered.values_list("waitlist_position", flat=True)) == [1, 2, 3, 4, 5]
    assert Registration.objects.filter(training=training, status="waitlisted").count() == 5


def test_the_same_phone_sent_ten_times_at_once_makes_one_person_and_one_registration(
    committee,
):
    training = make_training(committee, capacity=10)

    def submit():
        return services.public_sign_up(
            training=training,
            name="María",
            phone="+12135550123",
            email="",
            language="es",
            consent_wording="Acepto...",
            wording_language="es",
        ).outcome

    outcomes = run_at_once([submit] * 10)
    # The first makes the contact; the other nine typed a phone that is now someone's,
    # so its owner is asked "was it you?" and nothing else happens (members.proofs).
    assert sorted(outcomes) == ["proof_requested"] * 9 + ["registered"]
    assert Person.objects.filter(phone_hash=lookup_hash("+12135550123")).count() == 1
    assert Registration.objects.filter(training=training).count() == 1


def due_tomorrow(committee, people: int):
    """A training 23 hours away with `people` seated (signed up days ago): all due."""
    training = make_training(committee, starts_in=timedelta(hours=23), capacity=people)
    for _ in range(people):
        seat(
            training,
            consenting(committee),
            registered_at=timezone.now() - timedelta(days=3),
        )
    return training


def day_before_messages(training):
    return Message.objects.filter(
        template="trainings_day_before",
        person__training_registrations__training=training,
    )


def test_concurrent_reminder_sweeps_queue_each_reminder_once(committee):
    trainings = [due_tomorrow(committee, 20) for _ in range(3)]
    sweeps = run_at_once(
        [lambda: services.reminders_send(batch_size=7)["day_before"] for _ in range(4)]
    )
    assert sum(sweeps) == 60  # every reminder claimed by exactly one sweep
    for training in trainings:
        messages = day_before_messages(training)
        assert messages.count() == 20
        assert messages.values("person").distinct().count() == 20
    assert services.reminders_send() == {"day_before": 0, "hour_before": 0}


def hold_open(change, locked: threading.Event, seconds: float = 1.0):
    """Run `change` in a transaction kept open `seconds` after it ran (its locks held)."""

    def run():
        with transaction.atomic():
            change()
            locked.set()
            time.sleep(seconds)

    return run


def sweep_when(locked: threading.Event):
    def run():
        locked.wait(timeout=30)
        started = time.monotonic()
        sent = services.reminders_send()["day_before"]
        return sent, time.monotonic() - started

    return run


@pytest.mark.parametrize("change", ["cancel", "move"])
def test_training_cancelled_or_moved_while_the_sweep_runs_gets_no_reminder(
    committee, coordinator, change
):
    changing = due_tomorrow(committee, 5)
    unchanged = due_tomorrow(committee, 5)
    actor = load_viewer(coordinator.person.user)
    later = changing.starts_at + timedelta(days=2)
    if change == "cancel":

        def changed():
            services.training_cancel(actor=actor, training=changing)

    else:

        def changed():
            services.training_update(
                actor=actor, training=changing, starts_at=later, ends_at=later + timedelta(hours=2)
            )

    locked = threading.Event()
    _none, (sent, waited) = run_at_once([hold_open(changed, locked), sweep_when(locked)])
    # The sweep waited for the change to commit, then saw it: no reminder for the old time.
    assert waited >= 0.8
    assert sent == 5
    assert day_before_messages(changing).count() == 0
    assert day_before_messages(unchanged).count() == 5
