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


@shared_task(ignore_result=True)
def sweep_refund_pipeline() -> None:
    """Daily: missed hearings become deadlines; late refunds are emailed to treasurers
    (once a week each)."""
    from committees.models import Committee

    from .models import BondRequest

    for committee_id in (
        BondRequest.objects.values_list("committee_id", flat=True).distinct().order_by()
    ):
        committee = Committee.objects.get(pk=committee_id)
        services.refunds.missed_hearings_mark(committee=committee)
        services.refunds.treasurers_remind(committee=committee)
