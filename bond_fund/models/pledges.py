"""Pledges (promises of money), payments against them, and on-call donors."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class PledgeSource(models.TextChoices):
    PUBLIC = "public", _("Public page")
    TREASURER = "treasurer", _("Entered by a treasurer")
    SMS = "sms", _("Text reply")


class PledgeStatus(models.TextChoices):
    OPEN = "open", _("Open")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")


class Pledge(models.Model):
    """A promise to give: to one bond, or to the general fund when `bond` is empty."""

    committee_path = "committee"

    committee = models.ForeignKey(
        "committees.Committee", on_delete=models.PROTECT, related_name="pledges"
    )
    person = models.ForeignKey(
        "members.Person", null=True, on_delete=models.SET_NULL, related_name="pledges"
    )
    bond = models.ForeignKey(
        "bond_fund.BondRequest",
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="pledges",
        verbose_name=_("bond"),
    )
    amount_cents = models.PositiveBigIntegerField(_("amount"))
    due_on = models.DateField(_("due"))
    instalments = models.PositiveSmallIntegerField(_("instalments"), default=1)
    # Shown on the public page only when the donor asked to be named.
    public_name = models.CharField(_("name to show publicly"), max_length=80, blank=True)
    source = models.CharField(max_length=10, choices=PledgeSource.choices)
    status = models.CharField(
        max_length=10, choices=PledgeStatus.choices, default=PledgeStatus.OPEN, db_index=True
    )
    paid_cents = models.PositiveBigIntegerField(default=0)  # kept with each payment
    created_by = models.ForeignKey(
        "committees.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    # False when a public pledge named a phone or email we already knew: nothing is
    # sent for it until the contact is proven (members' contact proof) or a treasurer
    # confirms it.
    contact_confirmed = models.BooleanField(default=True)
    reminded_before_at = models.DateTimeField(null=True, blank=True)
    reminded_after_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("pledge")
        verbose_name_plural = _("pledges")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["committee", "status", "due_on"])]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_cents__gt=0), name="pledge_positive"),
        ]

    def __str__(self):
        return f"pledge #{self.pk}"

    @property
    def outstanding_cents(self) -> int:
        return max(0, self.amount_cents - self.paid_cents)

    @property
    def over_cents(self) -> int:
        return max(0, self.paid_cents - self.amount_cents)

    @property
    def is_overdue(self) -> bool:
        return self.status == PledgeStatus.OPEN and self.due_on < timezone.localdate()


class PaymentMethod(models.TextChoices):
    CASH = "cash", _("Cash")
    CHECK = "check", _("Check")
    BANK = "bank", _("Bank transfer")
    PROCESSOR = "processor", _("Payment processor payout")


class Payment(models.Model):
    committee_path = "committee"

    committee = models.ForeignKey(
        "committees.Committee", on_delete=models.PROTECT, related_name="fund_payments"
    )
    pledge = models.ForeignKey(Pledge, on_delete=models.PROTECT, related_name="payments")
    amount_cents = models.PositiveBigIntegerField(_("amount"))
    fee_cents = models.PositiveBigIntegerField(_("processor fee"), default=0)
    method = models.CharField(_("how"), max_length=10, choices=PaymentMethod.choices)
    reference = models.CharField(_("reference"), max_length=100, blank=True)
    received_on = models.DateField(_("received"), default=timezone.localdate)
    recorded_by = models.ForeignKey(
        "committees.Membership", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)
    idempotency_key = models.CharField(max_length=120, unique=True)

    class Meta:
        verbose_name = _("payment")
        verbose_name_plural = _("payments")
        ordering = ["-received_on", "-id"]
        constraints = [
            models.CheckConstraint(condition=models.Q(amount_cents__gt=0), name="payment_positive"),
            models.CheckConstraint(
                condition=models.Q(fee_cents__lt=models.F("amount_cents")),
                name="fee_below_payment",
            ),
        ]

    def __str__(self):
        return f"payment #{self.pk}"


class OnCallDonor(models.Model):
    """Someone who asked to be texted when a bond needs money."""

    committee_path = "committee"

    committee = models.ForeignKey(
        "committees.Committee", on_delete=models.CASCADE, related_name="on_call_donors"
    )
    person = models.ForeignKey(
        "members.Person", on_delete=models.CASCADE, related_name="on_call_pledges"
    )
    active = models.BooleanField(default=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("on-call donor")
        verbose_name_plural = _("on-call donors")
        constraints = [
            models.UniqueConstraint(fields=["committee", "person"], name="one_on_call_per_person"),
        ]

    def __str__(self):
        return f"on-call {self.person_id}"
