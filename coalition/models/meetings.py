from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.crypto import EncryptedTextField


class Meeting(models.Model):
    """A meeting with officials or law enforcement (or a partner). What was asked and
    answered can say a lot about the committee's plans: encrypted at rest."""

    committee_path = "committee"

    committee = models.ForeignKey(
        "committees.Committee", on_delete=models.CASCADE, related_name="coalition_meetings"
    )
    agency = models.ForeignKey(
        "coalition.Agency",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings",
        verbose_name=_("official or agency"),
    )
    partner = models.ForeignKey(
        "coalition.Partner",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="meetings",
        verbose_name=_("partner"),
    )
    held_on = models.DateField(_("date"))
    title = models.CharField(_("title"), max_length=150)
    # Committee people who went (erased with the person); officials present as text.
    attendees = models.ManyToManyField(
        "members.Person",
        blank=True,
        related_name="coalition_meetings",
        verbose_name=_("our people"),
    )
    others_present = models.CharField(_("who else was there"), max_length=300, blank=True)
    asked = EncryptedTextField(_("what we asked"), blank=True, null=True)
    answered = EncryptedTextField(_("what they answered"), blank=True, null=True)
    organizer = models.ForeignKey(
        "committees.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("meeting")
        verbose_name_plural = _("meetings")
        ordering = ["-held_on", "-id"]

    def __str__(self):
        return self.title


class FollowUp(models.Model):
    """Something promised at a meeting, owned by one member, due on a date. Its owner
    is reminded once, on the due date, in their language."""

    committee_path = "meeting__committee"

    meeting = models.ForeignKey(Meeting, on_delete=models.CASCADE, related_name="follow_ups")
    text = models.CharField(_("what to do"), max_length=300)
    owner = models.ForeignKey(
        "committees.Membership",
        on_delete=models.CASCADE,
        related_name="coalition_follow_ups",
        verbose_name=_("owner"),
    )
    due_on = models.DateField(_("due on"), db_index=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    reminded_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["due_on", "id"]

    def __str__(self):
        return f"follow-up #{self.pk}"
