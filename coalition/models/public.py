from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _


def _in_language(english: str, spanish: str) -> str:
    if (translation.get_language() or "en").startswith("es"):
        return spanish or english
    return english or spanish


class PublicProfile(models.Model):
    """What the committee says about itself on its public page, and its area (for the
    287(g) agreements that touch it)."""

    committee_path = "committee"

    committee = models.OneToOneField(
        "committees.Committee", on_delete=models.CASCADE, related_name="public_profile"
    )
    about_en = models.TextField(_("who we are, in English"), max_length=2000, blank=True)
    about_es = models.TextField(_("who we are, in Spanish"), max_length=2000, blank=True)
    hotline = models.CharField(
        _("hotline or SMS number"),
        max_length=32,
        blank=True,
        help_text=_("The number people call or text to report a raid. It is shown publicly."),
    )
    state = models.CharField(
        _("state"), max_length=2, blank=True, help_text=_("Two letters, for example CA.")
    )
    counties = models.CharField(
        _("counties"),
        max_length=300,
        blank=True,
        help_text=_("Separated by commas. 287(g) agreements there are shown as in our area."),
    )
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("public page")
        verbose_name_plural = _("public pages")

    def __str__(self):
        return f"public page of {self.committee_id}"

    @property
    def about(self) -> str:
        return _in_language(self.about_en, self.about_es)

    def county_list(self) -> list[str]:
        return [c.strip().lower() for c in self.counties.split(",") if c.strip()]


class NeighbourFact(models.Model):
    """One fact about immigrant neighbours (their work, their contributions), in both
    languages, always with its source."""

    committee_path = "committee"

    committee = models.ForeignKey(
        "committees.Committee", on_delete=models.CASCADE, related_name="neighbour_facts"
    )
    text_en = models.CharField(_("fact in English"), max_length=400)
    text_es = models.CharField(_("fact in Spanish"), max_length=400)
    source = models.CharField(_("source"), max_length=200)
    source_url = models.URLField(_("link to the source"), max_length=500, blank=True)
    position = models.PositiveSmallIntegerField(_("order"), default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self):
        return self.text_en[:40]

    @property
    def text(self) -> str:
        return _in_language(self.text_en, self.text_es)


class VolunteerInterest(models.Model):
    """A visitor who offered to help through the public page. The person is in the
    people directory; this row says what they offered and when."""

    committee_path = "committee"

    class Interest(models.TextChoices):
        RAPID_RESPONSE = "rapid_response", _("Rapid response (observe and document)")
        ACCOMPANIMENT = "accompaniment", _("Accompany people to court or check-ins")
        INTERPRETING = "interpreting", _("Interpreting")
        DRIVING = "driving", _("Driving")
        CHILDCARE = "childcare", _("Childcare")
        OUTREACH = "outreach", _("Outreach and events")

    committee = models.ForeignKey(
        "committees.Committee", on_delete=models.CASCADE, related_name="volunteer_interests"
    )
    person = models.ForeignKey(
        "members.Person", on_delete=models.CASCADE, related_name="volunteer_interests"
    )
    interests = models.JSONField(default=list)
    # The contact was already in the directory: nothing about it was changed, and the
    # coordinators check it is really them before counting on them.
    needs_proof = models.BooleanField(default=False)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"volunteer interest #{self.pk}"

    def interest_labels(self) -> list[str]:
        labels = dict(self.Interest.choices)
        return [str(labels[i]) for i in self.interests if i in labels]
