"""Every change to people, consent, imports and erasure (see each module's docstring).

Services take keyword-only arguments, run in one transaction, check the actor's
right to act through `committees.access`, and are the only code that writes
these models.
"""

from .contacts import (
    ContactMatch,
    ProofUnavailable,
    contact_find,
    contact_find_or_create,
    contact_proof_confirm,
    contact_proof_find,
    contact_proof_request,
)
from .erasure import erasure_request, erasure_request_cancel, person_erase
from .exports import my_data, people_export
from .import_checks import row_error_message
from .imports import (
    ImportConsent,
    import_batches_purge,
    import_commit,
    import_contents,
    import_discard,
    import_preview,
    import_rejected_rows,
)
from .people import (
    consent_record_for,
    consent_record_many,
    person_create,
    person_merge,
    person_update,
    skill_save,
)

__all__ = [
    "ContactMatch",
    "contact_find",
    "contact_find_or_create",
    "contact_proof_confirm",
    "contact_proof_find",
    "contact_proof_request",
    "ProofUnavailable",
    "ImportConsent",
    "consent_record_for",
    "consent_record_many",
    "erasure_request",
    "erasure_request_cancel",
    "import_batches_purge",
    "import_commit",
    "import_discard",
    "import_preview",
    "import_contents",
    "import_rejected_rows",
    "my_data",
    "people_export",
    "person_create",
    "person_erase",
    "person_merge",
    "person_update",
    "row_error_message",
    "skill_save",
]
