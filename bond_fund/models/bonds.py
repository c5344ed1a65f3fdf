"""Bond requests, their documents and status history, and disbursements to ICE."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField, EncryptedTextField

# A disbursement above this needs a second treasurer or coordinator (committees can
# change it on their fund settings).
DEFAULT_TWO_PERSON_THRESHOLD_CENTS = 5_000_00


class FundSettings(models.Model):
    committee_path = "committee"

    committee = models.OneToOneField(
        "committees.Committee", on_delete=models.CASCADE, related_name="fund_settings"
    )
    two_person_threshold_cents = models.PositiveBigIntegerField(
        _("second approval needed above"), default=DEFAULT_TWO_PERSON_THRESHOLD_CENTS
    )
    # The last run of bond_fund_check, shown on the treasurer's dashboard.
    checked_at = models.DateTimeField(null=True, blank=True)
    check_ok = models.BooleanField(null=True)
    check_problems = models.JSONField(default=list, blank=True)

    class Meta:
        verbose_name = _("fund settings")
        verbose_name_plural = _("fund settings")

    def __str__(self):
        return f"fund settings {self.committee_id}"


class BondType(models.TextChoices):
    DELIVERY = "delivery", _("Delivery bond")
    VOLUNTARY_DEPARTURE = "voluntary_departure", _("Voluntary departure bond")


MINIMUM_CENTS = {BondType.DELIVERY: 1_500_00, BondType.VOLUNTARY_DEPARTURE: 500_00}


class BondStatus(models.TextChoices):
    REQUESTED = "requested", _("Requested")
    APPROVED = "approved", _("Approved")
    FUNDING = "funding", _("Raising the money")
    POSTED = "posted", _("Posted")
    CANCELLED = "cancelled", _("Cancelled by ICE (I-391)")
    REFUND_CLAIMED = "refund_claimed", _("Refund claimed")
    REFUNDED = "refunded", _("Refunded")
    BREACHED = "breached", _("Breached (I-323)")
    WITHDRAWN = "withdrawn", _("Withdrawn")


# Money is out with ICE in these: each is an open receivable.
AWAITING_REFUND = frozenset({BondStatus.POSTED, BondStatus.CANCELLED, BondStatus.REFUND_CLAIMED})
OPEN_STATUSES = frozenset({BondStatus.REQUESTED, BondStatus.APPROVED, BondStatus.FUNDING})


class ObligorKind(models.TextChoices):
    CITIZEN = "citizen", _("U.S. citizen")
    RESIDENT = "resident", _("Permanent resident")
    ORGANIZATION = "organization", _("Organization")


class Priority(models.TextChoices):
    NORMAL = "normal", _("By hearing date")
    MEDICAL = "medical", _("Medical need")
    OTHER = "other", _("Other urgent reason")


class BondRequest(models.Model):
    """A request to pay one detained person's bond, from request to refund."""

    committee_path = "committee"

    committee = models.ForeignKey(
        "committees.Committee", on_delete=models.PROTECT, related_name="bond_requests"
    )
    # Through legal_aid's hand-off: the case id is kept, never its model.
    case_id = models.PositiveBigIntegerField(_("legal case"), db_index=True)
    # Required when the request is opened; emptied if the person is erased.
    person = models.ForeignKey(
        "members.Person", null=True, on_delete=models.SET_NULL, related_name="bond_requests"
    )
    first_name = models.CharField(max_length=80, blank=True)
    source = models.CharField(max_length=24, default="legal_aid")
    bond_type = models.CharField(
        _("bond type"), max_length=20, choices=BondType.choices, default=BondType.DELIVERY
    )
    amount_cents = models.PositiveBigIntegerField(_("amount"), null=True, blank=True)
    facility = EncryptedCharField(_("detention facility"), max_length=200, blank=True, null=True)
    obligor_name = EncryptedCharField(_("obligor"), max_length=200, blank=True, null=True)
    obligor_kind = models.CharField(
        _("obligor is"), max_length=12, choices=ObligorKind.choices, blank=True
    )
    priority = models.CharField(
        _("priority"), max_length=8, choices=Priority.choices, default=Priority.NORMAL
    )
    priority_reason = models.CharField(_("why it cannot wait"), max_length=300, blank=True)
    note = EncryptedTextField(_("note"), blank=True, null=True)
    # The public pledge page shows this story: no names, no A-numbers.
    story_en = models.TextField(_("story in English (no names)"), max_length=1000, blank=True)
    story_es = models.TextField(_("story in Spanish (no names)"), max_length=1000, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=BondStatus.choices,
        default=BondStatus.REQUESTED,
        db_index=True,
    )
    next_hearing_at = models.DateTimeField(_("next hearing"), null=True, blank=True)
    requested_by = models.ForeignKey(
        "committees.Membership", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    requested_at = models.DateTimeField(default=timezone.now)
    posted_at = models.DateTimeField(_("posted"), null=True, blank=True)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    claimed_at = models.DateTimeField(_("refund claimed"), null=True, blank=True)
    refunded_at = models.DateTimeField(_("refunded"), null=True, blank=True)
    breached_at = models.DateTimeField(_("breached"), null=True, blank=True)
    # An I-340 (deliver the person) or a missed hearing: a deadline on the money.
    deadline_on = models.DateField(_("deadline"), null=True, blank=True)
    deadline_reason = models.CharField(max_length=200, blank=True)
    # The obligor moved: ICE must get an I-333.
    address_change_pending = models.BooleanField(_("I-333 to send"), default=False)

    class Meta:
        verbose_name = _("bond request")
        verbose_name_plural = _("bond requests")
        ordering = ["-requested_at", "-id"]
        indexes = [models.Index(fields=["committee", "status", "posted_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(amount_cents__isnull=True)
                | models.Q(bond_type="delivery", amount_cents__gte=1_500_00)
                | models.Q(bond_type="voluntary_departure", amount_cents__gte=500_00),
                name="bond_amount_at_least_minimum",
            ),
        ]

    def __str__(self):
        return f"bond #{self.pk}"

    @property
    def story(self) -> str:
        from django.utils import translation

        if (translation.get_language() or "en").startswith("es"):
            return self.story_es or self.story_en
        return self.story_en or self.story_es

    @property
    def age_days(self) -> int | None:
        if self.posted_at is None:
            return None
        end = self.refunded_at or self.breached_at or timezone.now()
        return (end - self.posted_at).days


class BondEvent(models.Model):
    """Every status change: who, when, from what to what."""

    committee_path = "bond__committee"

    bond = models.ForeignKey(BondRequest, on_delete=models.CASCADE, related_name="events")
    from_status = models.CharField(max_length=16, choices=BondStatus.choices, blank=True)
    to_status = models.CharField(max_length=16, choices=BondStatus.choices)
    actor = models.ForeignKey(
        "committees.Membership", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)
    note = models.CharField(max_length=300, blank=True)

    class Meta:
        verbose_name = _("bond event")
        verbose_name_plural = _("bond events")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.bond_id}: {self.from_status}->{self.to_status}"


class DocumentKind(models.TextChoices):
    I352 = "i352", _("I-352 bond contract")
    I305 = "i305", _("I-305 receipt")
    I395 = "i395", _("I-395 (lost receipt affidavit)")
    I340 = "i340", _("I-340 demand to deliver")
    I323 = "i323", _("I-323 breach notice")
    I290B = "i290b", _("I-290B appeal")
    I391 = "i391", _("I-391 cancellation")
    I333 = "i333", _("I-333 change of address")
    I312 = "i312", _("I-312 refund designee")
    OTHER = "other", _("Other")


class BondDocument(models.Model):
    """An uploaded form. The file holds A-numbers and names: stored encrypted."""

    committee_path = "bond__committee"

    bond = models.ForeignKey(BondRequest, on_delete=models.PROTECT, related_name="documents")
    kind = models.CharField(_("form"), max_length=8, choices=DocumentKind.choices)
    filename = models.CharField(max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    content = EncryptedTextField(null=True)  # base64 of the file, encrypted
    received_on = models.DateField(_("received"), default=timezone.localdate)
    uploaded_by = models.ForeignKey(
        "committees.Membership", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("bond document")
        verbose_name_plural = _("bond documents")
        ordering = ["uploaded_at", "id"]

    def __str__(self):
        return f"{self.kind} for bond {self.bond_id}"


class DisbursementStatus(models.TextChoices):
    WAITING = "waiting", _("Waiting for a second approval")
    PAID = "paid", _("Paid")
    CANCELLED = "cancelled", _("Cancelled")


class Disbursement(models.Model):
    """Paying a bond's amount to ICE out of the fund."""

    committee_path = "bond__committee"

    bond = models.ForeignKey(BondRequest, on_delete=models.PROTECT, related_name="disbursements")
    amount_cents = models.PositiveBigIntegerField(_("amount"))
    status = models.CharField(max_length=10, choices=DisbursementStatus.choices)
    # People, not memberships (see ledger.Transaction.actor).
    requested_by = models.ForeignKey("members.Person", on_delete=models.PROTECT, related_name="+")
    requested_at = models.DateTimeField(default=timezone.now)
    approved_by = models.ForeignKey(
        "members.Person", null=True, on_delete=models.PROTECT, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    idempotency_key = models.CharField(max_length=120, unique=True)

    class Meta:
        verbose_name = _("disbursement")
        verbose_name_plural = _("disbursements")
        ordering = ["-requested_at", "-id"]
        constraints = [
            # One live disbursement per bond: the second click finds the first.
            models.UniqueConstraint(
                fields=["bond"],
                condition=~models.Q(status="cancelled"),
                name="one_live_disbursement_per_bond",
            ),
        ]

    def __str__(self):
        return f"disbursement {self.pk} for bond {self.bond_id}"
