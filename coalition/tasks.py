"""Periodic sweeps (see CELERY_BEAT_SCHEDULE): no arguments, no personal data, safe
to run twice or late."""

from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def sweep_follow_ups() -> None:
    services.follow_ups_remind()


@shared_task(ignore_result=True)
def sweep_pledge_renewals() -> None:
    services.pledge_renewals_remind()
