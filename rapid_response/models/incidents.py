"""Incidents: similar reports grouped, claimed by a dispatcher, verified, followed up."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedTextField


class IncidentStatus(models.TextChoices):
    UNVERIFIED = "unverified", _("Unverified")
    PROBABLE = "probable", _("Probable")
    CONFIRMED = "confirmed", _("Confirmed")
    FALSE_ALARM = "false_alarm", _("False alarm")


class FalseAlarmReason(models.TextChoices):
    NOTHING_SEEN = "nothing_seen", _("A confirmer went and saw nothing")
    NOT_ENFORCEMENT = "not_enforcement", _("Not immigration enforcement")
    DUPLICATE = "duplicate", _("Already reported")
    MALICIOUS = "malicious", _("Deliberately false")
    OTHER = "other", _("Other")


class Incident(models.Model):
    """What may be happening in one zone: the reports about it and what was done."""

    committee_path = "committee"

    committee = models.ForeignKey(
        "committees.Committee", on_delete=models.CASCADE, related_name="incidents"
    )
    zone = models.ForeignKey(
        "committees.Zone",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("zone"),
    )
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=IncidentStatus.choices,
        default=IncidentStatus.UNVERIFIED,
        db_index=True,
    )
    false_alarm_reason = models.CharField(
        _("why it was a false alarm"), max_length=16, choices=FalseAlarmReason.choices, blank=True
    )
    opened_at = models.DateTimeField(_("first report"), default=timezone.now)
    last_report_at = models.DateTimeField(default=timezone.now)
    verified_at = models.DateTimeField(_("verified"), null=True, blank=True)
    alerted_at = models.DateTimeField(_("alerted"), null=True, blank=True)
    closed_at = models.DateTimeField(_("closed"), null=True, blank=True)
    claimed_by = models.ForeignKey(
        "committees.Membership",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("claimed by"),
    )
    claimed_at = models.DateTimeField(null=True, blank=True)
    report_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("incident")
        verbose_name_plural = _("incidents")
        ordering = ["-last_report_at", "-id"]
        indexes = [
            models.Index(fields=["committee", "zone", "last_report_at"]),
            models.Index(fields=["committee", "closed_at", "-last_report_at"]),
        ]

    def __str__(self):
        return f"incident #{self.pk} ({self.status})"

    @property
    def is_open(self) -> bool:
        return self.closed_at is None

    @property
    def may_alert(self) -> bool:
        return self.status == IncidentStatus.CONFIRMED and self.is_open


class LogEntry(models.Model):
    """Who did what to an incident, and when: the incident page's verification log."""

    committee_path = "incident__committee"

    class Kind(models.TextChoices):
        REPORT = "report", _("New report")
        CLAIMED = "claimed", _("Claimed")
        TAKEN_OVER = "taken_over", _("Took over a stale claim")
        RELEASED = "released", _("Released the claim")
        ASKED = "asked", _("Asked confirmers to look")
        SEEN = "seen", _("A confirmer sees agents")
        NOT_SEEN = "not_seen", _("A confirmer sees nothing")
        STATUS = "status", _("Status changed")
        NOTE = "note", _("Note")
        ALERT = "alert", _("Alert sent")
        UPDATE = "update", _("Update sent")
        STAND_DOWN = "stand_down", _("Stood responders down")
        ALL_CLEAR = "all_clear", _("All clear sent")
        OBSERVED = "observed", _("Observer log filed")
        HANDOFF = "handoff", _("Handed off")
        CLOSED = "closed", _("Closed")

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="log")
    kind = models.CharField(_("what"), max_length=12, choices=Kind.choices)
    actor = models.ForeignKey(
        "committees.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    # A confirmer answering by SMS (a person, perhaps without a login).
    person = models.ForeignKey(
        "members.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    status = models.CharField(max_length=12, choices=IncidentStatus.choices, blank=True)
    # Notes may say what was seen: encrypted, and cleared by the retention purge.
    note = EncryptedTextField(_("note"), blank=True, null=True)
    at = models.DateTimeField(_("when"), default=timezone.now)

    class Meta:
        verbose_name = _("incident log entry")
        verbose_name_plural = _("incident log entries")
        ordering = ["at", "id"]

    def __str__(self):
        return f"{self.incident_id}: {self.kind}"


class ConfirmerRequest(models.Model):
    """A trained responder near the zone asked by SMS to go and look."""

    committee_path = "incident__committee"

    class Answer(models.TextChoices):
        NONE = "none", _("No answer yet")
        SEEN = "seen", _("Sees agents")
        NOT_SEEN = "not_seen", _("Sees nothing")

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="confirmers")
    person = models.ForeignKey("members.Person", on_delete=models.CASCADE, related_name="+")
    asked_by = models.ForeignKey(
        "committees.Membership", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    asked_at = models.DateTimeField(default=timezone.now)
    answer = models.CharField(max_length=12, choices=Answer.choices, default=Answer.NONE)
    answered_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["incident", "person"], name="one_ask_per_confirmer")
        ]

    def __str__(self):
        return f"{self.incident_id}/{self.person_id}: {self.answer}"


class ObserverLog(models.Model):
    """What a responder saw: agencies, warrant, how many were taken — never who."""

    committee_path = "incident__committee"

    class Warrant(models.TextChoices):
        NONE = "none", _("No warrant shown")
        ADMINISTRATIVE = "administrative", _("ICE administrative warrant (I-200 / I-205)")
        JUDICIAL = "judicial", _("Judicial warrant signed by a judge")
        UNKNOWN = "unknown", _("Not sure")

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="observations")
    agencies = models.JSONField(_("agencies present"), default=list, blank=True)
    warrant = models.CharField(_("warrant"), max_length=16, choices=Warrant.choices)
    detained_count = models.PositiveSmallIntegerField(_("people detained"), default=0)
    note = EncryptedTextField(_("what happened"), blank=True, null=True)
    filed_by = models.ForeignKey(
        "committees.Membership", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    filed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("observer log")
        verbose_name_plural = _("observer logs")
        ordering = ["filed_at", "id"]

    def __str__(self):
        return f"observation #{self.pk}"


class Handoff(models.Model):
    """A detained person who wants help, handed to legal aid (and maybe the bond fund).

    Only the other parts' ids are kept: the person's details live in their request."""

    committee_path = "incident__committee"

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="handoffs")
    legal_request_id = models.BigIntegerField(_("legal-aid request"))
    bond_request_id = models.BigIntegerField(_("bond request"), null=True, blank=True)
    created_by = models.ForeignKey(
        "committees.Membership", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    bond_requested_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("hand-off")
        verbose_name_plural = _("hand-offs")
        ordering = ["created_at", "id"]

    def __str__(self):
        return f"hand-off #{self.pk}"
