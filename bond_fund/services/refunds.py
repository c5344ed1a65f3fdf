"""The refund pipeline's clock: bonds whose refund is late, and hearings missed by
bonded people (a breach risk), turned into deadlines and a weekly note to treasurers."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from members.consent import Channel, Purpose

from .. import cases
from ..models import AWAITING_REFUND, BondRequest, BondStatus

# ICE usually sends the I-391 within months of the case ending; the refund follows a
# claim by weeks to months. Past these, a treasurer should call.
CLAIM_LATE_AFTER = timedelta(days=30)  # cancelled, claim not sent
REFUND_LATE_AFTER = timedelta(days=120)  # claim sent, no refund yet
MISSED_HEARING_GRACE = timedelta(days=30)


def late_refunds(*, committee, now=None) -> list[BondRequest]:
    now = now or timezone.now()
    return list(
        BondRequest.objects.filter(committee=committee)
        .filter(
            Q(status=BondStatus.CANCELLED, cancelled_at__lte=now - CLAIM_LATE_AFTER)
            | Q(status=BondStatus.REFUND_CLAIMED, claimed_at__lte=now - REFUND_LATE_AFTER)
        )
        .order_by("posted_at", "id")
    )


def missed_hearings_mark(*, committee) -> int:
    """A bonded person missed a hearing: the bond gets a deadline (risk of an I-340 or a
    breach) unless it already has one. Returns how many bonds were marked."""
    bonds = {
        b.case_id: b
        for b in BondRequest.objects.filter(
            committee=committee, status__in=AWAITING_REFUND, deadline_on__isnull=True
        )
    }
    if not bonds:
        return 0
    marked = 0
    for case_id, hearings in cases.hearings_for_cases(case_ids=list(bonds)).items():
        missed = [h for h in hearings if h.status == "missed"]
        bond = bonds.get(case_id)
        if not missed or bond is None:
            continue
        latest = max(h.starts_at for h in missed)
        with transaction.atomic():
            BondRequest.objects.filter(pk=bond.pk, deadline_on__isnull=True).update(
                deadline_on=timezone.localdate(latest + MISSED_HEARING_GRACE),
                deadline_reason=_("Missed hearing: risk of breach"),
            )
        marked += 1
    return marked


def treasurers_remind(*, committee, now=None) -> int:
    """Email the committee's treasurers (and coordinators) the bonds whose refund is
    late. One message per person per week (idempotency key on the ISO week)."""
    from committees.models import Membership
    from committees.roles import MembershipStatus, Role
    from notifications.services import message_queue

    now = now or timezone.now()
    late = late_refunds(committee=committee, now=now)
    if not late:
        return 0
    year, week, _day = timezone.localdate(now).isocalendar()
    staff = (
        Membership.objects.filter(
            committee=committee,
            status=MembershipStatus.VETTED,
            roles__role__in=[Role.TREASURER],
        )
        .select_related("person__committee")
        .distinct()
    )
    sent = 0
    for membership in staff:
        with transaction.atomic():
            message_queue(
                person=membership.person,
                purpose=Purpose.REMINDERS,
                template="bond_fund_refunds_late",
                channel=Channel.EMAIL,
                idempotency_key=f"bond_fund:refunds_late:{membership.pk}:{year}-{week}",
                context={"bond_ids": [b.pk for b in late], "count": len(late)},
            )
        sent += 1
    return sent
