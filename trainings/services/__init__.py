"""Every change to trainings and registrations.

Concurrency: every service that gives or takes a seat locks the training row first
(`select_for_update`), then the registration rows, always in that order. Counting the
seats and writing the new registration happen under that lock, so fifty people
pressing "sign up" at once can never be given eleven of ten seats, and the waitlist
numbers are handed out in the order the lock was obtained.

Messages are queued through `trainings.messaging` inside the same transaction.
"""

from .attendance import (
    person_mark_trained,
    person_unmark_trained,
    registration_check_in,
    registration_mark_no_show,
    registration_note,
    training_close_attendance,
    walk_in_add,
)
from .common import (
    CHECK_IN_OPENS,
    MAX_DAYS_AHEAD,
    MAX_SERIES_SESSIONS,
    MIN_OFFER_WINDOW,
    OFFER_WINDOW,
    SCHEDULE_FIELDS,
    TRAINING_FIELDS,
    CancelRefused,
    OfferLapsed,
    SignUpOutcome,
    SignUpRefused,
    SignUpResult,
    offer_expiry,
    sign_up_refusal,
)
from .offers import (
    member_cancel,
    offer_claim,
    offer_decline,
    registration_cancel,
    registration_confirm,
    training_cancel_audience,
)
from .roster import ROSTER_EXPORTED, ROSTER_VIEWED, roster_export, roster_view_record
from .sign_up import (
    PUBLIC_SIGN_UP_PROOF,
    member_sign_up,
    public_sign_up,
    public_sign_up_confirmed,
    registration_sign_up,
    registrations_add,
)
from .sweeps import REMINDER_BATCH, REMINDER_RULES, ReminderRule, offers_expire, reminders_send
from .trainings import training_cancel, training_create, training_update

__all__ = [
    "PUBLIC_SIGN_UP_PROOF",
    "public_sign_up_confirmed",
    "ROSTER_EXPORTED",
    "ROSTER_VIEWED",
    "CHECK_IN_OPENS",
    "CancelRefused",
    "MAX_DAYS_AHEAD",
    "MAX_SERIES_SESSIONS",
    "MIN_OFFER_WINDOW",
    "OFFER_WINDOW",
    "OfferLapsed",
    "SignUpOutcome",
    "REMINDER_BATCH",
    "REMINDER_RULES",
    "ReminderRule",
    "SCHEDULE_FIELDS",
    "SignUpRefused",
    "SignUpResult",
    "TRAINING_FIELDS",
    "member_cancel",
    "member_sign_up",
    "offer_claim",
    "offer_decline",
    "offer_expiry",
    "offers_expire",
    "person_mark_trained",
    "person_unmark_trained",
    "public_sign_up",
    "registration_cancel",
    "registration_check_in",
    "registration_confirm",
    "registration_mark_no_show",
    "registration_note",
    "registration_sign_up",
    "registrations_add",
    "reminders_send",
    "roster_export",
    "roster_view_record",
    "sign_up_refusal",
    "training_cancel",
    "training_cancel_audience",
    "training_close_attendance",
    "training_create",
    "training_update",
    "walk_in_add",
]
