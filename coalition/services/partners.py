"""Partners, the history of the relationship, and their pledges."""

from __future__ import annotations

from datetime import date, timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.access import Action, Viewer
from members import audit
from notifications.services import message_queue

from ..models import Offer, Partner, PartnerNote, PartnerPledge
from ..selectors import coalition_members

RENEWAL_NOTICE = timedelta(days=30)
CONTACT_VIEWED = "coalition.partner_contact_viewed"
PURPOSE = "reminders"


@transaction.atomic
def partner_save(
    *,
    actor: Viewer,
    partner: Partner | None = None,
    name: str,
    kind: str,
    offers: list[str] = (),
    languages: str = "",
    relationship: str,
    takes_legal_referrals: bool = False,
    bond_fund_donor: bool = False,
    contact_name: str = "",
    contact_phone: str = "",
    contact_email: str = "",
) -> Partner:
    """Create or update a partner (its contact person encrypted, with lookup hashes)."""
    actor.require(Action.MANAGE_COALITION)
    if partner is not None and partner.committee_id != actor.committee.pk:
        raise ValidationError(_("This partner is not in your committee."))
    partner = partner or Partner(committee=actor.committee)
    partner.name = name.strip()
    partner.kind = kind
    partner.offers = [o for o in Offer.values if o in set(offers)]
    partner.languages = languages.strip()
    partner.relationship = relationship
    partner.takes_legal_referrals = takes_legal_referrals
    partner.bond_fund_donor = bond_fund_donor
    partner.set_contact(name=contact_name, phone=contact_phone, email=contact_email)
    partner.full_clean(exclude=["committee"])
    partner.save()
    return partner


@transaction.atomic
def partner_note_add(
    *, actor: Viewer, partner: Partner, kind: str, on: date, summary: str, answer: str = ""
) -> PartnerNote:
    actor.require(Action.MANAGE_COALITION)
    note = PartnerNote(
        partner=partner,
        kind=kind,
        on=on,
        summary=summary.strip(),
        answer=answer.strip(),
        created_by=actor.membership,
    )
    note.full_clean()
    note.save()
    return note


@transaction.atomic
def pledge_save(
    *,
    actor: Viewer,
    partner: Partner,
    text: str,
    signed_on: date | None = None,
    expires_on: date | None = None,
    owner=None,
    document=None,
) -> PartnerPledge:
    actor.require(Action.MANAGE_COALITION)
    if (
        owner is not None
        and not coalition_members(committee=actor.committee).filter(pk=owner.pk).exists()
    ):
        raise ValidationError({"owner": _("Choose someone who can open the coalition part.")})
    if signed_on and expires_on and expires_on < signed_on:
        raise ValidationError({"expires_on": _("A pledge cannot expire before it is signed.")})
    pledge = PartnerPledge.objects.create(
        partner=partner,
        text=text.strip(),
        signed_on=signed_on,
        expires_on=expires_on,
        owner=owner,
        document=document,
    )
    return pledge


def pledge_renewals_remind(*, today: date | None = None) -> int:
    """Remind each pledge's owner, once per expiry date, a month before it expires.

    The pledge is claimed (renewal_reminded_for set) in the same transaction as the
    message row, so a sweep running twice sends nothing more. Returns how many."""
    today = today or timezone.localdate()
    count = 0
    with transaction.atomic():
        due = list(
            PartnerPledge.objects.select_for_update(of=("self",))
            .filter(
                owner__isnull=False,
                expires_on__isnull=False,
                expires_on__gte=today,
                expires_on__lte=today + RENEWAL_NOTICE,
            )
            .exclude(renewal_reminded_for=F("expires_on"))
            .select_related("partner", "owner__person__committee")
        )
        for pledge in due:
            person = pledge.owner.person
            message_queue(
                person=person,
                purpose=PURPOSE,
                template="coalition_pledge_renewal",
                context={"partner": pledge.partner.name, "expires_on": pledge.expires_on},
                idempotency_key=f"coalition:pledge-renewal:{pledge.pk}:{pledge.expires_on}",
            )
            pledge.renewal_reminded_for = pledge.expires_on
            pledge.save(update_fields=["renewal_reminded_for"])
            count += 1
    return count


def partner_contact_viewed(*, viewer: Viewer, partner: Partner) -> None:
    """Opening a partner's contact person is written to the audit trail (which
    partner, never the details)."""
    audit.audit_record(viewer=viewer, kind=CONTACT_VIEWED, target=partner)
