"""Every change to committees, memberships, invitations and zones.

Services take keyword-only arguments, run in one transaction, check the actor's
right to act through `access`, and are the only code that writes these models.
"""

from .invitations import (
    INVITATION_TTL,
    InvitationUnusable,
    invitation_accept,
    invitation_address_owner,
    invitation_create,
    invitation_find,
    invitation_join,
    invitation_link,
    invitation_refusal,
    invitation_resend,
    invitation_revoke,
    invitation_token_hash,
    user_language_set,
)
from .memberships import (
    approval_refusal,
    committee_create,
    committee_set_vouches_required,
    membership_approve,
    membership_reinstate,
    membership_set_roles,
    membership_suspend,
    membership_vouch,
    zone_save,
)

__all__ = [
    "INVITATION_TTL",
    "InvitationUnusable",
    "approval_refusal",
    "committee_create",
    "committee_set_vouches_required",
    "invitation_accept",
    "invitation_address_owner",
    "invitation_create",
    "invitation_find",
    "invitation_join",
    "invitation_link",
    "invitation_refusal",
    "invitation_resend",
    "invitation_revoke",
    "invitation_token_hash",
    "membership_approve",
    "membership_reinstate",
    "membership_set_roles",
    "membership_suspend",
    "membership_vouch",
    "user_language_set",
    "zone_save",
]
