from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _


class CampaignKind(models.TextChoices):
    ORDINANCE = "ordinance", _("Local ordinance")
    BILL = "bill", _("State bill")


class Stage(models.TextChoices):
    DRAFTED = "drafted", _("Drafted")
    INTRODUCED = "introduced", _("Introduced")
    IN_COMMITTEE = "in_committee", _("In committee")
    VOTED = "voted", _("Voted")
    PASSED = "passed", _("Passed")
    SIGNED = "signed", _("Signed")
    IN_FORCE = "in_force", _("In force")
    REPEALED = "repealed", _("Repealed")


class Campaign(models.Model):
    committee_path = "committee"

    committee = models.ForeignKey(
        "committees.Committee", on_delete=models.CASCADE, related_name="campaigns"
    )
    kind = models.CharField(_("kind"), max_length=12, choices=CampaignKind.choices)
    title_en = models.CharField(_("title in English"), max_length=150, blank=True)
    title_es = models.CharField(_("title in Spanish"), max_length=150, blank=True)
    body = models.ForeignKey(
        "coalition.Agency",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="campaigns",
        verbose_name=_("voted by"),
    )
    text = models.TextField(_("text"), max_length=20000, blank=True)
    text_url = models.URLField(_("link to the text"), max_length=500, blank=True)
    stage = models.CharField(
        _("stage"), max_length=14, choices=Stage.choices, default=Stage.DRAFTED
    )
    stage_since = models.DateField(_("since"), default=timezone.localdate)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("campaign")
        verbose_name_plural = _("campaigns")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return self.title

    @property
    def title(self) -> str:
        if (translation.get_language() or "en").startswith("es"):
            return self.title_es or self.title_en
        return self.title_en or self.title_es


class CampaignStep(models.Model):
    """One step of the ordinance or bill, with its date and source (minutes, a news
    story, the legislature's page)."""

    committee_path = "campaign__committee"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="steps")
    stage = models.CharField(_("stage"), max_length=14, choices=Stage.choices)
    on = models.DateField(_("date"))
    source = models.CharField(_("source"), max_length=300)
    note = models.CharField(_("note"), max_length=300, blank=True)
    recorded_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["on", "id"]

    def __str__(self):
        return f"{self.campaign_id}: {self.stage} {self.on}"


class VoteChoice(models.TextChoices):
    YES = "yes", _("Yes")
    NO = "no", _("No")
    ABSTAIN = "abstain", _("Abstained")
    ABSENT = "absent", _("Absent")


class Vote(models.Model):
    committee_path = "campaign__committee"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="votes")
    step = models.ForeignKey(
        CampaignStep, null=True, blank=True, on_delete=models.CASCADE, related_name="votes"
    )
    office_holder = models.ForeignKey(
        "coalition.OfficeHolder", on_delete=models.CASCADE, related_name="votes"
    )
    choice = models.CharField(_("vote"), max_length=8, choices=VoteChoice.choices)

    class Meta:
        ordering = ["office_holder__name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["step", "office_holder"], name="one_vote_per_official_per_step"
            )
        ]

    def __str__(self):
        return f"{self.office_holder_id}: {self.choice}"


class ActionKind(models.TextChoices):
    CALL = "call", _("Call")
    TESTIFY = "testify", _("Testify")
    ATTEND = "attend", _("Attend")


class CampaignAction(models.Model):
    """Something members can do for the campaign; sent as a group message (through the
    messages part's compose and confirm steps) to the people with that interest."""

    committee_path = "campaign__committee"

    campaign = models.ForeignKey(Campaign, on_delete=models.CASCADE, related_name="actions")
    kind = models.CharField(_("action"), max_length=8, choices=ActionKind.choices)
    text_en = models.CharField(_("message in English"), max_length=320, blank=True)
    text_es = models.CharField(_("message in Spanish"), max_length=320, blank=True)
    skill = models.ForeignKey(
        "members.Skill",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("send to people with this interest"),
    )
    # The group message made from it (notifications.Broadcast), once drafted.
    broadcast_id = models.PositiveBigIntegerField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.campaign_id}: {self.kind}"
