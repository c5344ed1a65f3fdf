from celery import shared_task

from . import services


@shared_task
def import_batches_purge() -> int:
    """Drop CSV previews nobody confirmed in time (they hold personal data)."""
    return services.import_batches_purge()
