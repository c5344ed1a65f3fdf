"""Tasks take ids only: no phone number, address or message text ever goes to Redis."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, ignore_result=True)
def deliver(message_id: int) -> None:
    services.message_deliver(message_id=message_id)


@shared_task(acks_late=True, ignore_result=True)
def broadcast_fan_out(broadcast_id: int) -> None:
    services.broadcast_fan_out(broadcast_id=broadcast_id)


@shared_task(ignore_result=True)
def sweep_outbox() -> None:
    services.outbox_sweep()
