"""Hearings and ICE check-ins, their history, the deadlines that follow from them,
accompaniment and what observers saw."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.crypto import EncryptedTextField

from .cases import Case


class HearingKind(models.TextChoices):
    MASTER = "master", _("Master calendar hearing")
    INDIVIDUAL = "individual", _("Individual (merits) hearing")
    BOND = "bond", _("Bond hearing")
    CHECK_IN = "check_in", _("ICE check-in")


class HearingStatus(models.TextChoices):
    SCHEDULED = "scheduled", _("Scheduled")
    MOVED = "moved", _("Moved")
    HELD = "held", _("Held")
    MISSED = "missed", _("Missed")
    CANCELLED = "cancelled", _("Cancelled")


UPCOMING_STATUSES = frozenset({HearingStatus.SCHEDULED, HearingStatus.MOVED})


class HearingOutcome(models.TextChoices):
    NONE = "", _("Not known yet")
    POSTPONED = "postponed", _("Postponed")
    NEXT_HEARING = "next_hearing", _("Next hearing set")
    REMOVAL_ORDERED = "removal_ordered", _("Removal ordered")
    RELIEF_GRANTED = "relief_granted", _("Relief granted")
    BOND_SET = "bond_set", _("Bond set")
    BOND_DENIED = "bond_denied", _("Bond denied")
    DETAINED = "detained", _("Detained")
    CHECKED_IN = "checked_in", _("Checked in and released")


class Hearing(models.Model):
    committee_path = "case__committee"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="hearings")
    kind = models.CharField(_("type"), max_length=12, choices=HearingKind.choices)
    starts_at = models.DateTimeField(_("date and time"), db_index=True)
    place = models.CharField(_("court or ICE office"), max_length=200)
    judge = models.CharField(_("judge"), max_length=120, blank=True)
    meeting_point = models.CharField(_("where accompaniers meet"), max_length=200, blank=True)
    status = models.CharField(
        _("status"), max_length=12, choices=HearingStatus.choices, default="scheduled"
    )
    outcome = models.CharField(
        _("outcome"), max_length=16, choices=HearingOutcome.choices, blank=True, default=""
    )
    accompaniers_needed = models.PositiveSmallIntegerField(_("accompaniers needed"), default=0)
    accompaniment_language = models.CharField(
        _("accompaniers must speak"), max_length=12, blank=True, default="es"
    )
    # Bumped at every move: reminders and notices are keyed by it, so a reminder armed
    # for an old date is never sent for it.
    schedule_version = models.PositiveIntegerField(default=1, editable=False)
    day_before_sent_version = models.PositiveIntegerField(default=0, editable=False)
    two_hours_sent_version = models.PositiveIntegerField(default=0, editable=False)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("hearing")
        verbose_name_plural = _("hearings")
        ordering = ["starts_at", "id"]

    def __str__(self):
        return f"hearing #{self.pk} ({self.kind})"

    @property
    def is_upcoming(self) -> bool:
        return self.status in UPCOMING_STATUSES and self.starts_at > timezone.now()

    def on_team(self, membership_id) -> bool:
        """Need-to-know (committees.access): the hearing belongs to its case's team."""
        return self.case.on_team(membership_id)

    def has_accompanier(self, person_id) -> bool:
        """Needs accompaniments prefetched, or costs one query."""
        return any(
            a.person_id == person_id and a.status == AccompanimentStatus.ACCEPTED
            for a in self.accompaniments.all()
        )


class HearingChange(models.Model):
    """One change of a hearing's date, time or place: postponements are kept."""

    committee_path = "hearing__case__committee"

    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="changes")
    old_starts_at = models.DateTimeField()
    new_starts_at = models.DateTimeField()
    old_place = models.CharField(max_length=200)
    new_place = models.CharField(max_length=200)
    reason = models.CharField(_("reason"), max_length=200, blank=True)
    changed_by = models.ForeignKey(
        "members.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("hearing change")
        verbose_name_plural = _("hearing changes")
        ordering = ["-changed_at", "-id"]

    def __str__(self):
        return f"hearing #{self.hearing_id} moved"


class DeadlineKind(models.TextChoices):
    FILING_BEFORE_MASTER = "filing_master", _("Filings due (15 days before the master hearing)")
    FILING_BEFORE_INDIVIDUAL = (
        "filing_individual",
        _("Filings due (30 days before the individual hearing)"),
    )
    BIA_APPEAL = "bia_appeal", _("Last day to appeal the bond decision to the BIA (30 days)")
    CHANGE_OF_ADDRESS = "eoir33", _("Change of address (EOIR-33) due within 5 days of a move")


class DeadlineTask(models.Model):
    """A date the legal team must meet, computed from a hearing or a move. A filing
    counts when the court receives it, so the due date is the day it must arrive."""

    committee_path = "case__committee"

    case = models.ForeignKey(Case, on_delete=models.CASCADE, related_name="deadlines")
    hearing = models.ForeignKey(
        Hearing, null=True, blank=True, on_delete=models.CASCADE, related_name="deadlines"
    )
    kind = models.CharField(_("deadline"), max_length=20, choices=DeadlineKind.choices)
    due_on = models.DateField(_("due"), db_index=True)
    done_at = models.DateTimeField(_("done"), null=True, blank=True)
    done_by = models.ForeignKey(
        "members.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("deadline")
        verbose_name_plural = _("deadlines")
        ordering = ["due_on", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["hearing", "kind"],
                condition=models.Q(hearing__isnull=False),
                name="one_deadline_per_hearing_kind",
            )
        ]

    def __str__(self):
        return f"{self.kind} {self.due_on}"

    def on_team(self, membership_id) -> bool:
        return self.case.on_team(membership_id)


class AccompanimentStatus(models.TextChoices):
    OFFERED = "offered", _("Offered")
    ACCEPTED = "accepted", _("Going")
    DECLINED = "declined", _("Cannot go")
    CANCELLED = "cancelled", _("Cancelled")


class Accompaniment(models.Model):
    """A trained volunteer asked to stand beside the person at a hearing or check-in
    (logistics and presence, never legal advice)."""

    committee_path = "hearing__case__committee"

    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="accompaniments")
    person = models.ForeignKey(
        "members.Person", on_delete=models.CASCADE, related_name="accompaniments"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=AccompanimentStatus.choices, default="offered"
    )
    offered_at = models.DateTimeField(default=timezone.now)
    answered_at = models.DateTimeField(null=True, blank=True)
    detained_reported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("accompaniment")
        verbose_name_plural = _("accompaniments")
        ordering = ["hearing", "id"]
        constraints = [
            models.UniqueConstraint(fields=["hearing", "person"], name="one_offer_per_hearing")
        ]

    def __str__(self):
        return f"{self.hearing_id}/{self.person_id}: {self.status}"


class WatchResult(models.TextChoices):
    HELD = "held", _("Held")
    POSTPONED = "postponed", _("Postponed")
    REMOVAL_ORDERED = "removal_ordered", _("Ordered removed")
    RELIEF_GRANTED = "relief_granted", _("Relief granted")
    DETAINED = "detained", _("Detained")


class CourtWatchReport(models.Model):
    """What an accompanier or observer saw at a hearing, in their own words."""

    committee_path = "hearing__case__committee"

    hearing = models.ForeignKey(Hearing, on_delete=models.CASCADE, related_name="reports")
    reported_by = models.ForeignKey(
        "members.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    result = models.CharField(_("what happened"), max_length=16, choices=WatchResult.choices)
    postponed_to = models.DateTimeField(_("postponed to"), null=True, blank=True)
    interpreter_provided = models.BooleanField(_("an interpreter was provided"), null=True)
    notes = EncryptedTextField(_("anything to report"), blank=True, null=True)
    language = models.CharField(max_length=8, default="es")
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("court-watch report")
        verbose_name_plural = _("court-watch reports")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"report on hearing #{self.hearing_id}"
