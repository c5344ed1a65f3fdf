from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.utils.translation import pgettext_lazy

from lib.crypto import EncryptedCharField, EncryptedTextField
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
    CANCELLED = "cancelled", pgettext_lazy("message status", "Cancelled")


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

# How far along a message is. A status update only ever moves a message to a higher
# rank; SENT can still become DELIVERED, nothing final changes again.
STATUS_RANK = {
    Status.QUEUED: 0,
    Status.SENDING: 1,
    Status.UNKNOWN: 1,
    Status.SENT: 2,
    **{status: 3 for status in FINAL_STATUSES},
}


class Kind(models.TextChoices):
    """Why a message exists, which decides the rules it is sent under."""

    # Sent under consent for its purpose and the number's opt-out.
    STANDARD = "standard", _("Message")
    # Our answer to something the person texted (a conversation): same rules.
    REPLY = "reply", _("Reply")
    # Opt-out and opt-in confirmations and HELP answers: the law requires them, so
    # they go out without consent and even to a number that has just opted out.
    COMPLIANCE = "compliance", _("Keyword answer")
    # `notifications_check`: a deployer's test to a number they typed.
    CHECK = "check", _("Test message")
    # An invitation to join, to the address a coordinator typed (usually with the person
    # beside them): no consent exists yet, but an opted-out number is still respected.
    INVITATION = "invitation", _("Invitation")
    # "Was it you?": a link proving control of an address typed on a public form
    # (members.proofs). Needs no consent (the form asked for it) but respects an opt-out.
    VERIFICATION = "verification", _("Confirmation request")


class Conversation(models.Model):
    """A question we asked a person by SMS, so that their reply reaches the part that asked.

    `kind` names the handler (registered in notifications.routing), `object_id` what
    it is about (a registration, an alert...). Our answer to their reply is sent for
    `purpose`.
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
    purpose = models.CharField(
        _("purpose"), max_length=16, choices=Purpose.choices, default=Purpose.REMINDERS
    )
    open_until = models.DateTimeField(db_index=True)
    created_at = models.DateTimeField(default=timezone.now)
    # A numbered question's first reply number (see notifications.routing): 1 for "1/2",
    # 3 for "3/4" when the person already has a question open on 1 and 2.
    code_base = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        indexes = [models.Index(fields=["person", "-created_at"])]

    def __str__(self):
        return f"{self.kind}#{self.object_id}"

    @property
    def codes(self) -> tuple[int, ...]:
        from . import routing

        return routing.codes_for(self)


# The directory filter's free-text search (a name, a phone, an email).
SEARCH_PARAM = "q"


class Broadcast(models.Model):
    """A message a coordinator wrote to a group, in each language, and its recipients."""

    committee_path = "committee"

    class State(models.TextChoices):
        DRAFT = "draft", _("Waiting for confirmation")
        QUEUED = "queued", _("Sending")
        # Every message has reached a final state (or was sent and awaits no answer).
        FINISHED = "finished", _("Finished")
        CANCELLED = "cancelled", pgettext_lazy("message status", "Cancelled")

    committee = models.ForeignKey(
        "committees.Committee", on_delete=models.CASCADE, related_name="broadcasts"
    )
    created_by = models.ForeignKey(
        "committees.Membership", null=True, on_delete=models.SET_NULL, related_name="+"
    )
    channel = models.CharField(
        _("channel"), max_length=8, choices=Channel.choices, default=Channel.SMS
    )
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices)
    # The texts are written to many people and may still say more than they should:
    # encrypted at rest like every message body.
    text_en = EncryptedTextField(_("English text"), blank=True, default="")
    text_es = EncryptedTextField(_("Spanish text"), blank=True, default="")
    # The recipient filter as submitted (zone, role, status...): re-applied when the
    # coordinator confirms. Never the searched name, phone or email: that one is kept
    # encrypted in recipient_search (see services.broadcast_draft).
    recipient_filter = models.JSONField(default=dict)
    recipient_search = EncryptedTextField(blank=True, null=True)
    state = models.CharField(_("state"), max_length=12, choices=State.choices, default=State.DRAFT)
    recipient_count = models.PositiveIntegerField(default=0)
    created_at = models.DateTimeField(default=timezone.now)
    queued_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    finished_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("group message")
        verbose_name_plural = _("group messages")
        ordering = ["-created_at", "-id"]

    def __str__(self):
        return f"{self.committee} broadcast #{self.pk}"

    def text_for(self, language: str) -> str:
        return self.text_es if language == "es" else self.text_en

    def recipient_params(self) -> dict:
        """The whole filter, the searched text included, as the directory takes it."""
        if not self.recipient_search:
            return dict(self.recipient_filter)
        return {**self.recipient_filter, SEARCH_PARAM: self.recipient_search}


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
        db_index=False,  # Meta.indexes: (person, -created_at)
    )
    kind = models.CharField(max_length=12, choices=Kind.choices, default=Kind.STANDARD)
    channel = models.CharField(_("channel"), max_length=8, choices=Channel.choices)
    # Empty for keyword answers and test messages, which serve no consent purpose.
    purpose = models.CharField(_("purpose"), max_length=16, choices=Purpose.choices, blank=True)
    template = models.CharField(max_length=100)
    language = models.CharField(_("language"), max_length=8)
    urgency = models.CharField(
        _("urgency"), max_length=8, choices=Urgency.choices, default=Urgency.NORMAL
    )
    # The address and text are personal data: encrypted at rest, never logged. Empty
    # (NULL: the field stores no empty string) only on a row skipped for want of one.
    to_address = EncryptedCharField(max_length=254, blank=True, null=True)
    # Keyed hash of the address (lib.crypto.lookup_hash): opt-outs and bad numbers
    # are matched on it at send time.
    to_hash = models.CharField(max_length=64, blank=True)  # Meta.indexes
    subject = EncryptedCharField(max_length=200, blank=True, null=True)
    body = EncryptedTextField()
    encoding = models.CharField(max_length=8, blank=True)  # GSM-7 or UCS-2 (SMS)
    segments = models.PositiveSmallIntegerField(default=0)

    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.QUEUED
    )  # Meta.indexes: (status, urgency, created_at) and (status, claimed_at)
    status_reason = models.CharField(_("reason"), max_length=200, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    provider_id = models.CharField(max_length=64, null=True, blank=True)  # unique: Meta
    error_code = models.CharField(max_length=16, blank=True)
    idempotency_key = models.CharField(max_length=200)  # unique: Meta
    conversation = models.ForeignKey(
        Conversation, null=True, blank=True, on_delete=models.SET_NULL, related_name="messages"
    )
    broadcast = models.ForeignKey(
        Broadcast,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="messages",
        db_index=False,  # Meta.indexes: (broadcast, status)
    )

    created_at = models.DateTimeField(default=timezone.now, db_index=True)
    not_before = models.DateTimeField(null=True, blank=True)  # deferred (quiet hours, retry)
    expires_at = models.DateTimeField(null=True, blank=True)  # drop rather than deliver late
    # When a delivery task was last handed to the broker (None: never, or it failed).
    enqueued_at = models.DateTimeField(null=True, blank=True)
    claimed_at = models.DateTimeField(null=True, blank=True)
    sent_at = models.DateTimeField(null=True, blank=True)
    final_at = models.DateTimeField(null=True, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("message")
        verbose_name_plural = _("messages")
        ordering = ["-created_at", "-id"]
        # Every index slows the bulk writes (a group message, the reminder sweep): no
        # single-column index a composite one already covers, and plain B-trees rather
        # than unique=True / db_index=True, which add a second LIKE index on PostgreSQL.
        constraints = [
            models.UniqueConstraint(fields=["idempotency_key"], name="message_idempotency_key"),
            models.UniqueConstraint(fields=["provider_id"], name="message_provider_id"),
        ]
        indexes = [
            models.Index(fields=["to_hash"], name="message_to_hash"),
            models.Index(fields=["status", "urgency", "created_at"]),
            models.Index(fields=["person", "-created_at"]),
            models.Index(fields=["broadcast", "status"]),
            models.Index(fields=["status", "claimed_at"]),
        ]

    def __str__(self):
        return f"{self.channel} {self.template} #{self.pk} ({self.status})"


class NumberFlag(models.Model):
    """A phone number the committee must not text: it opted out, or it cannot receive SMS.

    Kept per committee and keyed by the number's lookup hash, not by person: a STOP
    can come from a number no person record has, or that several records share, and
    it must outlive the person record (an erased person stays opted out).
    """

    committee_path = "committee"

    class Kind(models.TextChoices):
        OPTED_OUT = "opted_out", _("Opted out")
        INVALID = "invalid", _("Cannot receive texts")

    class Source(models.TextChoices):
        KEYWORD = "keyword", _("Texted a keyword")
        PROVIDER = "provider", _("Reported by Twilio")

    committee = models.ForeignKey(
        "committees.Committee", on_delete=models.CASCADE, related_name="number_flags"
    )
    phone_hash = models.CharField(max_length=64)
    kind = models.CharField(_("kind"), max_length=12, choices=Kind.choices)
    active = models.BooleanField(default=True)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)
    # The keyword as recognised (e.g. "BAJA") or the provider's error code: no text
    # the person wrote.
    reason = models.CharField(_("reason"), max_length=32, blank=True)
    created_at = models.DateTimeField(default=timezone.now)
    changed_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("number flag")
        verbose_name_plural = _("number flags")
        ordering = ["-changed_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "phone_hash", "kind"], name="one_flag_per_number_and_kind"
            )
        ]
        indexes = [models.Index(fields=["committee", "phone_hash", "active"])]

    def __str__(self):
        return f"{self.kind} ({'active' if self.active else 'lifted'})"


class InboundMessage(models.Model):
    """An SMS someone sent to a committee's number, stored once per Twilio MessageSid."""

    committee_path = "committee"

    class Outcome(models.TextChoices):
        OPT_OUT = "opt_out", _("Opted out")
        OPT_IN = "opt_in", _("Opted back in")
        HELP = "help", _("Asked for help")
        ROUTED = "routed", _("Answered a question")
        UNMATCHED = "unmatched", _("Needs a person")

    committee = models.ForeignKey(
        "committees.Committee", on_delete=models.CASCADE, related_name="inbound_messages"
    )
    person = models.ForeignKey(
        "members.Person",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="inbound_messages",
    )
    provider_id = models.CharField(max_length=64, unique=True)
    from_address = EncryptedCharField(max_length=64)
    from_hash = models.CharField(max_length=64, db_index=True)
    body = EncryptedTextField(blank=True, default="")
    outcome = models.CharField(_("outcome"), max_length=12, choices=Outcome.choices)
    keyword = models.CharField(max_length=32, blank=True)
    conversation = models.ForeignKey(
        Conversation, null=True, blank=True, on_delete=models.SET_NULL, related_name="replies"
    )
    reply = models.ForeignKey(
        Message, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_at = models.DateTimeField(default=timezone.now, db_index=True)
    resolved_at = models.DateTimeField(null=True, blank=True)
    resolved_by = models.ForeignKey(
        "committees.Membership",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="+",
    )

    class Meta:
        verbose_name = _("text received")
        verbose_name_plural = _("texts received")
        ordering = ["-received_at", "-id"]
        indexes = [models.Index(fields=["committee", "outcome", "resolved_at"])]

    def __str__(self):
        return f"inbound #{self.pk} ({self.outcome})"
