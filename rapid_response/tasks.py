"""Periodic sweeps (see CELERY_BEAT_SCHEDULE): no arguments, no personal data, safe to
run twice or late."""

from celery import shared_task

from . import services


@shared_task(ignore_result=True)
def purge_reports() -> None:
    services.reports_purge()
