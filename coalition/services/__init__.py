"""Every change to the coalition part goes through these functions (keyword-only,
atomic, checking the actor's rights through committees.access)."""

from .agreements import AgreementImportResult, agreements_import
from .campaigns import (
    campaign_action_add,
    campaign_action_message,
    campaign_save,
    campaign_step_add,
    vote_record,
)
from .commitments import (
    agency_save,
    commitment_create,
    commitment_document_attach,
    commitment_incident_link,
    commitment_publish,
    commitment_status_set,
    office_holder_save,
)
from .documents import document_download_log, document_read, document_store
from .meetings import follow_up_add, follow_up_done, follow_ups_remind, meeting_save
from .partners import (
    partner_contact_viewed,
    partner_note_add,
    partner_save,
    pledge_renewals_remind,
    pledge_save,
)
from .public import fact_delete, fact_save, profile_save, volunteer_offer

__all__ = [
    "AgreementImportResult",
    "agency_save",
    "agreements_import",
    "campaign_action_add",
    "campaign_action_message",
    "campaign_save",
    "campaign_step_add",
    "commitment_create",
    "commitment_document_attach",
    "commitment_incident_link",
    "commitment_publish",
    "commitment_status_set",
    "document_download_log",
    "document_read",
    "document_store",
    "fact_delete",
    "fact_save",
    "follow_up_add",
    "follow_up_done",
    "follow_ups_remind",
    "meeting_save",
    "office_holder_save",
    "partner_contact_viewed",
    "partner_note_add",
    "partner_save",
    "pledge_renewals_remind",
    "pledge_save",
    "profile_save",
    "vote_record",
    "volunteer_offer",
]
