"""Every change the rapid-response part makes goes through these services."""

from .alerting import (
    ALERT_CONVERSATION,
    alert_answer,
    alert_draft,
    alert_notice_send,
    alert_send,
)
from .common import dispatch_settings
from .dispatch import (
    CONFIRM_CONVERSATION,
    ClaimRefused,
    confirmer_candidates,
    confirmer_reply,
    confirmers_ask,
    incident_claim,
    incident_close,
    incident_note_add,
    incident_release,
    incident_status_set,
    incident_zone_set,
)
from .followup import bond_handoff, detained_handoff, observer_log_file
from .intake import dispatchers_notify, on_call, on_shift, report_submit
from .retention import reports_purge
from .shifts import dispatch_settings_update, dispatcher_choices, shift_add, shift_end
from .sms import sms_report_receive

__all__ = [
    "ALERT_CONVERSATION",
    "CONFIRM_CONVERSATION",
    "ClaimRefused",
    "alert_answer",
    "alert_draft",
    "alert_notice_send",
    "alert_send",
    "bond_handoff",
    "confirmer_candidates",
    "confirmer_reply",
    "confirmers_ask",
    "detained_handoff",
    "dispatch_settings",
    "dispatch_settings_update",
    "dispatcher_choices",
    "dispatchers_notify",
    "incident_claim",
    "incident_close",
    "incident_note_add",
    "incident_release",
    "incident_status_set",
    "incident_zone_set",
    "observer_log_file",
    "on_call",
    "on_shift",
    "report_submit",
    "reports_purge",
    "shift_add",
    "shift_end",
    "sms_report_receive",
]
