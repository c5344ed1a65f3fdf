"""Legal aid: requests for help, need-to-know cases, hearings and accompaniment.

Sensitive contents (the A-number, the detention facility, the team's notes, uploaded
documents) are encrypted at rest with the same field classes as `members.Person`.
Every change goes through `legal_aid.services`.
"""

from .cases import (
    Case,
    CaseStatus,
    Document,
    LegalAidSettings,
    ProceedingType,
    Representation,
    TeamMember,
)
from .hearings import (
    Accompaniment,
    AccompanimentStatus,
    CourtWatchReport,
    DeadlineKind,
    DeadlineTask,
    Hearing,
    HearingChange,
    HearingKind,
    HearingOutcome,
    HearingStatus,
    WatchResult,
)
from .requests import (
    ContactTime,
    HelpKind,
    LegalRequest,
    RequestSource,
    RequestStatus,
    Urgency,
)

__all__ = [
    "Accompaniment",
    "AccompanimentStatus",
    "Case",
    "CaseStatus",
    "ContactTime",
    "CourtWatchReport",
    "DeadlineKind",
    "DeadlineTask",
    "Document",
    "Hearing",
    "HearingChange",
    "HearingKind",
    "HearingOutcome",
    "HearingStatus",
    "HelpKind",
    "LegalAidSettings",
    "LegalRequest",
    "ProceedingType",
    "Representation",
    "RequestSource",
    "RequestStatus",
    "TeamMember",
    "Urgency",
    "WatchResult",
]
