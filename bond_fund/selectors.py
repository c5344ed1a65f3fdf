"""Reads for the bond fund's pages, scoped to the viewer's committee. Each returns what
its page needs in a constant number of queries, however long the ledger is."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from django.core.cache import cache
from django.db import connection
from django.db.models import Count, Exists, OuterRef, Q, Sum
from django.db.models.functions import Coalesce, TruncMonth
from django.utils import timezone

from committees.access import scope

from .models import (
    AWAITING_REFUND,
    OPEN_STATUSES,
    AccountFlow,
    AccountKind,
    BondRequest,
    BondStatus,
    Entry,
    FundSettings,
    Pledge,
    PledgeStatus,
    Transaction,
    TransactionKind,
)


@dataclass
class Totals:
    pledged: int = 0
    collected: int = 0
    disbursed: int = 0
    refunded: int = 0
    available: int = 0
    out_on_bonds: int = 0
    fees: int = 0
    interest: int = 0
    written_off: int = 0


def _flows(committee) -> list[tuple[str, str, int]]:
    """(account kind, transaction kind, total) of the committee's ledger: from the running
    totals PostgreSQL keeps (AccountFlow, a few rows, one query) or, on SQLite, summed
    from the entries."""
    if connection.vendor == "postgresql":
        rows = AccountFlow.objects.filter(account__committee=committee).values_list(
            "account__kind", "transaction_kind", "total_cents"
        )
    else:
        rows = (
            Entry.objects.filter(account__committee=committee)
            .values_list("account__kind", "transaction__kind")
            .annotate(total=Sum("amount_cents"))
            .values_list("account__kind", "transaction__kind", "total")
        )
    return list(rows)


def balances(*, committee, flows=None) -> dict[str, int]:
    """Each account's balance (one query)."""
    kinds: dict[str, int] = {}
    for kind, _transaction_kind, total in _flows(committee) if flows is None else flows:
        kinds[kind] = kinds.get(kind, 0) + (total or 0)
    return kinds


def fund_totals(*, viewer) -> Totals:
    committee = viewer.committee
    rows = _flows(committee)
    kinds = balances(committee=committee, flows=rows)
    flows: dict[str, int] = {}
    for kind, transaction_kind, total in rows:
        if kind == AccountKind.CASH:
            flows[transaction_kind] = flows.get(transaction_kind, 0) + (total or 0)
    pledged = scope(Pledge.objects.exclude(status=PledgeStatus.CANCELLED), viewer).aggregate(
        total=Coalesce(Sum("amount_cents"), 0)
    )["total"]
    return Totals(
        pledged=pledged,
        collected=-kinds.get(AccountKind.DONATIONS, 0),
        disbursed=-(flows.get(TransactionKind.BOND_POSTED) or 0),
        refunded=flows.get(TransactionKind.REFUND) or 0,
        available=kinds.get(AccountKind.CASH, 0),
        out_on_bonds=kinds.get(AccountKind.BONDS_OUT, 0),
        fees=kinds.get(AccountKind.FEES, 0),
        interest=-kinds.get(AccountKind.INTEREST, 0),
        written_off=kinds.get(AccountKind.WRITE_OFFS, 0),
    )


def overdue_pledges(*, viewer):
    return (
        scope(Pledge.objects.all(), viewer)
        .filter(status=PledgeStatus.OPEN, due_on__lt=timezone.localdate())
        .select_related("person", "bond")
        .order_by("due_on", "id")
    )


def awaiting_refund(*, viewer):
    """Posted bonds, the oldest first: the fund's open receivables."""
    return (
        scope(BondRequest.objects.all(), viewer)
        .filter(status__in=AWAITING_REFUND)
        .order_by("posted_at", "id")
    )


AGE_BUCKETS = ((0, 90), (90, 180), (180, 365), (365, None))


def awaiting_by_age(*, viewer, today: date | None = None) -> list[dict]:
    today = today or timezone.localdate()
    buckets = [{"low": low, "high": high, "count": 0, "cents": 0} for low, high in AGE_BUCKETS]
    for posted_at, amount in awaiting_refund(viewer=viewer).values_list(
        "posted_at", "amount_cents"
    ):
        days = (today - timezone.localdate(posted_at)).days if posted_at else 0
        for bucket in buckets:
            if days >= bucket["low"] and (bucket["high"] is None or days < bucket["high"]):
                bucket["count"] += 1
                bucket["cents"] += amount or 0
                break
    return buckets


def monthly_series(*, viewer) -> list[dict]:
    """Month by month: money in, money out, and the available balance at month end.

    Summing every cash entry by month costs more the longer the ledger grows (100,000
    entries: most of the fund dashboard's time). The ledger is append-only, so the number
    of cash entries names its state: on PostgreSQL that number is read from the running
    totals (one small query) and the series is cached under it, so any new entry — even one
    dated in an earlier month — makes the next view sum again."""
    if connection.vendor != "postgresql":
        return _monthly_series(viewer.committee)
    entries = AccountFlow.objects.filter(
        account__committee=viewer.committee, account__kind=AccountKind.CASH
    ).aggregate(n=Coalesce(Sum("entries"), 0))["n"]
    key = (
        f"bond_fund:monthly:{viewer.committee.pk}:{entries}:{timezone.get_current_timezone_name()}"
    )
    series = cache.get(key)
    if series is None:
        series = _monthly_series(viewer.committee)
        cache.set(key, series, 24 * 3600)
    return series


def _monthly_series(committee) -> list[dict]:
    rows = (
        Entry.objects.filter(account__committee=committee, account__kind=AccountKind.CASH)
        .annotate(month=TruncMonth("transaction__at"))
        .values("month")
        .annotate(
            inflow=Coalesce(Sum("amount_cents", filter=Q(amount_cents__gt=0)), 0),
            outflow=Coalesce(Sum("amount_cents", filter=Q(amount_cents__lt=0)), 0),
        )
        .order_by("month")
    )
    running, series = 0, []
    for row in rows:
        running += row["inflow"] + row["outflow"]
        series.append(
            {
                "month": row["month"],
                "inflow": row["inflow"],
                "outflow": -row["outflow"],
                "balance": running,
            }
        )
    return series[-24:]


def last_check(*, viewer) -> FundSettings | None:
    return FundSettings.objects.filter(committee=viewer.committee).first()


def ledger(*, viewer):
    """Transactions, newest first, with their entries and accounts (three queries a page)."""
    return (
        scope(Transaction.objects.all(), viewer)
        .select_related("actor")
        .prefetch_related("entries__account")
        .annotate(is_reversed=Exists(Transaction.objects.filter(reverses=OuterRef("pk"))))
        .order_by("-at", "-id")
    )


def ledger_rows(*, viewer):
    """One row per entry, oldest first, for the accountant's CSV (streamed)."""
    return (
        Entry.objects.filter(transaction__committee=viewer.committee)
        .select_related("transaction", "account")
        .order_by("transaction__at", "transaction_id", "id")
    )


def bonds(*, viewer, status: str = ""):
    """The queue: open requests by priority (medical first) then next hearing; the rest
    by most recent."""
    queryset = scope(BondRequest.objects.all(), viewer).annotate(
        pledged=Coalesce(
            Sum("pledges__amount_cents", filter=~Q(pledges__status=PledgeStatus.CANCELLED)), 0
        ),
        collected=Coalesce(Sum("pledges__paid_cents"), 0),
    )
    if status:
        queryset = queryset.filter(status=status)
    return queryset.order_by("status", "-priority", "next_hearing_at", "id")


def bond_for_viewer(*, viewer):
    return scope(BondRequest.objects.all(), viewer).select_related("person")


def status_counts(*, viewer) -> dict[str, int]:
    return dict(
        scope(BondRequest.objects.all(), viewer)
        .values_list("status")
        .annotate(n=Count("id"))
        .values_list("status", "n")
    )


def pledges(*, viewer):
    return (
        scope(Pledge.objects.all(), viewer)
        .select_related("person", "bond")
        .order_by("-created_at", "-id")
    )


def public_bonds(*, committee):
    """Bonds raising money, for the public page: amounts only, never names."""
    return (
        BondRequest.objects.filter(committee=committee, status=BondStatus.FUNDING)
        .annotate(
            pledged=Coalesce(
                Sum("pledges__amount_cents", filter=~Q(pledges__status=PledgeStatus.CANCELLED)),
                0,
            )
        )
        .order_by("-priority", "next_hearing_at", "id")
    )


def open_requests(*, viewer):
    return scope(BondRequest.objects.all(), viewer).filter(status__in=OPEN_STATUSES)
