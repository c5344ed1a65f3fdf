from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _


class AgencyKind(models.TextChoices):
    SHERIFF = "sheriff", _("Sheriff's office")
    POLICE = "police", _("Police department")
    JAIL = "jail", _("Jail")
    COUNTY_BOARD = "county_board", _("County board")
    CITY_COUNCIL = "city_council", _("City council")
    STATE_LEGISLATORS = "state_legislators", _("State legislators")


class Agency(models.Model):
    committee_path = "committee"

    committee = models.ForeignKey(
        "committees.Committee", on_delete=models.CASCADE, related_name="agencies"
    )
    name = models.CharField(_("name"), max_length=150)
    kind = models.CharField(_("kind"), max_length=20, choices=AgencyKind.choices)
    jurisdiction = models.CharField(_("jurisdiction"), max_length=150, blank=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("official or agency")
        verbose_name_plural = _("officials and agencies")
        ordering = ["name", "id"]

    def __str__(self):
        return self.name


class OfficeHolder(models.Model):
    """A person in office (a sheriff, a council member) for one term. Public officials,
    not people the committee protects: their names are not encrypted."""

    committee_path = "agency__committee"

    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="office_holders")
    name = models.CharField(_("name"), max_length=150)
    title = models.CharField(_("title"), max_length=100, blank=True)
    term_start = models.DateField(_("term starts"), null=True, blank=True)
    term_end = models.DateField(_("term ends"), null=True, blank=True)

    class Meta:
        ordering = ["agency", "-term_start", "name", "id"]

    def __str__(self):
        return self.name

    @property
    def in_office(self) -> bool:
        today = timezone.localdate()
        return (self.term_start is None or self.term_start <= today) and (
            self.term_end is None or today <= self.term_end
        )


class CommitmentKind(models.TextChoices):
    NO_287G = "no_287g", _("No 287(g) agreement")
    NO_DETAINERS = "no_detainers", _("No detainers honoured without a judicial warrant")
    NO_COOPERATION = "no_cooperation", _("No cooperation with immigration enforcement")
    DECLINE_STONEGARDEN = "decline_stonegarden", _("Decline Operation Stonegarden funds")
    SANCTUARY_ORDINANCE = "sanctuary_ordinance", _("Sanctuary ordinance")
    OTHER = "other", _("Other")


class CommitmentStatus(models.TextChoices):
    ASKED = "asked", _("Asked")
    PROMISED_VERBALLY = "promised_verbally", _("Promised verbally")
    PROMISED_IN_WRITING = "promised_in_writing", _("Promised in writing")
    IN_FORCE = "in_force", _("In force")
    BROKEN = "broken", _("Broken")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class Commitment(models.Model):
    """What an official or agency committed to, and where it stands. Every change of
    status is kept as a `CommitmentEvent`: a promise counts when it is in writing, and
    a policy is not practice, so "broken" points at the incidents that show it."""

    committee_path = "committee"

    committee = models.ForeignKey(
        "committees.Committee", on_delete=models.CASCADE, related_name="commitments"
    )
    agency = models.ForeignKey(Agency, on_delete=models.CASCADE, related_name="commitments")
    office_holder = models.ForeignKey(
        OfficeHolder,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="commitments",
        verbose_name=_("who committed"),
    )
    kind = models.CharField(_("commitment"), max_length=24, choices=CommitmentKind.choices)
    other_en = models.CharField(_("other commitment, in English"), max_length=200, blank=True)
    other_es = models.CharField(_("other commitment, in Spanish"), max_length=200, blank=True)
    in_writing = models.BooleanField(_("in writing"), default=False)
    status = models.CharField(
        _("status"), max_length=20, choices=CommitmentStatus.choices, default=CommitmentStatus.ASKED
    )
    status_since = models.DateField(_("since"), default=timezone.localdate)
    document = models.ForeignKey(
        "coalition.Document", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # The committee decides what goes on the public scorecard, and whether its
    # document is shown there too.
    published = models.BooleanField(_("on the public scorecard"), default=False)
    document_public = models.BooleanField(_("show the document publicly"), default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("commitment")
        verbose_name_plural = _("commitments")
        ordering = ["agency__name", "kind", "id"]
        indexes = [models.Index(fields=["committee", "published"])]

    def __str__(self):
        return f"{self.agency_id}: {self.kind}"

    @property
    def label(self) -> str:
        if self.kind == CommitmentKind.OTHER:
            spanish = (translation.get_language() or "en").startswith("es")
            return (self.other_es if spanish else self.other_en) or self.other_en or self.other_es
        return str(self.get_kind_display())

    @property
    def is_broken(self) -> bool:
        return self.status == CommitmentStatus.BROKEN


class CommitmentEvent(models.Model):
    """One change of a commitment's status, never edited or deleted."""

    committee_path = "commitment__committee"

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="events")
    status = models.CharField(_("status"), max_length=20, choices=CommitmentStatus.choices)
    on = models.DateField(_("date"))
    in_writing = models.BooleanField(_("in writing"), default=False)
    note = models.CharField(_("note"), max_length=500, blank=True)
    source_url = models.URLField(_("source"), max_length=500, blank=True)
    recorded_by = models.ForeignKey(
        "committees.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-on", "-id"]

    def __str__(self):
        return f"{self.commitment_id}: {self.status} {self.on}"


class CommitmentIncident(models.Model):
    """A rapid-response incident that shows the commitment broken. The incident lives
    in another app: only its id is kept, and its label is asked for when shown."""

    committee_path = "commitment__committee"

    commitment = models.ForeignKey(Commitment, on_delete=models.CASCADE, related_name="incidents")
    incident_id = models.PositiveBigIntegerField()
    event = models.ForeignKey(
        CommitmentEvent, null=True, blank=True, on_delete=models.SET_NULL, related_name="incidents"
    )
    linked_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-linked_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["commitment", "incident_id"], name="one_link_per_incident"
            )
        ]

    def __str__(self):
        return f"{self.commitment_id} broken by incident {self.incident_id}"
