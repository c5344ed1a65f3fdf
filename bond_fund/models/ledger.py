"""The fund's double-entry ledger: accounts, transactions and their entries.

Amounts are integer cents. An entry's amount is positive for a debit and negative for a
credit, so every transaction's entries sum to zero. Nothing here is ever updated or
deleted: a mistake is corrected by a reversing transaction. PostgreSQL enforces it
(triggers below, installed by the migrations): UPDATE and DELETE on entries and
transactions raise, and a deferred constraint trigger checks at commit that each
transaction's entries sum to zero and that it has entries at all. SQLite has no such
triggers; there `bond_fund.services.ledger` is the only writer and `bond_fund_check`
verifies the same invariants.
"""

from __future__ import annotations

import pgtrigger
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class AccountKind(models.TextChoices):
    # Assets (debit-normal): never below zero.
    CASH = "cash", _("Available to post bonds")
    BONDS_OUT = "bonds_out", _("Out on bonds, awaiting refund")
    # Income and expenses.
    DONATIONS = "donations", _("Donations")
    INTEREST = "interest", _("Interest on refunds")
    FEES = "fees", _("Processor fees")
    WRITE_OFFS = "write_offs", _("Bonds lost to breach")


ASSET_KINDS = frozenset({AccountKind.CASH, AccountKind.BONDS_OUT})


class Account(models.Model):
    committee_path = "committee"

    committee = models.ForeignKey(
        "committees.Committee", on_delete=models.PROTECT, related_name="fund_accounts"
    )
    kind = models.CharField(_("account"), max_length=12, choices=AccountKind.choices)

    class Meta:
        verbose_name = _("fund account")
        verbose_name_plural = _("fund accounts")
        ordering = ["committee", "id"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "kind"], name="one_account_per_kind"),
        ]

    def __str__(self):
        return f"{self.committee_id}/{self.kind}"

    @property
    def is_asset(self) -> bool:
        return self.kind in ASSET_KINDS


class TransactionKind(models.TextChoices):
    PAYMENT = "payment", _("Payment received")
    FEE = "fee", _("Processor fee")
    BOND_POSTED = "bond_posted", _("Bond paid to ICE")
    REFUND = "refund", _("Refund from ICE")
    INTEREST = "interest", _("Interest")
    WRITE_OFF = "write_off", _("Bond lost to breach")
    REVERSAL = "reversal", _("Correction (reversal)")


APPEND_ONLY = pgtrigger.Protect(name="append_only", operation=pgtrigger.Update | pgtrigger.Delete)


class Transaction(models.Model):
    """One movement of money: two or more entries that sum to zero."""

    committee_path = "committee"

    committee = models.ForeignKey(
        "committees.Committee", on_delete=models.PROTECT, related_name="fund_transactions"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=TransactionKind.choices)
    at = models.DateTimeField(_("when"), default=timezone.now, db_index=True)
    # The person, not their membership: erasing a former treasurer deletes the membership
    # but keeps the (scrubbed) person, and a transaction can never be updated.
    actor = models.ForeignKey(
        "members.Person",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="+",
        verbose_name=_("by"),
    )
    reason = models.CharField(_("reason"), max_length=300)
    pledge = models.ForeignKey(
        "bond_fund.Pledge", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    payment = models.ForeignKey(
        "bond_fund.Payment",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transactions",
    )
    bond = models.ForeignKey(
        "bond_fund.BondRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="transactions",
    )
    document = models.ForeignKey(
        "bond_fund.BondDocument", null=True, blank=True, on_delete=models.PROTECT, related_name="+"
    )
    reverses = models.OneToOneField(
        "self", null=True, blank=True, on_delete=models.PROTECT, related_name="reversed_by"
    )
    # A retried request (double click, network retry) finds the transaction it already
    # made instead of paying twice.
    idempotency_key = models.CharField(max_length=120, unique=True)

    class Meta:
        verbose_name = _("ledger transaction")
        verbose_name_plural = _("ledger transactions")
        ordering = ["at", "id"]
        indexes = [models.Index(fields=["committee", "at", "id"])]
        triggers = [
            APPEND_ONLY,
            # Checked at commit, once the entries are in: a transaction without entries
            # is a half-written one.
            pgtrigger.Trigger(
                name="has_entries",
                when=pgtrigger.After,
                operation=pgtrigger.Insert,
                timing=pgtrigger.Deferred,
                func="""
                IF NOT EXISTS (
                    SELECT 1 FROM bond_fund_entry WHERE transaction_id = NEW.id
                ) THEN
                    RAISE EXCEPTION 'ledger transaction % has no entries', NEW.id
                        USING ERRCODE = 'check_violation';
                END IF;
                RETURN NULL;
                """,
            ),
        ]

    def __str__(self):
        return f"#{self.pk} {self.kind}"


class Entry(models.Model):
    committee_path = "account__committee"

    transaction = models.ForeignKey(Transaction, on_delete=models.PROTECT, related_name="entries")
    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="entries")
    # Debit positive, credit negative.
    amount_cents = models.BigIntegerField(_("amount"))

    class Meta:
        verbose_name = _("ledger entry")
        verbose_name_plural = _("ledger entries")
        ordering = ["transaction", "id"]
        indexes = [models.Index(fields=["account", "transaction"])]
        constraints = [
            models.CheckConstraint(
                condition=~models.Q(amount_cents=0), name="entry_amount_not_zero"
            ),
        ]
        triggers = [
            APPEND_ONLY,
            # The running totals (AccountFlow), in the same transaction as the entries: once
            # per statement, from the rows it inserted (a transition table), so that a
            # statement writing many entries updates each total once, not once per entry
            # (100,000 updates of one row in one transaction took minutes).
            pgtrigger.Trigger(
                name="add_to_flow",
                when=pgtrigger.After,
                operation=pgtrigger.Insert,
                level=pgtrigger.Statement,
                referencing=pgtrigger.Referencing(new="new_entries"),
                func="""
                INSERT INTO bond_fund_accountflow
                    (account_id, transaction_kind, total_cents, entries)
                SELECT n.account_id, t.kind, SUM(n.amount_cents), COUNT(*)
                FROM new_entries n JOIN bond_fund_transaction t ON t.id = n.transaction_id
                GROUP BY n.account_id, t.kind
                ORDER BY n.account_id, t.kind
                ON CONFLICT (account_id, transaction_kind) DO UPDATE
                SET total_cents = bond_fund_accountflow.total_cents + EXCLUDED.total_cents,
                    entries = bond_fund_accountflow.entries + EXCLUDED.entries;
                RETURN NULL;
                """,
            ),
            pgtrigger.Trigger(
                name="zero_sum",
                when=pgtrigger.After,
                operation=pgtrigger.Insert,
                timing=pgtrigger.Deferred,
                func="""
                IF (
                    SELECT COALESCE(SUM(amount_cents), 0) FROM bond_fund_entry
                    WHERE transaction_id = NEW.transaction_id
                ) <> 0 THEN
                    RAISE EXCEPTION 'ledger transaction % does not sum to zero',
                        NEW.transaction_id USING ERRCODE = 'check_violation';
                END IF;
                RETURN NULL;
                """,
            ),
        ]

    def __str__(self):
        return f"{self.transaction_id}: {self.account_id} {self.amount_cents}"


class AccountFlow(models.Model):
    """The sum of an account's entries per kind of transaction, kept by PostgreSQL: a
    trigger on every new entry adds it here in the same transaction (and under the same
    row lock for concurrent writers), so the fund's balances are read from a few rows
    instead of summing the whole ledger on every page. Entries are never updated or
    deleted, so adding is all it takes. `bond_fund_check` compares it with the entries.
    SQLite has no triggers: there the selectors sum the entries as before."""

    account = models.ForeignKey(Account, on_delete=models.PROTECT, related_name="flows")
    transaction_kind = models.CharField(max_length=12, choices=TransactionKind.choices)
    total_cents = models.BigIntegerField(default=0)
    entries = models.BigIntegerField(default=0)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["account", "transaction_kind"], name="one_flow_per_account_and_kind"
            ),
        ]

    def __str__(self):
        return f"{self.account_id}/{self.transaction_kind}: {self.total_cents}"
