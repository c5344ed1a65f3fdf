"""Training screens: members, organizers and trainers (signed in), and the public pages.

Views parse input, call one service or selector, and render in the committee's time
zone. Access goes through committees.access: another committee's training is a 404.
"""

from .common import PAGE_SIZE
from .members import (
    reminders_turn_on,
    training_cancel_mine,
    training_detail,
    training_list,
    training_sign_up,
)
from .organizers import training_cancel, training_create, training_edit, training_manage
from .public import (
    public_calendar,
    public_feed,
    public_training,
    registration_calendar,
    registration_cancel,
    registration_claim,
    registration_page,
)
from .roster import (
    roster,
    roster_check_in,
    roster_close,
    roster_export,
    roster_no_show,
    roster_note,
    roster_walk_in,
)

__all__ = [
    "reminders_turn_on",
    "PAGE_SIZE",
    "public_calendar",
    "public_feed",
    "public_training",
    "registration_calendar",
    "registration_cancel",
    "registration_claim",
    "registration_page",
    "roster",
    "roster_check_in",
    "roster_close",
    "roster_export",
    "roster_no_show",
    "roster_note",
    "roster_walk_in",
    "training_cancel",
    "training_cancel_mine",
    "training_create",
    "training_detail",
    "training_edit",
    "training_list",
    "training_manage",
    "training_sign_up",
]
