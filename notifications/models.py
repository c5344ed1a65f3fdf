from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField, EncryptedTextField

from members.consent import Channel, Purpose


class Urgency(models.TextChoices):
    URGENT = "urgent", _("Urgent")  # raid alerts: own queue, short validity, no quiet hours
    NORMAL = "normal", _("Normal")  # confirmations, one-to-one messages
    BULK = "bulk", _("Bulk")  # reminders and group messages


class Status(models.TextChoices):
    QUEUED = "queued", _("Queued")
    SENDING = "sending", _("Sending")
    SENT = "sent", _("Sent")
    DELIVERED = "delivered", _("Delivered")
    UNDELIVERED = "undelivered", _("Not delivered")
    FAILED = "failed", _("Failed")
    SKIPPED = "skipped", _("Skipped")
    UNKNOWN = "unknown", _("Unknown")
    EXPIRED = "expired", _("Expired")
    CANCELLED = "cancelled", _("Cancelled")


# Statuses a message never leaves (a late or repeated status callback cannot move it back).
FINAL_STATUSES = frozenset(
    {
        Status.DELIVERED,
        Status.UNDELIVERED,
        Status.FAILED,
        Status.SKIPPED,
        Status.EXPIRED,
        Status.CANCELLED,
    }
)


class Conversation(models.Model):
    """A question we asked a person by SMS, so that their reply reaches the part that asked.

    `kind` names the handler (registered in notifications.routing), `object_id` what
    it is about (a registration, an alert...).
    """

    committee_path = "committee"

    committee = models.ForeignKey(
        "committees.Committee", on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(
        "members.Person", on_delete=models.CASCADE, related_name="conversations"
    )
    kind = models.CharField(max_length=64)
    object_id = models.BigIntegerField()
    open_until = models.DateTimeField(db_index=True)
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        indexes = [models.Index(fields=["person", "-created_at"])]

    def __str__(self):
        return f"{self.kind}#{self.object_id}"


class Message(models.Model):
    """One SMS or email in the outbox, written in the same transaction as its cause."""

    committee_path = "committee"

    committee = models.ForeignKey(
        "committees.Committee", on_delete=models.CASCADE, related_name="messages"
    )
    person = models.ForeignKey(
        "members.Person",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="messages",
    )
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices)
    template = models.CharField(max_length=100)
    language = models.CharField(_("language"), max_length=8)
    urgency = models.CharField(
        _("urgency"), max_length=8, choices=Urgency.choices, default=Urgency.NORMAL
    )
    # The address and text are personal data: encrypted at rest, never logged.
    to_address = EncryptedCharField(max_length=254)
    subject = EncryptedCharField(max_length=200, blank=True, null=True)
    body = EncryptedTextField()
    encoding = models.CharField(max_length=8, blank=True)  # GSM-7 or UCS-2 (SMS)
    segments = models.PositiveSmallIntegerField(default=0)

    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.QUEUED, db_index=True
    )
    status_reason = models.CharField(_("reason"), max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    provider_id = models.CharField(max_length=64, null=True, blank=True, unique=True)
    error_code = models.CharField(max_length=16, blank=True)
    idempotency_key = models.CharField(max_length=200, unique=True)
    conversation = models.ForeignKey(
        Conversation, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    not_before = models.DateTimeField(null=True, blank=True)  # deferred (quiet hours, retry)
    expires_at = models.DateTimeField(null=True, blank=True)  # drop rather than deliver late
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    final_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-id"]
        indexes = [
            models.Index(fields=["status", "urgency", "created_at"]),
            models.Index(fields=["person", "-created_at"]),
        ]

    def __str__(self):
        return f"{self.channel} {self.template} #{self.pk} ({self.status})"

    @property
    def is_final(self) -> bool:
        return self.status in FINAL_STATUSES
