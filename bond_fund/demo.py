"""Demo bond fund: a year of history, a bond in every state, overdue pledges.

Written with the ledger's own service (so every transaction balances and the check
passes) but without the services that queue messages: seeding sends nothing.
"""

from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from committees import demo
from committees.models import Membership
from committees.roles import Role
from members.models import Person

from .models import (
    BondEvent,
    BondRequest,
    Disbursement,
    Payment,
    Pledge,
    TransactionKind,
)
from .services import ledger

DEMO_CASE_BASE = 990_000
# (status, type, amount $, days ago requested, story)
BONDS = [
    ("refunded", "delivery", 3000, 350, "A mother of three, detained at a check-in."),
    ("refunded", "voluntary_departure", 1500, 320, "A grandfather going home to his town."),
    ("refund_claimed", "delivery", 2500, 290, "A roofer picked up on his way to work."),
    ("cancelled", "delivery", 4000, 240, "A student detained after a traffic stop."),
    ("breached", "delivery", 2000, 260, "A young man moved to a far-away facility."),
    ("posted", "delivery", 5000, 150, "A cook and father, detained at his home."),
    ("posted", "delivery", 1500, 60, "A nurse's aide who cares for her parents."),
    ("funding", "delivery", 7500, 12, "A mother detained at the courthouse."),
    ("approved", "delivery", 2000, 6, "A farm worker detained in a raid."),
    ("requested", "delivery", None, 2, "A teenager's father, bond hearing next week."),
    ("withdrawn", "delivery", 3500, 90, "Released on his own recognizance."),
]
STEPS = ["requested", "approved", "funding", "posted", "cancelled", "refund_claimed", "refunded"]


def _at(today, days_ago, zone):
    return datetime.combine(today - timedelta(days=days_ago), time(11), tzinfo=zone)


@demo.register(order=50)
def seed_bond_fund(committee, *, stdout) -> None:
    if BondRequest.objects.filter(committee=committee).exists():
        return
    zone = ZoneInfo(committee.timezone)
    today = timezone.localtime(timezone.now(), zone).date()
    treasurer = (
        Membership.objects.filter(committee=committee, roles__role=Role.TREASURER)
        .select_related("person")
        .first()
    )
    people = list(
        Person.objects.filter(committee=committee, membership__isnull=True).order_by("id")[:40]
    ) or list(Person.objects.filter(committee=committee).order_by("id")[:40])
    if treasurer is None or not people:
        return

    # Money in first: forty gifts across the year, most early, so that the fund never
    # goes below zero at any point of its history.
    for index in range(40):
        days_ago = 360 - index * 9
        person = people[index % len(people)]
        cents = (250 + (index * 137) % 900) * 100
        pledge = Pledge.objects.create(
            committee=committee,
            person=person,
            amount_cents=cents,
            due_on=today - timedelta(days=days_ago - 10),
            source="public" if index % 2 else "treasurer",
            status="paid",
            paid_cents=cents,
            created_at=_at(today, days_ago + 5, zone),
        )
        _payment(committee, treasurer, pledge, cents, _at(today, days_ago, zone), index)

    for index, (status, bond_type, dollars, days_ago, story) in enumerate(BONDS):
        _bond(
            committee,
            treasurer,
            people[index % len(people)],
            index,
            status,
            bond_type,
            dollars,
            days_ago,
            story,
            today,
            zone,
        )

    # Overdue and upcoming promises.
    for index, (days, dollars) in enumerate(
        [(-20, 300), (-9, 150), (-4, 500), (5, 200), (12, 1000)]
    ):
        Pledge.objects.create(
            committee=committee,
            person=people[(index + 7) % len(people)],
            amount_cents=dollars * 100,
            due_on=today + timedelta(days=days),
            source="public",
            created_at=_at(today, 30, zone),
        )
    stdout.write("Bond fund: a year of gifts, 11 bonds in every state, overdue pledges.")


def _payment(committee, treasurer, pledge, cents, at, index):
    fee = 3 * cents // 100 if index % 4 == 0 else 0
    payment = Payment.objects.create(
        committee=committee,
        pledge=pledge,
        amount_cents=cents,
        fee_cents=fee,
        method="processor" if fee else ("check" if index % 3 else "cash"),
        reference=f"demo-{index}",
        received_on=at.date(),
        recorded_by=treasurer,
        recorded_at=at,
        idempotency_key=f"demo:payment:{committee.pk}:{index}",
    )
    ledger.transaction_post(
        committee=committee,
        kind=TransactionKind.PAYMENT,
        lines=[("cash", cents - fee), ("fees", fee), ("donations", -cents)],
        reason=f"Payment on pledge #{pledge.pk}",
        idempotency_key=f"payment:{payment.pk}",
        actor=treasurer,
        at=at,
        pledge=pledge,
        payment=payment,
    )


def _bond(
    committee, treasurer, person, index, status, bond_type, dollars, days_ago, story, today, zone
):
    amount = dollars * 100 if dollars else None
    requested = _at(today, days_ago, zone)
    bond = BondRequest.objects.create(
        committee=committee,
        case_id=DEMO_CASE_BASE + index,
        person=person,
        first_name=person.preferred_name,
        source="demo",
        bond_type=bond_type,
        amount_cents=amount,
        obligor_name="Casa Libre Community Fund",
        obligor_kind="organization",
        priority="medical" if index == 7 else "normal",
        priority_reason="Needs dialysis three times a week." if index == 7 else "",
        story_en=story,
        story_es="",
        requested_by=treasurer,
        requested_at=requested,
        next_hearing_at=requested + timedelta(days=45),
    )
    if status == "withdrawn":
        path = ["requested", "approved", "withdrawn"]
    elif status == "breached":
        path = [*STEPS[:4], "breached"]
    else:
        path = STEPS[: STEPS.index(status) + 1]
    fields = {}
    for step, name in enumerate(path):
        at = requested + timedelta(days=step * (20 if step >= 3 else 2))
        BondEvent.objects.create(
            bond=bond,
            from_status=path[step - 1] if step else "",
            to_status=name,
            actor=treasurer,
            at=at,
        )
        if name == "posted":
            fields["posted_at"] = at
            disbursement = Disbursement.objects.create(
                bond=bond,
                amount_cents=amount,
                status="paid",
                requested_by=treasurer.person,
                requested_at=at,
                approved_by=treasurer.person,
                approved_at=at,
                idempotency_key=f"demo:disbursement:{committee.pk}:{index}",
            )
            ledger.transaction_post(
                committee=committee,
                kind=TransactionKind.BOND_POSTED,
                lines=[("bonds_out", amount), ("cash", -amount)],
                reason=f"Bond #{bond.pk} paid to ICE",
                idempotency_key=f"disbursement:{disbursement.pk}",
                actor=treasurer,
                at=at,
                bond=bond,
            )
        elif name == "cancelled":
            fields["cancelled_at"] = at
        elif name == "refund_claimed":
            fields["claimed_at"] = at
        elif name == "refunded":
            fields["refunded_at"] = at
            interest = amount // 200
            ledger.transaction_post(
                committee=committee,
                kind=TransactionKind.REFUND,
                lines=[
                    ("cash", amount + interest),
                    ("bonds_out", -amount),
                    ("interest", -interest),
                ],
                reason=f"Refund of bond #{bond.pk}",
                idempotency_key=f"refund:{bond.pk}:demo",
                actor=treasurer,
                at=at,
                bond=bond,
            )
        elif name == "breached":
            fields["breached_at"] = at
            ledger.transaction_post(
                committee=committee,
                kind=TransactionKind.WRITE_OFF,
                lines=[("write_offs", amount), ("bonds_out", -amount)],
                reason=f"Bond #{bond.pk} breached",
                idempotency_key=f"breach:{bond.pk}",
                actor=treasurer,
                at=at,
                bond=bond,
            )
    if status == "posted" and index == 5:
        fields["deadline_on"] = today + timedelta(days=10)
        fields["deadline_reason"] = "I-340: deliver the person to ICE"
    BondRequest.objects.filter(pk=bond.pk).update(status=status, **fields)
