import zoneinfo

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField, EncryptedTextField
from phonenumber_field.modelfields import PhoneNumberField

from lib.crypto import EncryptedEmailField, lookup_hash

from .roles import MembershipStatus, Role


def validate_timezone(value):
    if value not in zoneinfo.available_timezones():
        raise ValidationError(_("Unknown time zone."))


def default_languages():
    return ["en", "es"]


def default_sms_countries():
    """The installation's own country (PHONENUMBER_DEFAULT_REGION)."""
    return [settings.PHONENUMBER_DEFAULT_REGION]


class Committee(models.Model):
    committee_path = "pk"

    name = models.CharField(_("name"), max_length=120)
    slug = models.SlugField(_("short name"), unique=True)
    area = models.CharField(_("area"), max_length=200, blank=True)
    timezone = models.CharField(
        _("time zone"), max_length=64, default=settings.TIME_ZONE, validators=[validate_timezone]
    )
    languages = models.JSONField(_("languages"), default=default_languages)
    sms_number = PhoneNumberField(_("SMS number"), blank=True)
    # Countries (ISO codes) whose numbers the committee texts. Public forms refuse other
    # numbers and nothing is texted to them: texts abroad cost many times more, and
    # "SMS pumping" fills forms with premium numbers to make the committee pay.
    sms_countries = models.JSONField(_("countries it texts"), default=default_sms_countries)
    quiet_hours_start = models.TimeField(_("quiet hours start"), default="21:00")
    quiet_hours_end = models.TimeField(_("quiet hours end"), default="08:00")
    # Vetting takes two people: this many vetted members vouch, then a coordinator who
    # did not vouch approves.
    vouches_required = models.PositiveSmallIntegerField(
        _("vouches required"),
        choices=[(1, _("One vetted member")), (2, _("Two vetted members"))],
        default=1,
        help_text=_("How many vetted members must vouch for a newcomer before approval."),
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("committee")
        verbose_name_plural = _("committees")
        ordering = ["name"]

    def __str__(self):
        return self.name

    def texts_number(self, e164: str) -> bool:
        """Whether an E.164 number is in a country the committee texts."""
        import phonenumbers

        try:
            region = phonenumbers.region_code_for_number(phonenumbers.parse(e164, None))
        except phonenumbers.NumberParseException:
            return False
        return region in (self.sms_countries or [])


class Zone(models.Model):
    """A neighbourhood used to target rapid-response alerts."""

    committee_path = "committee"

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="zones")
    name = models.CharField(_("name"), max_length=120)
    description = models.CharField(_("description (English)"), max_length=300, blank=True)
    description_es = models.CharField(_("description (Spanish)"), max_length=300, blank=True)

    class Meta:
        verbose_name = _("zone")
        verbose_name_plural = _("zones")
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(fields=["committee", "name"], name="unique_zone_name")
        ]

    def __str__(self):
        return self.name

    @property
    def local_description(self) -> str:
        """The description in the reader's language, else the other one."""
        from django.utils.translation import get_language

        first, second = (
            (self.description_es, self.description)
            if (get_language() or "").startswith("es")
            else (self.description, self.description_es)
        )
        return first or second


class Membership(models.Model):
    """A person's place in their committee: status and roles."""

    committee_path = "committee"

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="memberships")
    person = models.OneToOneField(
        "members.Person", on_delete=models.CASCADE, related_name="membership"
    )
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=MembershipStatus.choices,
        default=MembershipStatus.PROBATIONARY,
        db_index=True,
    )
    joined_at = models.DateTimeField(_("joined"), default=timezone.now)
    vouched_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    vouched_at = models.DateTimeField(null=True, blank=True)
    approved_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    approved_at = models.DateTimeField(null=True, blank=True)
    suspended_by = models.ForeignKey(
        "self", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    suspended_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("membership")
        verbose_name_plural = _("memberships")
        ordering = ["person__preferred_name", "id"]
        # The dashboard's newcomers panel and status counts read this index only.
        indexes = [models.Index(fields=["committee", "status", "joined_at", "id"])]

    def __str__(self):
        return f"{self.person} ({self.get_status_display()})"

    @property
    def role_names(self) -> list[str]:
        # Reads the prefetched roles when the selector loaded them.
        return sorted(r.role for r in self.roles.all())


class MembershipRole(models.Model):
    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="roles")
    role = models.CharField(_("role"), max_length=16, choices=Role.choices, db_index=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["membership", "role"], name="unique_membership_role")
        ]

    def __str__(self):
        return self.get_role_display()


class Vouch(models.Model):
    """A vetted member standing behind a newcomer, in their own words."""

    committee_path = "membership__committee"

    membership = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="vouches")
    voucher = models.ForeignKey(Membership, on_delete=models.CASCADE, related_name="vouches_given")
    # What the voucher knows of the newcomer: only the approvers read it.
    note = EncryptedTextField(_("how you know this person"), blank=True, null=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("vouch")
        verbose_name_plural = _("vouches")
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["membership", "voucher"], name="unique_vouch")
        ]

    def __str__(self):
        return f"{self.voucher_id} → {self.membership_id}"


class Invitation(models.Model):
    """A single-use, expiring link that is the only way to create an account."""

    committee_path = "committee"

    class State(models.TextChoices):
        VALID = "valid", _("Waiting")
        USED = "used", _("Used")
        EXPIRED = "expired", _("Expired")
        REVOKED = "revoked", _("Revoked")

    committee = models.ForeignKey(Committee, on_delete=models.CASCADE, related_name="invitations")
    # Encrypted like a person's; found by its keyed hash (set_email keeps both together).
    email = EncryptedEmailField(_("email"), null=True)
    email_hash = models.CharField(max_length=64, db_index=True, editable=False, default="")
    roles = models.JSONField(_("roles"), default=list)
    # An invitation may be for a person the committee already keeps a record of.
    person = models.ForeignKey(
        "members.Person", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    # Only a hash of the token is stored: a database dump cannot be used to join.
    token_hash = models.CharField(max_length=64, unique=True, editable=False)
    created_by = models.ForeignKey(
        Membership, null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField(_("expires"))
    used_at = models.DateTimeField(null=True, blank=True)
    used_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    revoked_at = models.DateTimeField(null=True, blank=True)
    # Where the link is sent besides email (E.164), and the language it is written in.
    phone = EncryptedCharField(_("mobile phone"), max_length=32, blank=True, null=True)
    language = models.CharField(_("language"), max_length=8, default="es")
    sent_at = models.DateTimeField(null=True, blank=True)
    send_count = models.PositiveSmallIntegerField(default=0)

    class Meta:
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")
        ordering = ["-created_at"]

    def __str__(self):
        # Also the audit log's description of the row: never the address.
        return f"{self.committee}: invitation #{self.pk}"

    def set_email(self, email: str) -> None:
        self.email = email.strip().lower()
        self.email_hash = lookup_hash(self.email)

    @property
    def state(self) -> str:
        if self.used_at:
            return self.State.USED
        if self.revoked_at:
            return self.State.REVOKED
        if self.expires_at <= timezone.now():
            return self.State.EXPIRED
        return self.State.VALID

    def get_state_display(self):
        return self.State(self.state).label

    def role_labels(self):
        return [Role(r).label for r in self.roles]
