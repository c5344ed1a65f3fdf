"""Pledges, payments against them, reminders, and the on-call donors' text replies.

A pledge is a promise: the app takes no card payments. Payments are recorded by a
treasurer when the money arrives; each one is a ledger transaction (cash in, donations
income, and the processor's fee as its own line).
"""

from __future__ import annotations

import re
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.access import Action
from members.consent import Channel, Purpose

from ..models import (
    BondRequest,
    BondStatus,
    OnCallDonor,
    Payment,
    PaymentMethod,
    Pledge,
    PledgeSource,
    PledgeStatus,
    TransactionKind,
)
from . import ledger
from .money import money

ON_CALL_CONVERSATION = "bond_fund.on_call"
# "SÍ 200", "si $200", "YES 200.00", "yes, 150": a yes and an amount.
PLEDGE_RE = re.compile(
    r"^\s*(?:s[ií]|yes|y)\b[\s,.:!-]*\$?\s*(?P<amount>\d{1,6}(?:[.,]\d{3})*(?:\.\d{1,2})?)\s*"
    r"(?:\$|usd|d[oó]lares|dollars)?\s*[.!]?\s*$",
    re.IGNORECASE,
)
MAX_PLEDGE_CENTS = 1_000_000_00
REMIND_BEFORE = timedelta(days=3)
REMIND_AFTER = timedelta(days=3)


def _check_amount(amount_cents) -> None:
    if not amount_cents or amount_cents <= 0 or amount_cents > MAX_PLEDGE_CENTS:
        raise ValidationError(_("Enter an amount between $1.00 and $1,000,000.00."))


def pledge_create(
    *,
    committee,
    person,
    amount_cents: int,
    due_on,
    source: str,
    bond: BondRequest | None = None,
    actor=None,
    public_name: str = "",
    instalments: int = 1,
) -> Pledge:
    """Record a promise to give, to a bond of this committee or to the general fund."""
    _check_amount(amount_cents)
    if bond is not None and bond.committee_id != committee.pk:
        raise ValidationError(_("That bond was not found."))
    if not 1 <= instalments <= 24:
        raise ValidationError(_("Instalments must be between 1 and 24."))
    return Pledge.objects.create(
        committee=committee,
        person=person,
        bond=bond,
        amount_cents=amount_cents,
        due_on=due_on,
        instalments=instalments,
        public_name=public_name[:80],
        source=source,
        created_by=getattr(actor, "membership", None),
    )


def pledge_public_submit(
    *,
    committee,
    name: str,
    phone: str,
    email: str,
    language: str,
    amount_cents: int,
    due_on,
    bond: BondRequest | None,
    consent: bool,
    on_call: bool = False,
    public_name: str = "",
) -> Pledge:
    """A pledge from the public page. The contact is found or created through members;
    fundraising consent is recorded only for a new person, never for an existing one."""
    from members.consent import ConsentSource, consent_record, consent_wording
    from members.services import contact_find_or_create

    _check_amount(amount_cents)
    if due_on < timezone.localdate():
        raise ValidationError(_("The date cannot be in the past."))
    if bond is not None and bond.status != BondStatus.FUNDING:
        raise ValidationError(_("This bond is not raising money any more."))
    with transaction.atomic():
        match = contact_find_or_create(
            committee=committee,
            name=name,
            phone=phone,
            email=email,
            language=language,
            source="bond_fund_pledge",
        )
        person = match.person
        if match.created and consent:
            for channel in [c for c, v in ((Channel.SMS, phone), (Channel.EMAIL, email)) if v]:
                consent_record(
                    person=person,
                    purpose=Purpose.FUNDRAISING,
                    channel=channel,
                    granted=True,
                    wording=consent_wording(
                        purpose=Purpose.FUNDRAISING,
                        channel=channel,
                        committee_name=committee.name,
                        granted=True,
                    ),
                    language=language,
                    source=ConsentSource.WEB_FORM,
                )
        if on_call and match.created:
            OnCallDonor.objects.get_or_create(committee=committee, person=person)
        pledge = pledge_create(
            committee=committee,
            person=person,
            amount_cents=amount_cents,
            due_on=due_on,
            source=PledgeSource.PUBLIC,
            bond=bond,
            public_name=public_name,
        )
        if match.needs_proof:
            pledge.contact_confirmed = False
            pledge.save(update_fields=["contact_confirmed"])
        return pledge


def payment_record(
    *,
    actor,
    pledge: Pledge,
    amount_cents: int,
    method: str,
    idempotency_key: str,
    fee_cents: int = 0,
    reference: str = "",
    received_on=None,
) -> Payment:
    """Record money received against a pledge (partial or more than promised).

    Side effects: a Payment; a ledger transaction (cash +net, fees +fee, donations
    -amount); the pledge's paid total and status; a receipt by email (with consent).
    A retried request with the same key returns the first payment.
    """
    from notifications.services import message_queue

    if not actor.can(Action.MOVE_MONEY):
        raise ValidationError(_("You may not do this."), code="forbidden")
    _check_amount(amount_cents)
    if method not in PaymentMethod.values:
        raise ValidationError(_("Choose how the money came."))
    if fee_cents < 0 or fee_cents >= amount_cents:
        raise ValidationError(_("The fee must be less than the payment."))
    if method == PaymentMethod.PROCESSOR and not reference.strip():
        raise ValidationError(_("A processor payout needs its reference."))
    key = f"payment:{pledge.pk}:{idempotency_key}"[:120]
    with transaction.atomic():
        pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
        existing = Payment.objects.filter(idempotency_key=key).first()
        if existing is not None:
            return existing
        if pledge.status == PledgeStatus.CANCELLED:
            raise ValidationError(_("This pledge was cancelled."))
        payment = Payment.objects.create(
            committee=pledge.committee,
            pledge=pledge,
            amount_cents=amount_cents,
            fee_cents=fee_cents,
            method=method,
            reference=reference[:100],
            received_on=received_on or timezone.localdate(),
            recorded_by=actor.membership,
            idempotency_key=key,
        )
        ledger.transaction_post(
            committee=pledge.committee,
            kind=TransactionKind.PAYMENT,
            lines=[
                ("cash", amount_cents - fee_cents),
                ("fees", fee_cents),
                ("donations", -amount_cents),
            ],
            reason=_("Payment on pledge #%(id)s") % {"id": pledge.pk},
            idempotency_key=f"payment:{payment.pk}",
            actor=actor,
            pledge=pledge,
            payment=payment,
            bond=pledge.bond,
        )
        Pledge.objects.filter(pk=pledge.pk).update(paid_cents=F("paid_cents") + amount_cents)
        pledge.refresh_from_db()
        if pledge.paid_cents >= pledge.amount_cents and pledge.status == PledgeStatus.OPEN:
            pledge.status = PledgeStatus.PAID
            pledge.save(update_fields=["status"])
        if pledge.person is not None and pledge.person.email:
            message_queue(
                person=pledge.person,
                purpose=Purpose.FUNDRAISING,
                template="bond_fund_receipt",
                channel=Channel.EMAIL,
                idempotency_key=f"bond_fund:receipt:{payment.pk}",
                context={
                    "amount": money(amount_cents),
                    "received_on": payment.received_on,
                    "pledged": money(pledge.amount_cents),
                    "paid": money(pledge.paid_cents),
                    "receipt_number": payment.pk,
                },
            )
    return payment


def pledge_cancel(*, actor, pledge: Pledge) -> Pledge:
    if not actor.can(Action.MOVE_MONEY):
        raise ValidationError(_("You may not do this."), code="forbidden")
    with transaction.atomic():
        pledge = Pledge.objects.select_for_update().get(pk=pledge.pk)
        if pledge.status != PledgeStatus.OPEN:
            raise ValidationError(_("Only an open pledge can be cancelled."))
        pledge.status = PledgeStatus.CANCELLED
        pledge.save(update_fields=["status"])
    return pledge


def pledge_reminders_send(*, now=None) -> int:
    """Remind open pledges a few days before they are due and once a few days after.

    Paid and cancelled pledges get nothing. Messages go through the outbox in the
    pledger's language, for the fundraising purpose (consent checked there). Safe to
    run twice: each pledge's reminder has its own idempotency key and timestamp.
    """
    from notifications.services import message_queue

    now = now or timezone.now()
    today = timezone.localdate(now)
    sent = 0
    batches = (
        (
            "before",
            Pledge.objects.filter(
                due_on__gt=today, due_on__lte=today + REMIND_BEFORE, reminded_before_at=None
            ),
            "reminded_before_at",
            "bond_fund_pledge_due",
        ),
        (
            "after",
            Pledge.objects.filter(due_on__lte=today - REMIND_AFTER, reminded_after_at=None),
            "reminded_after_at",
            "bond_fund_pledge_overdue",
        ),
    )
    for label, pledges, stamp, template in batches:
        ids = list(
            pledges.filter(
                status=PledgeStatus.OPEN, person__isnull=False, contact_confirmed=True
            ).values_list("pk", flat=True)[:1000]
        )
        for pledge_id in ids:
            with transaction.atomic():
                pledge = (
                    Pledge.objects.select_for_update(of=("self",))
                    .select_related("person__committee", "committee")
                    .get(pk=pledge_id)
                )
                if pledge.status != PledgeStatus.OPEN or getattr(pledge, stamp) is not None:
                    continue
                message_queue(
                    person=pledge.person,
                    purpose=Purpose.FUNDRAISING,
                    template=template,
                    idempotency_key=f"bond_fund:pledge:{pledge.pk}:{label}",
                    context={
                        "amount": money(pledge.outstanding_cents),
                        "due_on": pledge.due_on,
                    },
                )
                setattr(pledge, stamp, now)
                pledge.save(update_fields=[stamp])
                sent += 1
    return sent


def on_call_ask(*, bond: BondRequest) -> int:
    """Text every active on-call donor that this bond needs money (in the caller's
    transaction). Their "YES 200" reply becomes a pledge (see bond_fund.replies)."""
    from datetime import timedelta as td

    from notifications.services import conversation_open, message_queue

    donors = OnCallDonor.objects.filter(committee=bond.committee, active=True).select_related(
        "person__committee"
    )
    asked = 0
    for donor in donors:
        person = donor.person
        if not person.phone:
            continue
        conversation = conversation_open(
            person=person,
            kind=ON_CALL_CONVERSATION,
            object_id=bond.pk,
            open_for=td(hours=72),
            purpose=Purpose.FUNDRAISING,
        )
        message_queue(
            person=person,
            purpose=Purpose.FUNDRAISING,
            template="bond_fund_on_call",
            idempotency_key=f"bond_fund:on_call:{bond.pk}:{person.pk}",
            conversation=conversation,
            channel=Channel.SMS,
            context={"needed": money(bond.amount_cents), "bond_id": bond.pk},
        )
        asked += 1
    return asked


def on_call_pledge_from_reply(*, person, bond_id: int, text: str) -> Pledge | None:
    """'SÍ 200' from an on-call donor: a pledge of $200 to that bond, due in a week."""
    found = PLEDGE_RE.match(text or "")
    if found is None:
        return None
    amount = found.group("amount").replace(",", "")
    from .money import parse_money

    cents = parse_money(amount)
    bond = BondRequest.objects.filter(pk=bond_id, committee_id=person.committee_id).first()
    if bond is None or cents is None:
        return None
    with transaction.atomic():
        return pledge_create(
            committee=bond.committee,
            person=person,
            amount_cents=cents,
            due_on=timezone.localdate() + timedelta(days=7),
            source=PledgeSource.SMS,
            bond=bond,
        )
