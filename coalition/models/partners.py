from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.crypto import EncryptedCharField, EncryptedEmailField, lookup_hash


class PartnerKind(models.TextChoices):
    IMMIGRANT_LED = "immigrant_led", _("Immigrant-led group")
    UNION = "union", _("Union")
    FAITH = "faith", _("Faith community")
    BUSINESS = "business", _("Small business")
    NATIONAL = "national", _("National organization")
    LEGAL = "legal", _("Legal organization")
    OTHER = "other", _("Other")


class Offer(models.TextChoices):
    SPACE = "space", _("Space")
    LAWYERS = "lawyers", _("Lawyers")
    INTERPRETERS = "interpreters", _("Interpreters")
    MONEY = "money", _("Money")
    SANCTUARY = "sanctuary", _("Sanctuary")
    VOLUNTEERS = "volunteers", _("Volunteers")


class Relationship(models.TextChoices):
    PROSPECT = "prospect", _("Not yet approached")
    TALKING = "talking", _("Talking")
    ALLY = "ally", _("Ally")
    PAUSED = "paused", _("Paused")
    ENDED = "ended", _("Ended")


class Partner(models.Model):
    """An organization the committee works with. Its contact person is not someone in
    the people directory: their name, phone and email are encrypted here, with keyed
    hashes beside phone and email for exact lookups (as on `members.Person`)."""

    committee_path = "committee"

    committee = models.ForeignKey(
        "committees.Committee", on_delete=models.CASCADE, related_name="partners"
    )
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=16, choices=PartnerKind.choices)
    offers = models.JSONField(_("what they offer"), default=list, blank=True)
    languages = models.CharField(_("languages spoken"), max_length=200, blank=True)
    relationship = models.CharField(
        _("relationship"),
        max_length=12,
        choices=Relationship.choices,
        default=Relationship.PROSPECT,
    )
    # Links to the other parts: a legal organization cases are referred to, a donor of
    # the bond fund. Flags, so that this app does not reach into theirs.
    takes_legal_referrals = models.BooleanField(_("takes legal referrals"), default=False)
    bond_fund_donor = models.BooleanField(_("gives to the bond fund"), default=False)
    contact_name = EncryptedCharField(_("contact person"), max_length=120, blank=True, null=True)
    contact_phone = EncryptedCharField(_("contact phone"), max_length=32, blank=True, null=True)
    contact_phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    contact_email = EncryptedEmailField(_("contact email"), blank=True, null=True)
    contact_email_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("partner")
        verbose_name_plural = _("partners")
        ordering = ["name", "id"]
        indexes = [models.Index(fields=["committee", "name"])]

    def __str__(self):
        return self.name

    def set_contact(self, *, name: str = "", phone: str = "", email: str = "") -> None:
        self.contact_name = (name or "").strip() or None
        self.contact_phone = phone or None
        self.contact_phone_hash = lookup_hash(phone or "")
        self.contact_email = (email or "").strip().lower() or None
        self.contact_email_hash = lookup_hash(email or "")

    def offer_labels(self) -> list[str]:
        labels = dict(Offer.choices)
        return [str(labels[o]) for o in self.offers if o in labels]


class PartnerNote(models.Model):
    """One entry of the relationship's history: a meeting held or something asked."""

    committee_path = "partner__committee"

    class Kind(models.TextChoices):
        MEETING = "meeting", _("Meeting")
        ASK = "ask", _("Ask")
        NOTE = "note", _("Note")

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="notes")
    kind = models.CharField(_("kind"), max_length=8, choices=Kind.choices)
    on = models.DateField(_("date"))
    summary = models.CharField(_("what happened"), max_length=500)
    answer = models.CharField(_("their answer"), max_length=500, blank=True)
    created_by = models.ForeignKey(
        "committees.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-on", "-id"]

    def __str__(self):
        return f"{self.partner_id}: {self.kind} {self.on}"


class PartnerPledge(models.Model):
    """What a partner promised (a business's "no entry to non-public areas without a
    judicial warrant" policy, a church's sanctuary), until when, and the signed copy."""

    committee_path = "partner__committee"

    partner = models.ForeignKey(Partner, on_delete=models.CASCADE, related_name="pledges")
    text = models.CharField(_("what they pledge"), max_length=500)
    signed_on = models.DateField(_("signed on"), null=True, blank=True)
    expires_on = models.DateField(_("expires on"), null=True, blank=True, db_index=True)
    document = models.ForeignKey(
        "coalition.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # Who is reminded to renew it, a month before it expires (once per expiry date).
    owner = models.ForeignKey(
        "committees.Membership",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("who renews it"),
    )
    renewal_reminded_for = models.DateField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["expires_on", "id"]

    def __str__(self):
        return f"pledge #{self.pk}"

    @property
    def is_expired(self) -> bool:
        return self.expires_on is not None and self.expires_on < timezone.localdate()
