"""Legal aid's screens. Every view goes through committees.access: another committee's
request, case or hearing is a 404, and so is a case's content to anyone off its team.

Views of one object are guarded by `@requires()` (a member) and fetch the object with
`access.get_object_or_404(..., action)`: a missing role or a refused object rule is
then a 404, never a 403 that would confirm the object exists."""

from .accompaniment import (
    accompaniment_answer,
    accompaniment_card,
    accompaniment_detained,
    court_watch,
    my_accompaniments,
)
from .cases import (
    case_address,
    case_assign,
    case_close,
    case_detail,
    case_edit,
    case_list,
    deadline_done,
    document_download,
    document_upload,
)
from .evidence import (
    declarant_add,
    declarant_ask,
    declarant_consent,
    declarant_detail,
    evidence_add,
    propose,
)
from .hearings import hearing_calendar, hearing_create, hearing_move, hearing_offer
from .litigation import (
    key_date_add,
    key_date_done,
    matter_create,
    matter_detail,
    matter_document,
    matter_document_upload,
    matter_edit,
    matter_list,
    matter_team_add,
    matter_team_remove,
    packet,
    pattern_page,
)
from .public import public_intake
from .reports import legal_settings, reports
from .triage import (
    request_accept,
    request_close,
    request_create,
    request_detail,
    request_refer,
    triage_queue,
)

__all__ = [
    "accompaniment_answer",
    "accompaniment_card",
    "accompaniment_detained",
    "case_address",
    "case_assign",
    "case_close",
    "case_detail",
    "case_edit",
    "case_list",
    "court_watch",
    "deadline_done",
    "declarant_add",
    "declarant_ask",
    "declarant_consent",
    "declarant_detail",
    "document_download",
    "document_upload",
    "evidence_add",
    "hearing_calendar",
    "hearing_create",
    "hearing_move",
    "hearing_offer",
    "key_date_add",
    "key_date_done",
    "legal_settings",
    "matter_create",
    "matter_detail",
    "matter_document",
    "matter_document_upload",
    "matter_edit",
    "matter_list",
    "matter_team_add",
    "matter_team_remove",
    "my_accompaniments",
    "packet",
    "pattern_page",
    "propose",
    "public_intake",
    "reports",
    "request_accept",
    "request_close",
    "request_create",
    "request_detail",
    "request_refer",
    "triage_queue",
]
