"""Alerts to the trained responders of a zone, their answers, and the dispatch roster."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedTextField

from .incidents import Incident


class Alert(models.Model):
    """One raid alert: the text each language got, who got it, and how it ended."""

    committee_path = "incident__committee"

    incident = models.ForeignKey(Incident, on_delete=models.CASCADE, related_name="alerts")
    zones = models.ManyToManyField("committees.Zone", related_name="+", verbose_name=_("zones"))
    # The texts as sent (cross streets and what is happening, never a name or an
    # exact address): encrypted, and cleared by the retention purge.
    text_en = EncryptedTextField(_("English text"), blank=True, null=True)
    text_es = EncryptedTextField(_("Spanish text"), blank=True, null=True)
    created_by = models.ForeignKey(
        "committees.Membership", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(_("sent"), default=timezone.now)
    expires_at = models.DateTimeField(_("expires"))
    all_clear_at = models.DateTimeField(_("all clear"), null=True, blank=True)
    retracted_at = models.DateTimeField(_("stood down"), null=True, blank=True)
    recipient_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("alert")
        verbose_name_plural = _("alerts")
        ordering = ["-sent_at", "-id"]

    def __str__(self):
        return f"alert #{self.pk}"

    @property
    def is_active(self) -> bool:
        return (
            self.all_clear_at is None
            and self.retracted_at is None
            and self.expires_at > timezone.now()
        )

    def text_for(self, language: str) -> str:
        return self.text_es if language == "es" else self.text_en


class AlertRecipient(models.Model):
    """One responder who was sent the alert, and their answer."""

    committee_path = "alert__incident__committee"

    class Response(models.TextChoices):
        NONE = "none", _("No answer yet")
        YES = "yes", _("Going")
        NO = "no", _("Cannot go")

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="recipients")
    person = models.ForeignKey("members.Person", on_delete=models.CASCADE, related_name="+")
    message = models.ForeignKey(
        "notifications.Message", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    response = models.CharField(
        _("answer"), max_length=8, choices=Response.choices, default=Response.NONE
    )
    responded_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["alert", "person"], name="one_recipient_per_alert")
        ]
        indexes = [models.Index(fields=["alert", "response"])]

    def __str__(self):
        return f"{self.alert_id}/{self.person_id}: {self.response}"


class AlertNotice(models.Model):
    """A message after the alert, to exactly its recipients: update, stand down, all clear."""

    committee_path = "alert__incident__committee"

    class Kind(models.TextChoices):
        UPDATE = "update", _("Update")
        STAND_DOWN = "stand_down", _("Stand down")
        ALL_CLEAR = "all_clear", _("All clear")

    alert = models.ForeignKey(Alert, on_delete=models.CASCADE, related_name="notices")
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    text_en = EncryptedTextField(blank=True, null=True)
    text_es = EncryptedTextField(blank=True, null=True)
    sent_by = models.ForeignKey(
        "committees.Membership", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    sent_at = models.DateTimeField(default=timezone.now)
    recipient_count = models.PositiveIntegerField(default=0)

    class Meta:
        ordering = ["sent_at", "id"]

    def __str__(self):
        return f"{self.alert_id}: {self.kind}"


class DispatcherShift(models.Model):
    """A dispatcher on call: new reports are texted to whoever is on call now."""

    committee_path = "committee"

    committee = models.ForeignKey(
        "committees.Committee", on_delete=models.CASCADE, related_name="dispatcher_shifts"
    )
    person = models.ForeignKey(
        "members.Person", on_delete=models.CASCADE, related_name="+", verbose_name=_("dispatcher")
    )
    starts_at = models.DateTimeField(_("starts"))
    ends_at = models.DateTimeField(_("ends"))
    languages = models.JSONField(_("languages"), default=list)

    class Meta:
        verbose_name = _("dispatcher shift")
        verbose_name_plural = _("dispatcher shifts")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["committee", "ends_at", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="dispatcher_shift_ends_after_start",
            )
        ]

    def __str__(self):
        return f"shift #{self.pk}"
