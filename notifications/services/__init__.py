"""The outbox: the only way any part of the app sends an SMS or an email.

Other apps call `message_queue()` (and `conversation_open()` when they ask a question)
inside their own transaction, or `message_queue_many()` (and `conversation_open_many()`)
for many people at once; everything else here is the notifications part's own.
"""

from .broadcasts import (
    broadcast_cancel,
    broadcast_draft,
    broadcast_fan_out,
    broadcast_send,
    broadcasts_finish,
)
from .bulk import (
    Recipient,
    conversation_open_many,
    message_queue_many,
    message_queue_select,
    messages_hand_over,
)
from .conversations import conversation_open
from .delivery import message_deliver, messages_deliver, retry_delay
from .handover import enqueue
from .history import HISTORY_VIEWED, history_view_record
from .inbound import inbound_receive, inbound_resolve
from .optouts import number_flag_invalid, number_opt_in, number_opt_out
from .outbox import (
    channel_choose,
    channel_pick,
    message_queue,
    message_queue_to_number,
    quiet_hours_end,
    skip_reason,
)
from .recovery import message_reconcile, outbox_sweep
from .status import message_status_record

__all__ = [
    "HISTORY_VIEWED",
    "Recipient",
    "broadcast_cancel",
    "broadcast_draft",
    "broadcast_fan_out",
    "broadcast_send",
    "channel_choose",
    "channel_pick",
    "broadcasts_finish",
    "conversation_open",
    "conversation_open_many",
    "enqueue",
    "history_view_record",
    "inbound_receive",
    "inbound_resolve",
    "message_deliver",
    "message_queue",
    "message_queue_many",
    "message_queue_select",
    "message_queue_to_number",
    "message_reconcile",
    "message_status_record",
    "messages_deliver",
    "messages_hand_over",
    "number_flag_invalid",
    "number_opt_in",
    "number_opt_out",
    "outbox_sweep",
    "quiet_hours_end",
    "retry_delay",
    "skip_reason",
]
