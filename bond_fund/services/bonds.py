"""A bond's life: request, approval, raising the money, paying ICE, and getting it back.

Every transition locks the bond row first (then, through the ledger, the accounts in
primary-key order), checks who may and what it needs, and writes a BondEvent with the
actor and time.
"""

from __future__ import annotations

import base64

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.access import Action

from .. import cases
from ..models import (
    MINIMUM_CENTS,
    OPEN_STATUSES,
    BondDocument,
    BondEvent,
    BondRequest,
    BondStatus,
    BondType,
    DocumentKind,
    Priority,
    TransactionKind,
)
from . import ledger
from .money import money

MAX_DOCUMENT_BYTES = 10 * 1024 * 1024
DOCUMENT_TYPES = {"application/pdf", "image/jpeg", "image/png", "image/heic"}


def _require(actor, action: Action) -> None:
    if not actor.can(action):
        raise ValidationError(_("You may not do this."), code="forbidden")


def _lock(bond: BondRequest) -> BondRequest:
    return BondRequest.objects.select_for_update().get(pk=bond.pk)


def _move(bond: BondRequest, *, actor, to: str, allowed_from, note: str = "", **fields):
    if bond.status not in allowed_from:
        raise ValidationError(
            _("This bond is %(status)s; it cannot become %(to)s.")
            % {"status": bond.get_status_display(), "to": BondStatus(to).label},
            code="wrong_status",
        )
    event = BondEvent.objects.create(
        bond=bond, from_status=bond.status, to_status=to, actor=actor.membership, note=note[:300]
    )
    bond.status = to
    for name, value in fields.items():
        setattr(bond, name, value)
    bond.save(update_fields=["status", *fields])
    return event


def validate_amount(bond_type: str, amount_cents: int | None) -> None:
    if amount_cents is None:
        return
    minimum = MINIMUM_CENTS[BondType(bond_type)]
    if amount_cents < minimum:
        raise ValidationError(
            _("A %(type)s is at least %(minimum)s.")
            % {"type": BondType(bond_type).label.lower(), "minimum": money(minimum)},
            code="below_minimum",
        )


def bond_request_open(
    *,
    actor,
    case_id: int,
    amount_cents: int | None = None,
    bond_type: str = "delivery",
    note: str = "",
    source: str = "legal_aid",
) -> BondRequest:
    """Open a bond request for a legal case of the actor's committee (status REQUESTED).

    The case must exist (legal_aid's case_summary); the bonded person is the case's.
    Side effects: a BondRequest and its first BondEvent.
    """
    _require(actor, Action.REQUEST_BOND)
    if bond_type not in BondType.values:
        raise ValidationError(_("Choose a bond type."), code="bond_type")
    validate_amount(bond_type, amount_cents)
    summary = cases.case_summary(case_id=case_id, committee=actor.committee)
    if summary is None:
        raise ValidationError(_("That legal case was not found."), code="no_case")
    with transaction.atomic():
        bond = BondRequest.objects.create(
            committee=actor.committee,
            case_id=summary.case_id,
            person_id=summary.person_id,
            first_name=summary.person_first_name[:80],
            bond_type=bond_type,
            amount_cents=amount_cents,
            note=note or None,
            source=source[:24],
            next_hearing_at=summary.next_hearing_at,
            requested_by=actor.membership,
        )
        BondEvent.objects.create(bond=bond, to_status=BondStatus.REQUESTED, actor=actor.membership)
    return bond


EDITABLE = (
    "bond_type",
    "amount_cents",
    "facility",
    "obligor_name",
    "obligor_kind",
    "priority",
    "priority_reason",
    "story_en",
    "story_es",
)


def bond_update(*, actor, bond: BondRequest, **changes) -> BondRequest:
    """Change the bond's facts (amount set or changed by a judge, obligor, priority)."""
    _require(actor, Action.MANAGE_BONDS)
    unknown = set(changes) - set(EDITABLE)
    if unknown:
        raise TypeError(f"not editable: {sorted(unknown)}")
    with transaction.atomic():
        bond = _lock(bond)
        if bond.status not in OPEN_STATUSES and (
            "amount_cents" in changes or "bond_type" in changes
        ):
            raise ValidationError(_("The amount cannot change once the bond is paid."))
        for name, value in changes.items():
            setattr(bond, name, value)
        validate_amount(bond.bond_type, bond.amount_cents)
        if bond.priority != Priority.NORMAL and not bond.priority_reason.strip():
            raise ValidationError(_("Say why this bond goes ahead of the hearing order."))
        bond.save(update_fields=list(changes))
    return bond


def bond_approve(*, actor, bond: BondRequest) -> BondRequest:
    """The committee agrees to pay this bond (needs its amount and obligor)."""
    _require(actor, Action.MANAGE_BONDS)
    with transaction.atomic():
        bond = _lock(bond)
        if not bond.amount_cents:
            raise ValidationError(_("Set the bond amount first."), code="no_amount")
        if not bond.obligor_name or not bond.obligor_kind:
            raise ValidationError(_("Say who the obligor is first."), code="no_obligor")
        _move(bond, actor=actor, to=BondStatus.APPROVED, allowed_from={BondStatus.REQUESTED})
    return bond


def bond_funding_open(*, actor, bond: BondRequest) -> BondRequest:
    """Start raising the money: the bond shows on the pledge page and on-call donors
    are texted (see services.pledges.on_call_ask)."""
    from .pledges import on_call_ask

    _require(actor, Action.MANAGE_BONDS)
    with transaction.atomic():
        bond = _lock(bond)
        _move(bond, actor=actor, to=BondStatus.FUNDING, allowed_from={BondStatus.APPROVED})
        on_call_ask(bond=bond)
    return bond


def bond_withdraw(*, actor, bond: BondRequest, reason: str) -> BondRequest:
    """The request ends before any money went out (released, case closed, family paid)."""
    from ..models import Disbursement, DisbursementStatus

    _require(actor, Action.MANAGE_BONDS)
    if not reason.strip():
        raise ValidationError(_("Say why the request is withdrawn."))
    with transaction.atomic():
        bond = _lock(bond)
        _move(bond, actor=actor, to=BondStatus.WITHDRAWN, allowed_from=OPEN_STATUSES, note=reason)
        Disbursement.objects.filter(bond=bond, status=DisbursementStatus.WAITING).update(
            status=DisbursementStatus.CANCELLED
        )
    return bond


def document_add(*, actor, bond: BondRequest, kind: str, upload, received_on=None) -> BondDocument:
    """Keep an uploaded ICE form with the bond, encrypted. Side effects by form: an I-340
    sets the bond's delivery deadline; an I-333 clears the pending address change."""
    _require(actor, Action.MANAGE_BONDS)
    if kind not in DocumentKind.values:
        raise ValidationError(_("Choose which form this is."))
    if upload is None or upload.size == 0:
        raise ValidationError(_("Choose a file to upload."))
    if upload.size > MAX_DOCUMENT_BYTES:
        raise ValidationError(_("The file is larger than 10 MB."))
    content_type = (getattr(upload, "content_type", "") or "").lower()
    if content_type not in DOCUMENT_TYPES:
        raise ValidationError(_("Upload a PDF or a photo (JPEG, PNG or HEIC)."))
    content = base64.b64encode(upload.read()).decode()
    with transaction.atomic():
        bond = _lock(bond)
        document = BondDocument.objects.create(
            bond=bond,
            kind=kind,
            filename=(upload.name or "document")[-200:],
            content_type=content_type,
            size=upload.size,
            content=content,
            received_on=received_on or timezone.localdate(),
            uploaded_by=actor.membership,
        )
        if kind == DocumentKind.I333 and bond.address_change_pending:
            bond.address_change_pending = False
            bond.save(update_fields=["address_change_pending"])
    return document


def bond_deadline_set(*, actor, bond: BondRequest, deadline_on, reason: str) -> BondRequest:
    """An I-340 demand or a missed hearing: a date by which the money is at risk."""
    _require(actor, Action.MANAGE_BONDS)
    with transaction.atomic():
        bond = _lock(bond)
        bond.deadline_on, bond.deadline_reason = deadline_on, reason[:200]
        bond.save(update_fields=["deadline_on", "deadline_reason"])
    return bond


def bond_obligor_moved(*, actor, bond: BondRequest) -> BondRequest:
    """The obligor's address changed: ICE must get an I-333 or the refund goes astray."""
    _require(actor, Action.MANAGE_BONDS)
    with transaction.atomic():
        bond = _lock(bond)
        bond.address_change_pending = True
        bond.save(update_fields=["address_change_pending"])
    return bond


def _document(bond, document, kinds, message):
    if document is None or document.bond_id != bond.pk or document.kind not in kinds:
        raise ValidationError(message, code="document_needed")


def bond_mark_posted(*, actor, bond: BondRequest, document: BondDocument) -> BondRequest:
    """ICE accepted the bond: needs the paid disbursement and the I-305 receipt."""
    from ..models import DisbursementStatus

    _require(actor, Action.MANAGE_BONDS)
    with transaction.atomic():
        bond = _lock(bond)
        _document(bond, document, {DocumentKind.I305}, _("Upload the I-305 receipt first."))
        if not bond.disbursements.filter(status=DisbursementStatus.PAID).exists():
            raise ValidationError(_("The bond has not been paid out of the fund yet."))
        _move(
            bond,
            actor=actor,
            to=BondStatus.POSTED,
            allowed_from={BondStatus.APPROVED, BondStatus.FUNDING},
            posted_at=timezone.now(),
        )
    return bond


def bond_mark_cancelled(*, actor, bond: BondRequest, document: BondDocument) -> BondRequest:
    """ICE cancelled the bond (I-391): the refund can be claimed."""
    _require(actor, Action.MANAGE_BONDS)
    with transaction.atomic():
        bond = _lock(bond)
        _document(bond, document, {DocumentKind.I391}, _("Upload the I-391 first."))
        _move(
            bond,
            actor=actor,
            to=BondStatus.CANCELLED,
            allowed_from={BondStatus.POSTED},
            cancelled_at=timezone.now(),
        )
    return bond


def bond_refund_claim(*, actor, bond: BondRequest) -> BondRequest:
    """The claim went to ICE with the I-305 (or, if it was lost, the I-395)."""
    _require(actor, Action.MANAGE_BONDS)
    with transaction.atomic():
        bond = _lock(bond)
        if not bond.documents.filter(kind__in=[DocumentKind.I305, DocumentKind.I395]).exists():
            raise ValidationError(_("The claim needs the I-305 or an I-395 on file."))
        _move(
            bond,
            actor=actor,
            to=BondStatus.REFUND_CLAIMED,
            allowed_from={BondStatus.CANCELLED},
            claimed_at=timezone.now(),
        )
    return bond


def bond_refund_record(
    *, actor, bond: BondRequest, interest_cents: int = 0, idempotency_key: str
) -> BondRequest:
    """The refund is in the bank: principal back from 'out on bonds', interest as income."""
    _require(actor, Action.MOVE_MONEY)
    if interest_cents < 0:
        raise ValidationError(_("Interest cannot be negative."))
    with transaction.atomic():
        bond = _lock(bond)
        if bond.status == BondStatus.REFUNDED:
            return bond  # a retried request
        principal = bond_out_cents(bond)
        _move(
            bond,
            actor=actor,
            to=BondStatus.REFUNDED,
            allowed_from={BondStatus.CANCELLED, BondStatus.REFUND_CLAIMED},
            refunded_at=timezone.now(),
        )
        ledger.transaction_post(
            committee=bond.committee,
            kind=TransactionKind.REFUND,
            lines=[
                ("cash", principal + interest_cents),
                ("bonds_out", -principal),
                ("interest", -interest_cents),
            ],
            reason=_("Refund of bond #%(id)s") % {"id": bond.pk},
            idempotency_key=f"refund:{bond.pk}:{idempotency_key}"[:120],
            actor=actor,
            bond=bond,
        )
    return bond


def bond_mark_breached(*, actor, bond: BondRequest, document: BondDocument) -> BondRequest:
    """ICE declared the bond breached (I-323): the money is written off. An appeal
    (I-290B) that wins is recorded as a refund."""
    _require(actor, Action.MOVE_MONEY)
    with transaction.atomic():
        bond = _lock(bond)
        _document(bond, document, {DocumentKind.I323}, _("Upload the I-323 first."))
        principal = bond_out_cents(bond)
        _move(
            bond,
            actor=actor,
            to=BondStatus.BREACHED,
            allowed_from={BondStatus.POSTED},
            breached_at=timezone.now(),
        )
        ledger.transaction_post(
            committee=bond.committee,
            kind=TransactionKind.WRITE_OFF,
            lines=[("write_offs", principal), ("bonds_out", -principal)],
            reason=_("Bond #%(id)s breached") % {"id": bond.pk},
            idempotency_key=f"breach:{bond.pk}",
            actor=actor,
            bond=bond,
            document=document,
        )
    return bond


def bond_out_cents(bond: BondRequest) -> int:
    """What this bond has out with ICE, from the ledger."""
    from django.db.models import Sum

    from ..models import Entry

    return (
        Entry.objects.filter(transaction__bond=bond, account__kind="bonds_out").aggregate(
            total=Sum("amount_cents")
        )["total"]
        or 0
    )
