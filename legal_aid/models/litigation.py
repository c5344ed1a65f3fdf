"""Impact litigation: lawsuits (or planned ones) brought by a lawyers' group, with the
evidence the network already collects and the people who could give a declaration.

Need-to-know like cases (committees.access): only a matter's team sees its contents;
the committee sees that it exists, its public name and its status. Other parts'
records (incidents, broken commitments) are kept as ids and read through their
selectors when shown.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.crypto import EncryptedCharField, EncryptedTextField


class MatterStatus(models.TextChoices):
    INVESTIGATING = "investigating", _("Investigating")
    DRAFTING = "drafting", _("Drafting")
    FILED = "filed", _("Filed")
    DISCOVERY = "discovery", _("In discovery")
    DECIDED = "decided", _("Decided")
    APPEAL = "appeal", _("On appeal")


# The order a matter moves through; a step back (a complaint withdrawn to redraft) is
# allowed, and kept in the history like every change.
STATUS_ORDER = list(MatterStatus.values)


class ClaimKind(models.TextChoices):
    WARRANTLESS_ENTRY = "warrantless_entry", _("Home entry without a judicial warrant")
    UNLAWFUL_STOP = "unlawful_stop", _("Unlawful stop or arrest")
    NO_JUDICIAL_WARRANT = "no_warrant_detention", _("Detention without a judicial warrant")
    COURTHOUSE_ARREST = "courthouse_arrest", _("Courthouse arrests")
    POLICE_ASSISTING_ICE = "police_assisting_ice", _("Local police assisting ICE")
    BIRTHRIGHT = "birthright", _("Birthright citizenship (14th Amendment)")
    OTHER = "other", _("Other")


class Matter(models.Model):
    """A lawsuit, or a planned one. `public_name` and `status` are what the committee
    sees; everything else is for the team."""

    committee_path = "committee"

    committee = models.ForeignKey(
        "committees.Committee", on_delete=models.CASCADE, related_name="litigation_matters"
    )
    public_name = models.CharField(_("name the committee sees"), max_length=120)
    claim_kind = models.CharField(_("kind of claim"), max_length=24, choices=ClaimKind.choices)
    claim = EncryptedTextField(_("claim"), blank=True, null=True)
    parties = EncryptedTextField(_("parties"), blank=True, null=True)
    court = models.CharField(_("court"), max_length=200, blank=True)
    case_number = models.CharField(_("case number"), max_length=60, blank=True)
    status = models.CharField(
        _("status"),
        max_length=16,
        choices=MatterStatus.choices,
        default=MatterStatus.INVESTIGATING,
        db_index=True,
    )
    status_since = models.DateField(_("since"), default=timezone.localdate)
    opened_at = models.DateTimeField(default=timezone.now)
    opened_by = models.ForeignKey(
        "members.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("litigation matter")
        verbose_name_plural = _("litigation matters")
        ordering = ["-opened_at", "-id"]
        indexes = [models.Index(fields=["committee", "status"])]

    def __str__(self):
        return f"matter #{self.pk}"

    def on_team(self, membership_id) -> bool:
        """Needs `team` prefetched (the selectors do it) or costs one query."""
        return any(m.membership_id == membership_id for m in self.team.all())


class MatterStatusChange(models.Model):
    committee_path = "matter__committee"

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="status_changes")
    old_status = models.CharField(max_length=16, choices=MatterStatus.choices)
    new_status = models.CharField(max_length=16, choices=MatterStatus.choices)
    on = models.DateField(_("date"))
    changed_by = models.ForeignKey(
        "members.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-changed_at", "-id"]

    def __str__(self):
        return f"matter #{self.matter_id}: {self.old_status} -> {self.new_status}"


class CounselRole(models.TextChoices):
    LEAD = "lead", _("Lead counsel")
    CO_COUNSEL = "co_counsel", _("Co-counsel")
    LEGAL_WORKER = "legal_worker", _("Paralegal or legal worker")


class MatterTeamMember(models.Model):
    """A seat on the lawyers' group. Either a legal-role member of the committee (who
    signs in and is reminded of key dates) or an attorney of a partner legal
    organization (`coalition` keeps the organization; its attorneys have no accounts
    here, so their name and email are kept, encrypted, for the team to reach them)."""

    committee_path = "matter__committee"

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="team")
    membership = models.ForeignKey(
        "committees.Membership", null=True, blank=True, on_delete=models.CASCADE, related_name="+"
    )
    partner_id = models.PositiveBigIntegerField(_("partner organization"), null=True, blank=True)
    partner_name = models.CharField(_("organization"), max_length=150, blank=True)
    name = EncryptedCharField(_("attorney's name"), max_length=120, blank=True, null=True)
    email = EncryptedCharField(_("attorney's email"), max_length=254, blank=True, null=True)
    role = models.CharField(
        _("role"), max_length=16, choices=CounselRole.choices, default=CounselRole.CO_COUNSEL
    )
    added_by = models.ForeignKey(
        "members.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    added_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["added_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["matter", "membership"],
                condition=models.Q(membership__isnull=False),
                name="one_seat_per_matter",
            ),
            models.CheckConstraint(
                condition=models.Q(membership__isnull=False) | models.Q(partner_id__isnull=False),
                name="seat_is_member_or_partner_attorney",
            ),
        ]

    def __str__(self):
        return f"{self.matter_id}/{self.membership_id or self.partner_id}"

    @property
    def is_external(self) -> bool:
        return self.membership_id is None


class KeyDateKind(models.TextChoices):
    FILING = "filing", _("Filing deadline")
    RESPONSE = "response", _("Response due")
    HEARING = "hearing", _("Hearing or conference")
    DISCOVERY = "discovery", _("Discovery deadline")
    APPEAL = "appeal", _("Notice of appeal due")
    OTHER = "other", _("Other")


class KeyDate(models.Model):
    """A date the team must meet. Each team member is reminded once per due date,
    `remind_days_before` days ahead (a moved date reminds again)."""

    committee_path = "matter__committee"

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="key_dates")
    kind = models.CharField(_("kind"), max_length=12, choices=KeyDateKind.choices)
    label = models.CharField(_("what"), max_length=200, blank=True)
    due_on = models.DateField(_("date"), db_index=True)
    remind_days_before = models.PositiveSmallIntegerField(_("remind days before"), default=7)
    reminded_for = models.DateField(null=True, blank=True, editable=False)
    done_at = models.DateTimeField(null=True, blank=True)
    done_by = models.ForeignKey(
        "members.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self):
        return f"{self.kind} {self.due_on}"

    def on_team(self, membership_id) -> bool:
        return self.matter.on_team(membership_id)


class MatterDocumentKind(models.TextChoices):
    COMPLAINT = "complaint", _("Complaint")
    ORDER = "order", _("Order")
    DECLARATION = "declaration", _("Declaration")
    BRIEF = "brief", _("Brief or motion")
    OTHER = "other", _("Other")


class MatterDocument(models.Model):
    """Stored like a case document: one encrypted token in the database, served only
    through the matter's access-checked, audited view."""

    committee_path = "matter__committee"

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="documents")
    kind = models.CharField(_("kind"), max_length=12, choices=MatterDocumentKind.choices)
    filename = EncryptedCharField(_("file name"), max_length=200)
    content_type = models.CharField(max_length=100)
    size = models.PositiveIntegerField()
    content = EncryptedTextField()
    uploaded_by = models.ForeignKey(
        "members.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    uploaded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-uploaded_at", "-id"]

    def __str__(self):
        return f"matter document #{self.pk}"

    def on_team(self, membership_id) -> bool:
        return self.matter.on_team(membership_id)


class SourceKind(models.TextChoices):
    INCIDENT = "incident", _("Rapid-response incident")
    COURT_WATCH = "court_watch", _("Court-watch report")
    ACCOMPANIMENT = "accompaniment", _("Accompaniment")
    COMMITMENT = "commitment", _("Broken commitment")


class Conduct(models.TextChoices):
    WARRANTLESS_ENTRY = "warrantless_entry", _("Entry without a judicial warrant")
    UNLAWFUL_STOP = "unlawful_stop", _("Unlawful stop")
    NO_JUDICIAL_WARRANT = "no_warrant_detention", _("Detention without a judicial warrant")
    COURTHOUSE_ARREST = "courthouse_arrest", _("Courthouse arrest")
    POLICE_ASSISTING_ICE = "police_assisting_ice", _("Local police assisting ICE")
    BROKEN_PROMISE = "broken_promise", _("A written promise broken")
    OTHER = "other", _("Other")


class Evidence(models.Model):
    """A record elsewhere that may be evidence for the matter, proposed by a team
    member. Only its kind and id are kept; what it says is read from its part."""

    committee_path = "matter__committee"

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="evidence")
    source_kind = models.CharField(_("source"), max_length=16, choices=SourceKind.choices)
    source_id = models.PositiveBigIntegerField()
    conduct = models.CharField(_("conduct it shows"), max_length=24, choices=Conduct.choices)
    note = EncryptedTextField(_("why it matters"), blank=True, null=True)
    proposed_by = models.ForeignKey(
        "members.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")
        ordering = ["proposed_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["matter", "source_kind", "source_id"], name="one_link_per_source"
            )
        ]
        indexes = [models.Index(fields=["source_kind", "source_id"])]

    def __str__(self):
        return f"matter #{self.matter_id}: {self.source_kind} #{self.source_id}"


class ConsentState(models.TextChoices):
    PENDING = "pending", _("Consent pending")
    ASKED = "asked", _("Asked, no answer yet")
    GRANTED = "granted", _("Agreed")
    DECLINED = "declined", _("Declined")


class Declarant(models.Model):
    """Someone who could give a declaration. Their contact reaches the team only once
    they have agreed (`consent_state == GRANTED`); every answer is a `DeclarantConsent`
    with the exact wording they were shown."""

    committee_path = "matter__committee"

    matter = models.ForeignKey(Matter, on_delete=models.CASCADE, related_name="declarants")
    person = models.ForeignKey("members.Person", on_delete=models.CASCADE, related_name="+")
    evidence = models.ForeignKey(
        Evidence, null=True, blank=True, on_delete=models.SET_NULL, related_name="declarants"
    )
    consent_state = models.CharField(
        _("consent"), max_length=8, choices=ConsentState.choices, default=ConsentState.PENDING
    )
    # The SMS ask as the person received it, in their language: a "1" reply agrees to
    # exactly this text.
    asked_wording = models.TextField(blank=True)
    asked_language = models.CharField(max_length=8, blank=True)
    asked_at = models.DateTimeField(null=True, blank=True)
    proposed_by = models.ForeignKey(
        "members.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    proposed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("declarant")
        verbose_name_plural = _("declarants")
        ordering = ["proposed_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["matter", "person"], name="one_declarant_per_matter")
        ]

    def __str__(self):
        return f"declarant #{self.pk}"

    @property
    def consented(self) -> bool:
        return self.consent_state == ConsentState.GRANTED

    def on_team(self, membership_id) -> bool:
        return self.matter.on_team(membership_id)


class ConsentMethod(models.TextChoices):
    SMS = "sms", _("By text message")
    IN_PERSON = "in_person", _("In person")


class DeclarantConsent(models.Model):
    """One answer, never changed: granted or declined, the words shown, their
    language, how (a text reply or in person), when and who recorded it."""

    committee_path = "declarant__matter__committee"

    declarant = models.ForeignKey(Declarant, on_delete=models.CASCADE, related_name="answers")
    granted = models.BooleanField()
    wording = models.TextField()
    language = models.CharField(max_length=8)
    method = models.CharField(max_length=12, choices=ConsentMethod.choices)
    recorded_by = models.ForeignKey(
        "members.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-at", "-id"]

    def __str__(self):
        return f"declarant #{self.declarant_id}: {'yes' if self.granted else 'no'}"
