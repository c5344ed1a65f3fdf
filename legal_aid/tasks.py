"""Periodic sweeps (see CELERY_BEAT_SCHEDULE). They take no arguments and carry no
personal data; each is safe to run twice or late."""

from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def sweep_reminders() -> None:
    services.reminders_send()


@shared_task(ignore_result=True)
def purge_closed_cases() -> None:
    services.cases_purge()
    services.closed_requests_purge()


@shared_task(ignore_result=True)
def sweep_key_dates() -> None:
    """Litigation key dates: each team member is reminded once per due date."""
    services.key_date_reminders_send()
