"""Trainings: sessions, registrations, the waitlist and attendance.

Times are stored in UTC and shown in the committee's time zone. Every change goes
through `trainings.services`, which locks the training row first so that seats are
never given twice.
"""

from __future__ import annotations

from django.db import models
from django.utils import timezone, translation
from django.utils.translation import gettext_lazy as _

from lib.crypto import EncryptedTextField
from members.models import Language, TrainingKind

# One list of kinds for trainings and for people's training records.
Kind = TrainingKind


class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public: anyone can sign up")
    MEMBERS = "members", _("Members only")


class TrainingSeries(models.Model):
    """Trainings created together (for example every Tuesday for six weeks)."""

    committee_path = "committee"

    committee = models.ForeignKey(
        "committees.Committee", on_delete=models.CASCADE, related_name="training_series"
    )
    created_by = models.ForeignKey(
        "committees.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)

    class Meta:
        verbose_name = _("training series")
        verbose_name_plural = _("training series")

    def __str__(self):
        return f"series #{self.pk}"


class Training(models.Model):
    committee_path = "committee"

    committee = models.ForeignKey(
        "committees.Committee", on_delete=models.CASCADE, related_name="trainings"
    )
    series = models.ForeignKey(
        TrainingSeries,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="trainings",
    )
    kind = models.CharField(_("kind"), max_length=24, choices=Kind.choices)
    title_en = models.CharField(_("title in English"), max_length=150, blank=True)
    title_es = models.CharField(_("title in Spanish"), max_length=150, blank=True)
    description_en = models.TextField(_("description in English"), max_length=4000, blank=True)
    description_es = models.TextField(_("description in Spanish"), max_length=4000, blank=True)
    language = models.CharField(
        _("given in"), max_length=8, choices=Language.choices, default=Language.SPANISH
    )
    starts_at = models.DateTimeField(_("starts"), db_index=True)
    ends_at = models.DateTimeField(_("ends"))
    place_name = models.CharField(_("place"), max_length=150, blank=True)
    address = models.CharField(_("address"), max_length=250, blank=True)
    address_private = models.BooleanField(
        _("show the address only to people with a seat"), default=True
    )
    online_url = models.URLField(_("online link"), max_length=500, blank=True)
    capacity = models.PositiveIntegerField(_("seats"))
    trainers = models.ManyToManyField(
        "members.Person", blank=True, related_name="trainings_led", verbose_name=_("trainers")
    )
    visibility = models.CharField(
        _("who can sign up"), max_length=8, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    signup_closed = models.BooleanField(_("sign-up closed"), default=False)
    cancelled_at = models.DateTimeField(_("cancelled"), null=True, blank=True)
    # Bumped whenever the time or place changes: people are told once per change, and
    # reminders are re-armed for the new time.
    schedule_version = models.PositiveIntegerField(default=1, editable=False)
    # Next waitlist number; taken under the training's row lock, so it is arrival order.
    waitlist_counter = models.PositiveIntegerField(default=0, editable=False)
    created_by = models.ForeignKey(
        "committees.Membership", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("training")
        verbose_name_plural = _("trainings")
        ordering = ["starts_at", "id"]
        indexes = [models.Index(fields=["committee", "starts_at"])]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(ends_at__gt=models.F("starts_at")),
                name="training_ends_after_start",
            ),
        ]

    def __str__(self):
        return self.title

    def title_in(self, language: str) -> str:
        if language == Language.SPANISH:
            return self.title_es or self.title_en
        return self.title_en or self.title_es

    def description_in(self, language: str) -> str:
        if language == Language.SPANISH:
            return self.description_es or self.description_en
        return self.description_en or self.description_es

    @property
    def title(self) -> str:
        """The title in the language being rendered (a page's, or a message's recipient's)."""
        return self.title_in(translation.get_language() or "en")

    @property
    def description(self) -> str:
        return self.description_in(translation.get_language() or "en")

    @property
    def is_cancelled(self) -> bool:
        return self.cancelled_at is not None

    @property
    def has_started(self) -> bool:
        return self.starts_at <= timezone.now()

    @property
    def is_open(self) -> bool:
        """Can people still sign up (or join the waitlist)?"""
        return not (self.is_cancelled or self.signup_closed or self.has_started)

    @property
    def seats_left(self) -> int:
        """Needs the `seats_taken` annotation (selectors.with_counts)."""
        return max(0, self.capacity - self.seats_taken)

    @property
    def is_full(self) -> bool:
        return self.seats_left == 0

    @property
    def is_public(self) -> bool:
        return self.visibility == Visibility.PUBLIC


class RegistrationStatus(models.TextChoices):
    REGISTERED = "registered", _("Has a seat")
    WAITLISTED = "waitlisted", _("On the waitlist")
    OFFERED = "offered", _("Offered a seat")
    CANCELLED = "cancelled", _("Cancelled")
    ATTENDED = "attended", _("Attended")
    NO_SHOW = "no_show", _("Did not come")


# Statuses that occupy a seat. An outstanding offer holds its seat until it is claimed
# or lapses; a past training's attendees and no-shows held theirs.
SEAT_STATUSES = frozenset(
    {
        RegistrationStatus.REGISTERED,
        RegistrationStatus.OFFERED,
        RegistrationStatus.ATTENDED,
        RegistrationStatus.NO_SHOW,
    }
)
# Statuses of people still expecting to hear about the training.
ACTIVE_STATUSES = frozenset(
    {RegistrationStatus.REGISTERED, RegistrationStatus.OFFERED, RegistrationStatus.WAITLISTED}
)


class Source(models.TextChoices):
    MEMBER = "member", _("Member sign-up")
    PUBLIC = "public", _("Public page")
    WALK_IN = "walk_in", _("Walk-in")


class CancelReason(models.TextChoices):
    BY_PERSON = "by_person", _("Cancelled by the person")
    OFFER_LAPSED = "offer_lapsed", _("Offer not claimed in time")
    OFFER_DECLINED = "offer_declined", _("Offer declined")


class Registration(models.Model):
    """One person's place at one training: a seat, a waitlist place, or an offer.

    There is at most one per (training, person): signing up again reuses the row.
    """

    committee_path = "training__committee"

    training = models.ForeignKey(Training, on_delete=models.CASCADE, related_name="registrations")
    person = models.ForeignKey(
        "members.Person", on_delete=models.CASCADE, related_name="training_registrations"
    )
    status = models.CharField(
        _("status"), max_length=12, choices=RegistrationStatus.choices, db_index=True
    )
    source = models.CharField(_("source"), max_length=8, choices=Source.choices)
    waitlist_position = models.PositiveIntegerField(null=True, blank=True)
    registered_at = models.DateTimeField(null=True, blank=True)  # when the seat became theirs
    offered_at = models.DateTimeField(null=True, blank=True)
    offer_expires_at = models.DateTimeField(null=True, blank=True, db_index=True)
    offer_count = models.PositiveSmallIntegerField(default=0)
    confirmed_at = models.DateTimeField(_("confirmed"), null=True, blank=True)
    attended_at = models.DateTimeField(_("checked in"), null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    cancel_reason = models.CharField(max_length=16, choices=CancelReason.choices, blank=True)
    # Which reminders went out, for the training's current schedule_version.
    day_before_sent_at = models.DateTimeField(null=True, blank=True)
    hour_before_sent_at = models.DateTimeField(null=True, blank=True)
    # Trainers' notes can say more about a person than we want in a dump: encrypted.
    notes = EncryptedTextField(_("notes"), blank=True, null=True)
    created_at = models.DateTimeField(default=timezone.now)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("registration")
        verbose_name_plural = _("registrations")
        ordering = ["training", "status", "waitlist_position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["training", "person"], name="one_registration_per_person"
            ),
        ]
        indexes = [models.Index(fields=["training", "status", "waitlist_position"])]

    def __str__(self):
        return f"{self.training_id}/{self.person_id}: {self.status}"

    @property
    def has_seat(self) -> bool:
        return self.status in SEAT_STATUSES
