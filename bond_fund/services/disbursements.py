"""Paying a bond to ICE out of the fund: the two-person rule and idempotency.

A disbursement above the committee's threshold waits for a second treasurer or
coordinator, who is not the one who asked. A retried request (the same idempotency key,
or any request while one is live for the bond) returns the disbursement already made:
the ledger transaction's own key, `disbursement:<id>`, makes a second payment
impossible even if two approvals race.
"""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.access import Action

from ..models import (
    BondRequest,
    BondStatus,
    Disbursement,
    DisbursementStatus,
    FundSettings,
    TransactionKind,
)
from . import ledger

PAYABLE = frozenset({BondStatus.APPROVED, BondStatus.FUNDING})


def fund_settings(committee) -> FundSettings:
    found, _created = FundSettings.objects.get_or_create(committee=committee)
    return found


def _pay(disbursement: Disbursement, *, approver) -> Disbursement:
    bond = disbursement.bond
    ledger.transaction_post(
        committee=bond.committee,
        kind=TransactionKind.BOND_POSTED,
        lines=[("bonds_out", disbursement.amount_cents), ("cash", -disbursement.amount_cents)],
        reason=_("Bond #%(id)s paid to ICE") % {"id": bond.pk},
        idempotency_key=f"disbursement:{disbursement.pk}",
        actor=approver,
        bond=bond,
    )
    disbursement.status = DisbursementStatus.PAID
    disbursement.approved_by = approver.person
    disbursement.approved_at = timezone.now()
    disbursement.save(update_fields=["status", "approved_by", "approved_at"])
    return disbursement


def disbursement_request(*, actor, bond: BondRequest, idempotency_key: str) -> Disbursement:
    """Ask to pay the bond's amount to ICE.

    At or below the threshold it is paid at once; above it, it waits for a second
    person. Raises ledger.InsufficientFunds (nothing written) if the fund cannot pay.
    Side effects: a Disbursement; when paid, a ledger transaction (cash -> out on bonds).
    """
    if not actor.can(Action.MOVE_MONEY):
        raise ValidationError(_("You may not do this."), code="forbidden")
    key = f"{bond.pk}:{idempotency_key}"[:120]
    with transaction.atomic():
        bond = BondRequest.objects.select_for_update().get(pk=bond.pk)
        existing = (
            Disbursement.objects.filter(idempotency_key=key).first()
            or bond.disbursements.exclude(status=DisbursementStatus.CANCELLED).first()
        )
        if existing is not None:
            return existing
        if bond.status not in PAYABLE:
            raise ValidationError(_("Only an approved bond can be paid."), code="wrong_status")
        if not bond.amount_cents:
            raise ValidationError(_("Set the bond amount first."), code="no_amount")
        over = bond.amount_cents > fund_settings(bond.committee).two_person_threshold_cents
        try:
            with transaction.atomic():
                disbursement = Disbursement.objects.create(
                    bond=bond,
                    amount_cents=bond.amount_cents,
                    status=DisbursementStatus.WAITING,
                    requested_by=actor.person,
                    idempotency_key=key,
                )
        except IntegrityError:
            return Disbursement.objects.get(idempotency_key=key)
        if not over:
            _pay(disbursement, approver=actor)
    return disbursement


def disbursement_approve(*, actor, disbursement: Disbursement) -> Disbursement:
    """The second person's approval: pays the bond. Approving again changes nothing."""
    if not actor.can(Action.MOVE_MONEY):
        raise ValidationError(_("You may not do this."), code="forbidden")
    with transaction.atomic():
        BondRequest.objects.select_for_update().get(pk=disbursement.bond_id)
        disbursement = Disbursement.objects.select_related("bond__committee").get(
            pk=disbursement.pk
        )
        if disbursement.status == DisbursementStatus.PAID:
            return disbursement
        if disbursement.status != DisbursementStatus.WAITING:
            raise ValidationError(_("This payment was cancelled."), code="cancelled")
        if disbursement.requested_by_id == actor.person.pk:
            raise ValidationError(
                _("A second person must approve: not the one who asked."), code="same_person"
            )
        if disbursement.bond.status not in PAYABLE:
            raise ValidationError(_("Only an approved bond can be paid."), code="wrong_status")
        return _pay(disbursement, approver=actor)


def disbursement_cancel(*, actor, disbursement: Disbursement) -> Disbursement:
    if not actor.can(Action.MOVE_MONEY):
        raise ValidationError(_("You may not do this."), code="forbidden")
    with transaction.atomic():
        BondRequest.objects.select_for_update().get(pk=disbursement.bond_id)
        disbursement = Disbursement.objects.get(pk=disbursement.pk)
        if disbursement.status != DisbursementStatus.WAITING:
            raise ValidationError(_("Only a payment still waiting can be cancelled."))
        disbursement.status = DisbursementStatus.CANCELLED
        disbursement.save(update_fields=["status"])
    return disbursement


MAX_THRESHOLD_CENTS = 1_000_000_00


def fund_settings_update(*, actor, two_person_threshold_cents: int) -> FundSettings:
    """Change the amount above which a payment needs a second person (coordinators)."""
    if not actor.can(Action.FUND_SETTINGS):
        raise ValidationError(_("You may not do this."), code="forbidden")
    if not 0 <= two_person_threshold_cents <= MAX_THRESHOLD_CENTS:
        raise ValidationError(_("Enter an amount between $0.00 and $1,000,000.00."))
    with transaction.atomic():
        settings = FundSettings.objects.select_for_update().get(
            pk=fund_settings(actor.committee).pk
        )
        settings.two_person_threshold_cents = two_person_threshold_cents
        settings.save(update_fields=["two_person_threshold_cents"])
    return settings
