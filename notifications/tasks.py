"""Tasks take ids only: no phone number, address or message text ever goes to Redis."""

from celery import shared_task

from . import services


@shared_task(acks_late=True, ignore_result=True)
def deliver(message_id: int) -> None:
    services.message_deliver(message_id=message_id)


@shared_task(acks_late=True, ignore_result=True)
def deliver_batch(message_ids: list[int]) -> None:
    """Several paced messages, sent one after the other by one task (see
    services.handover.send_batch_size)."""
    services.messages_deliver(message_ids=message_ids)


@shared_task(acks_late=True, ignore_result=True)
def deliver_many(message_ids: list[int]) -> None:
    """The fan-out of `message_queue_many`: one delivery task per message."""
    services.messages_hand_over(message_ids=message_ids)


@shared_task(acks_late=True, ignore_result=True)
def broadcast_fan_out(broadcast_id: int) -> None:
    services.broadcast_fan_out(broadcast_id=broadcast_id)


@shared_task(ignore_result=True)
def sweep_outbox() -> None:
    services.outbox_sweep()
