"""A laptop runs without Redis or Celery beat: `runserver` runs the periodic sweeps in a
background thread (notifications.sweeps), so a reminder for tomorrow's training is
printed on the console with no extra command; `manage.py sweep` runs any of them by hand."""

import time
from datetime import time as clock
from datetime import timedelta

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from django.utils.autoreload import StatReloader, autoreload_started

from notifications import sweeps
from notifications.models import Message, Status

from ..trainings.factories import consenting, make_training, seat


@pytest.fixture
def tomorrow(committee):
    # No quiet hours, so the reminder goes out whatever the hour the test runs at.
    committee.quiet_hours_start = committee.quiet_hours_end = clock(0, 0)
    committee.save()
    training = make_training(committee, starts_in=timedelta(hours=20))
    person = consenting(committee, language="en")
    seat(training, person, registered_at=timezone.now() - timedelta(days=3))
    return training, person


@pytest.fixture
def stopped_loop():
    yield
    if sweeps._loop is not None:
        sweeps._loop.stop()
        sweeps._loop.join(timeout=10)
        sweeps._loop = None


def _wait_for(predicate, seconds=20.0):
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.05)
    return False


@pytest.mark.django_db(transaction=True)
def test_runserver_prints_tomorrows_day_before_reminder_without_any_command(
    tomorrow, settings, capsys, stopped_loop
):
    settings.SWEEPS_IN_PROCESS = True
    settings.SWEEPS_FIRST_DELAY = 0
    settings.SMS_BACKEND = "console"
    settings.DEBUG = True  # the console backend refuses to run without it
    training, person = tomorrow

    sweeps.install(["manage.py", "runserver"])
    # What runserver's serving process sends once its reloader is up.
    autoreload_started.send(sender=StatReloader())

    assert sweeps._loop is not None and sweeps._loop.is_alive()
    assert _wait_for(lambda: sweeps._loop.rounds >= 1)
    printed = capsys.readouterr().out
    assert "----- SMS #" in printed
    assert f'reminder, "{training.title_en}" is tomorrow' in printed
    reminder = Message.objects.get(person=person, template="trainings_day_before")
    assert reminder.status == Status.SENT


@pytest.mark.django_db(transaction=True)
def test_without_the_setting_runserver_starts_no_sweeps(tomorrow, settings, stopped_loop):
    settings.SWEEPS_IN_PROCESS = False
    sweeps.install(["manage.py", "runserver"])
    autoreload_started.send(sender=StatReloader())
    assert sweeps._loop is None
    assert not Message.objects.filter(template="trainings_day_before").exists()


def test_loop_runs_each_sweep_again_only_once_its_interval_passed(settings):
    ran = []
    settings.CELERY_BEAT_SCHEDULE = {
        "fast": {"task": "x.fast", "schedule": 10.0},
        "slow": {"task": "x.slow", "schedule": timedelta(minutes=5)},
    }
    loop = sweeps.SweepLoop()
    original = sweeps.Sweep.run
    sweeps.Sweep.run = lambda self: ran.append(self.name)
    try:
        assert loop.run_due(now=0) == ["fast", "slow"]
        assert loop.run_due(now=5) == []
        assert loop.run_due(now=10) == ["fast"]
        assert loop.run_due(now=300) == ["fast", "slow"]
    finally:
        sweeps.Sweep.run = original
    assert ran == ["fast", "slow", "fast", "fast", "slow"]


@pytest.mark.django_db
def test_sweep_command_runs_the_reminder_sweep_by_hand(tomorrow):
    training, person = tomorrow
    call_command("sweep", "trainings-sweep-reminders")
    assert Message.objects.filter(person=person, template="trainings_day_before").exists()


@pytest.mark.django_db
def test_sweep_command_lists_and_refuses_unknown_names(capsys):
    call_command("sweep", "--list")
    listed = capsys.readouterr().out
    assert "trainings-sweep-reminders" in listed and "sweep-outbox" in listed
    with pytest.raises(CommandError):
        call_command("sweep", "no-such-sweep")
    with pytest.raises(CommandError):
        call_command("sweep")
