"""Coalition: partners, officials and their commitments, meetings, campaigns, the
287(g) agreements list and the committee's public page."""

from .agreements import Agreement287g, AgreementImport, AgreementStatus, AgreementType
from .campaigns import (
    ActionKind,
    Campaign,
    CampaignAction,
    CampaignKind,
    CampaignStep,
    Stage,
    Vote,
    VoteChoice,
)
from .documents import Document
from .meetings import FollowUp, Meeting
from .officials import (
    Agency,
    AgencyKind,
    Commitment,
    CommitmentEvent,
    CommitmentIncident,
    CommitmentKind,
    CommitmentStatus,
    OfficeHolder,
)
from .partners import Offer, Partner, PartnerKind, PartnerNote, PartnerPledge, Relationship
from .public import NeighbourFact, PublicProfile, VolunteerInterest

__all__ = [
    "ActionKind",
    "Agency",
    "AgencyKind",
    "Agreement287g",
    "AgreementImport",
    "AgreementStatus",
    "AgreementType",
    "Campaign",
    "CampaignAction",
    "CampaignKind",
    "CampaignStep",
    "Commitment",
    "CommitmentEvent",
    "CommitmentIncident",
    "CommitmentKind",
    "CommitmentStatus",
    "Document",
    "FollowUp",
    "Meeting",
    "NeighbourFact",
    "Offer",
    "OfficeHolder",
    "Partner",
    "PartnerKind",
    "PartnerNote",
    "PartnerPledge",
    "PublicProfile",
    "Relationship",
    "Stage",
    "VolunteerInterest",
    "Vote",
    "VoteChoice",
]
