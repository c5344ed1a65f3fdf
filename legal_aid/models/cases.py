"""Cases: need-to-know records of the legal team's work for one person."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from lib.crypto import EncryptedCharField, EncryptedTextField

from .requests import Urgency

DEFAULT_RETENTION_DAYS = 365


class LegalAidSettings(models.Model):
    """The committee's legal-aid settings (one row, made on first use)."""

    committee_path = "committee"

    committee = models.OneToOneField(
        "committees.Committee", on_delete=models.CASCADE, related_name="legal_aid_settings"
    )
    retention_days = models.PositiveIntegerField(
        _("days a closed case keeps its contents"), default=DEFAULT_RETENTION_DAYS
    )
    team_phone = models.CharField(
        _("legal team's phone, shown to accompaniers"), max_length=32, blank=True
    )

    class Meta:
        verbose_name = _("legal aid settings")
        verbose_name_plural = _("legal aid settings")

    def __str__(self):
        return f"legal aid settings #{self.committee_id}"


class ProceedingType(models.Model):
    """Removal, bond/custody (built in, no committee) and those a team adds."""

    committee_path = "committee"

    committee = models.ForeignKey(
        "committees.Committee",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="proceeding_types",
    )
    slug = models.SlugField(max_length=40)
    name_en = models.CharField(_("name in English"), max_length=80)
    name_es = models.CharField(_("name in Spanish"), max_length=80)

    class Meta:
        verbose_name = _("proceeding type")
        verbose_name_plural = _("proceeding types")
        ordering = ["name_en", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "slug"],
                condition=models.Q(committee__isnull=False),
                name="unique_committee_proceeding_type",
            ),
            models.UniqueConstraint(
                fields=["slug"],
                condition=models.Q(committee__isnull=True),
                name="unique_builtin_proceeding_type",
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return self.name_es if (get_language() or "en").startswith("es") else self.name_en


class CaseStatus(models.TextChoices):
    SEEKING_COUNSEL = "seeking", _("Looking for a lawyer or representative")
    REPRESENTED = "represented", _("Represented")
    REFERRED = "referred", _("With a partner organization")
    CLOSED = "closed", _("Closed")


OPEN_CASE_STATUSES = frozenset(
    {CaseStatus.SEEKING_COUNSEL, CaseStatus.REPRESENTED, CaseStatus.REFERRED}
)


class Representation(models.TextChoices):
    # Only an attorney or an accredited representative files an EOIR-28; its scope.
    NONE = "none", _("Not represented yet")
    ALL = "all", _("All proceedings (EOIR-28)")
    CUSTODY_ONLY = "custody", _("Custody and bond only (EOIR-28)")
    EXCEPT_CUSTODY = "except_custody", _("All except custody and bond (EOIR-28)")


class Case(models.Model):
    """The legal team's work for one person. Need-to-know: see committees.access."""

    committee_path = "committee"

    committee = models.ForeignKey(
        "committees.Committee", on_delete=models.CASCADE, related_name="legal_cases"
    )
    request = models.OneToOneField(
        "legal_aid.LegalRequest",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="case",
    )
    person = models.ForeignKey(
        "members.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="legal_cases",
        verbose_name=_("client"),
    )
    # Family or a friend to call (and to alert when the client is detained).
    contact = models.ForeignKey(
        "members.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="legal_cases_as_contact",
        verbose_name=_("emergency contact"),
    )
    urgency = models.CharField(_("urgency"), max_length=16, choices=Urgency.choices)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=CaseStatus.choices,
        default=CaseStatus.SEEKING_COUNSEL,
        db_index=True,
    )
    team = models.ManyToManyField(
        "committees.Membership",
        through="legal_aid.TeamMember",
        related_name="legal_cases",
        blank=True,
        verbose_name=_("legal team"),
    )
    partner_organization = models.CharField(
        _("partner legal organization"), max_length=150, blank=True
    )
    representation = models.CharField(
        _("representation"),
        max_length=16,
        choices=Representation.choices,
        default=Representation.NONE,
    )
    proceeding_type = models.ForeignKey(
        ProceedingType,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("proceeding"),
    )
    # Encrypted at rest: a raw dump must not show them.
    a_number = EncryptedCharField(_("A-number"), max_length=9, blank=True, null=True)
    detention_facility = EncryptedCharField(
        _("detention facility"), max_length=200, blank=True, null=True
    )
    notes = EncryptedTextField(_("case notes"), blank=True, null=True)
    opened_at = models.DateTimeField(_("opened"), default=timezone.now)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True, db_index=True)
    close_reason = models.CharField(_("reason for closing"), max_length=200, blank=True)
    # Retention: contents removed, only what reports count is kept.
    purged_at = models.DateTimeField(null=True, blank=True, editable=False)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("case")
        verbose_name_plural = _("cases")
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["committee", "status", "opened_at"])]

    def __str__(self):
        return f"case #{self.pk}"

    @property
    def is_closed(self) -> bool:
        return self.status == CaseStatus.CLOSED

    def on_team(self, membership_id) -> bool:
        """Needs the team prefetched (selectors do it) or costs one query."""
        return any(m.membership_id == membership_id for m in self.team_members.all())

    def textable(self, person) -> bool:
        """May we text or email the client or contact about this case? Not an erased
        record, and not one matched by a phone or email typed into a public form by
        someone who has not shown they control it (`LegalRequest.needs_proof`): the
        team calls instead until they do."""
        if person is None or person.erased_at is not None:
            return False
        return not (self.request_id and self.request.needs_proof)

    @property
    def first_name(self) -> str:
        if self.person is None:
            return ""
        return (self.person.preferred_name or "").split(" ")[0]


class TeamMember(models.Model):
    """A legal-role member assigned to a case."""

    committee_path = "case__committee"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="team_members")
    membership = models.ForeignKey(
        "committees.Membership", on_delete=models.CASCADE, related_name="+"
    )
    assigned_at = models.DateTimeField(default=timezone.now)
    assigned_by = models.ForeignKey(
        "members.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("team member")
        verbose_name_plural = _("team members")
        constraints = [
            models.UniqueConstraint(fields=["case", "membership"], name="one_seat_per_case")
        ]

    def __str__(self):
        return f"{self.case_id}/{self.membership_id}"


class Document(models.Model):
    """An upload, kept in the database as one encrypted token (never under MEDIA_ROOT)
    and served only through the case's access-checked, audited view."""

    committee_path = "case__committee"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="documents")
    filename = EncryptedCharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    content = EncryptedTextField()  # base64 of the bytes, then Fernet
    uploaded_by = models.ForeignKey(
        "members.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("document")
        verbose_name_plural = _("documents")
        ordering = ["-uploaded_at", "-id"]

    def __str__(self):
        return f"document #{self.pk}"

    def on_team(self, membership_id) -> bool:
        return self.case.on_team(membership_id)
