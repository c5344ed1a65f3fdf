"""Reports of raids, stops and detentions, and the committee's dispatch settings.

Anything stored can be subpoenaed: a report keeps the zone and cross streets (never
a home address), what was seen, and an optional callback number, all encrypted, and
only until its `purge_at`. After the purge the row keeps what the counts need: the
committee, the zone, the source, the incident and when it came in.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField, EncryptedTextField

from members.models import Language


class DispatchSettings(models.Model):
    """The committee's rapid-response settings (one row, made on first use)."""

    committee_path = "committee"

    committee = models.OneToOneField(
        "committees.Committee", on_delete=models.CASCADE, related_name="dispatch_settings"
    )
    alert_expiry_minutes = models.PositiveIntegerField(
        _("alerts expire after (minutes)"), default=90
    )
    retention_days = models.PositiveIntegerField(
        _("keep reporters' numbers and report details for (days)"), default=30
    )
    claim_stale_minutes = models.PositiveIntegerField(
        _("a claim may be taken over after (minutes)"), default=10
    )

    class Meta:
        verbose_name = _("dispatch settings")
        verbose_name_plural = _("dispatch settings")

    def __str__(self):
        return f"dispatch settings #{self.committee_id}"


class Agency(models.TextChoices):
    ICE = "ice", _("ICE")
    CBP = "cbp", _("Border Patrol (CBP)")
    POLICE = "police", _("Local police or sheriff")
    OTHER = "other", _("Other or not sure")


class Report(models.Model):
    """One report of what someone saw, from the public form, an SMS or a call."""

    committee_path = "committee"

    class Source(models.TextChoices):
        WEB = "web", _("Web form")
        SMS = "sms", _("Text message")
        DISPATCHER = "dispatcher", _("Phone call (dispatcher)")

    committee = models.ForeignKey(
        "committees.Committee", on_delete=models.CASCADE, related_name="rapid_reports"
    )
    incident = models.ForeignKey(
        "rapid_response.Incident", on_delete=models.CASCADE, related_name="reports"
    )
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    zone = models.ForeignKey(
        "committees.Zone",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
        verbose_name=_("zone"),
    )
    # SALUTE: size, activity, location, uniforms/agencies, time, equipment. Free text is
    # encrypted at rest and cleared by the retention purge.
    cross_streets = EncryptedCharField(_("cross streets"), max_length=200, blank=True, null=True)
    activity = EncryptedTextField(_("what is happening"), blank=True, null=True)
    size = EncryptedCharField(_("how many agents"), max_length=100, blank=True, null=True)
    uniforms = EncryptedCharField(_("uniforms"), max_length=200, blank=True, null=True)
    vehicles = EncryptedCharField(_("vehicles or equipment"), max_length=200, blank=True, null=True)
    agencies = models.JSONField(_("agencies"), default=list, blank=True)
    seen_at = models.DateTimeField(_("seen at"), null=True, blank=True)
    callback_phone = EncryptedCharField(_("callback number"), max_length=32, blank=True, null=True)
    # Keyed hash of the number that reported (SMS sender or callback number): repeated
    # false reports from one source show as a count, never as the number.
    source_hash = models.CharField(max_length=64, blank=True, db_index=True)
    language = models.CharField(
        _("language"), max_length=8, choices=Language.choices, default=Language.SPANISH
    )
    # An SMS report: the inbound text and our acknowledgement (notifications' rows), so
    # that the purge removes them too.
    inbound_id = models.BigIntegerField(null=True, blank=True)
    acknowledgement_id = models.BigIntegerField(null=True, blank=True)
    entered_by = models.ForeignKey(
        "committees.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_at = models.DateTimeField(_("received"), default=timezone.now, db_index=True)
    purge_at = models.DateTimeField(_("details purged on"), db_index=True)
    purged_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("report")
        verbose_name_plural = _("reports")
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["committee", "zone", "received_at"])]

    def __str__(self):
        return f"report #{self.pk} ({self.source})"

    @property
    def is_purged(self) -> bool:
        return self.purged_at is not None

    def agency_labels(self) -> list[str]:
        labels = dict(Agency.choices)
        return [str(labels[a]) for a in self.agencies if a in labels]
