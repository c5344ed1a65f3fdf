"""Every change to legal aid's data. Views, tasks and other apps call these."""

from .accompaniment import (
    Answer,
    accompaniment_answer,
    accompaniment_offer,
    accompaniment_report_detained,
    court_watch_record,
    eligible_accompaniers,
    member_answer,
    member_report_detained,
)
from .cases import (
    case_assign,
    case_close,
    case_update,
    normalise_a_number,
    proceeding_type_add,
    request_accept,
    request_close,
    request_refer,
)
from .documents import document_read, document_upload
from .hearings import (
    case_address_changed,
    deadline_done,
    hearing_create,
    hearing_move,
    hearing_record_outcome,
    hearing_update,
    reminders_send,
)
from .intake import legal_request_open, legal_request_open_for, legal_request_open_from_incident
from .retention import (
    cases_purge,
    closed_requests_purge,
    person_forget,
    settings_for,
    settings_update,
)

__all__ = [
    "Answer",
    "accompaniment_answer",
    "accompaniment_offer",
    "accompaniment_report_detained",
    "case_address_changed",
    "case_assign",
    "case_close",
    "case_update",
    "cases_purge",
    "closed_requests_purge",
    "court_watch_record",
    "deadline_done",
    "document_read",
    "document_upload",
    "eligible_accompaniers",
    "hearing_create",
    "hearing_move",
    "hearing_record_outcome",
    "hearing_update",
    "legal_request_open",
    "legal_request_open_for",
    "legal_request_open_from_incident",
    "member_answer",
    "member_report_detained",
    "normalise_a_number",
    "person_forget",
    "proceeding_type_add",
    "reminders_send",
    "request_accept",
    "request_close",
    "request_refer",
    "settings_for",
    "settings_update",
]
