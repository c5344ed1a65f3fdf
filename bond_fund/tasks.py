"""Periodic jobs (see CELERY_BEAT_SCHEDULE). No arguments, no personal data; each is
safe to run twice or late."""

from celery import shared_task

from . import services
from .check import fund_check


@shared_task(ignore_result=True)
def sweep_pledge_reminders() -> None:
    services.pledge_reminders_send()


@shared_task(ignore_result=True)
def check_ledger() -> None:
    fund_check()
