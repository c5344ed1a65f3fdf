from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils import timezone
from django.utils.crypto import salted_hmac
from django.utils.translation import get_language
from django.utils.translation import gettext_lazy as _

from lib.crypto import EncryptedCharField, EncryptedEmailField, EncryptedTextField, lookup_hash

from .text import search_key


class Language(models.TextChoices):
    ENGLISH = "en", _("English")
    SPANISH = "es", _("Spanish")


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra_fields):
        if not email:
            raise ValueError("An email address is required.")
        user = self.model(email=self.normalize_email(email).lower(), **extra_fields)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", False)
        extra_fields.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra_fields)

    def create_superuser(self, email, password=None, **extra_fields):
        extra_fields.setdefault("is_staff", True)
        extra_fields.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra_fields)


class User(AbstractUser):
    """A login. The person behind it lives in `Person`, one record per committee."""

    username = None
    first_name = None
    last_name = None
    email = models.EmailField(_("email address"), unique=True)
    language = models.CharField(
        _("language"), max_length=8, choices=Language.choices, default=Language.ENGLISH
    )
    # Bumped to end every session of this user at once (suspension): it is part of
    # the session auth hash that Django checks on every request.
    session_epoch = models.PositiveIntegerField(default=0, editable=False)

    USERNAME_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []
    objects = UserManager()

    def __str__(self):
        return self.email

    def _get_session_auth_hash(self, secret=None):
        return salted_hmac(
            "members.User.session_auth_hash",
            f"{self.password}:{self.session_epoch}",
            secret=secret,
            algorithm="sha256",
        ).hexdigest()


class Person(models.Model):
    """Someone the committee knows, with or without a login.

    A person record belongs to exactly one committee, so that two committees in one
    installation never see each other's people; a human in two committees has two
    records, both linked to the same `User`.
    """

    committee_path = "committee"

    committee = models.ForeignKey(
        "committees.Committee", on_delete=models.CASCADE, related_name="people"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="people",
    )
    preferred_name = models.CharField(_("preferred name"), max_length=120)
    full_name = models.CharField(_("full name"), max_length=200, blank=True)
    phone = EncryptedCharField(_("mobile phone"), max_length=32, blank=True, null=True)
    phone_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    # False while a number a person put on their own profile waits for its owner's
    # confirmation (members.proofs): texts from it are not attributed to this record.
    phone_confirmed = models.BooleanField(default=True, editable=False)
    email = EncryptedEmailField(_("email"), blank=True, null=True)
    email_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    language = models.CharField(
        _("preferred language"), max_length=8, choices=Language.choices, default=Language.SPANISH
    )
    # Both names folded to lower case without accents, so that "jose" finds "José".
    # Written by set_names(); a trigram index makes it fast on PostgreSQL.
    search_name = models.CharField(max_length=330, blank=True, editable=False)
    other_languages = models.ManyToManyField(
        "members.SpokenLanguage", blank=True, related_name="+", verbose_name=_("other languages")
    )
    skills = models.ManyToManyField(
        "members.Skill", blank=True, related_name="people", verbose_name=_("skills")
    )
    zones = models.ManyToManyField(
        "committees.Zone", blank=True, related_name="people", verbose_name=_("zones")
    )
    # One bit per (weekday, part of day): see members/availability.py.
    availability = models.PositiveIntegerField(_("weekly availability"), default=0)
    # Coordinators only (access.Action.VIEW_COORDINATOR_NOTES); encrypted at rest.
    notes = EncryptedTextField(_("coordinator notes"), blank=True, null=True)
    erased_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("person")
        verbose_name_plural = _("people")
        ordering = ["preferred_name", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "user"],
                condition=models.Q(user__isnull=False),
                name="one_person_per_user_per_committee",
            )
        ]
        indexes = [
            # The directory's order, without erased records. On PostgreSQL it also
            # carries search_name and language (migration 0005): keep them if it changes.
            models.Index(
                fields=["committee", "preferred_name", "id"],
                condition=models.Q(erased_at__isnull=True),
                name="person_directory_order",
            )
        ]

    def __str__(self):
        return self.preferred_name

    def set_names(self, *, preferred_name: str, full_name: str = "") -> None:
        """Set both names and the folded search key beside them."""
        self.preferred_name = preferred_name.strip()
        self.full_name = (full_name or "").strip()
        self.search_name = search_key(f"{self.preferred_name} {self.full_name}")

    def set_contact(self, *, phone: str | None = None, email: str | None = None) -> None:
        """Set phone (E.164) and email together with their lookup hashes."""
        self.phone = phone or None
        self.phone_hash = lookup_hash(phone or "")
        self.email = (email or "").strip().lower() or None
        self.email_hash = lookup_hash(email or "")


def _label(obj) -> str:
    return obj.name_es if (get_language() or "en").startswith("es") else obj.name_en


class SpokenLanguage(models.Model):
    """A language someone speaks (beyond the English or Spanish they read messages in).

    The list is kept by members.reference_data.ensure() after every migrate."""

    code = models.CharField(max_length=12, primary_key=True)
    name_en = models.CharField(_("name in English"), max_length=60)
    name_es = models.CharField(_("name in Spanish"), max_length=60)

    class Meta:
        verbose_name = _("language")
        verbose_name_plural = _("languages")
        ordering = ["name_en"]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return _label(self)


class Skill(models.Model):
    """Something a person can do for the committee.

    Built-in skills (no committee) are shared by every committee and kept by
    members.reference_data.ensure(); a committee adds its own.
    """

    committee_path = "committee"

    committee = models.ForeignKey(
        "committees.Committee",
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="skills",
    )
    slug = models.SlugField(max_length=40)
    name_en = models.CharField(_("name in English"), max_length=60)
    name_es = models.CharField(_("name in Spanish"), max_length=60)

    class Meta:
        verbose_name = _("skill")
        verbose_name_plural = _("skills")
        ordering = ["name_en", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["committee", "slug"],
                condition=models.Q(committee__isnull=False),
                name="unique_committee_skill",
            ),
            models.UniqueConstraint(
                fields=["slug"],
                condition=models.Q(committee__isnull=True),
                name="unique_builtin_skill",
            ),
        ]

    def __str__(self):
        return self.label

    @property
    def label(self) -> str:
        return _label(self)

    @property
    def is_builtin(self) -> bool:
        return self.committee_id is None


class TrainingKind(models.TextChoices):
    """The kinds of training; the trainings part uses these same values."""

    KNOW_YOUR_RIGHTS = "know_your_rights", _("Know Your Rights")
    RAPID_RESPONDER = "rapid_responder", _("Rapid responder")
    LEGAL_OBSERVER = "legal_observer", _("Legal observer")
    COURT_ACCOMPANIMENT = "court_accompaniment", _("Court accompaniment")
    OTHER = "other", _("Other")


class TrainingRecord(models.Model):
    """A training someone completed (written by the trainings part at check-out)."""

    committee_path = "person__committee"

    class Source(models.TextChoices):
        SESSION = "session", _("Training session")
        ORGANIZER = "organizer", _("Entered by an organizer")
        IMPORT = "import", _("Import")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="training_records")
    kind = models.CharField(_("training"), max_length=24, choices=TrainingKind.choices)
    completed_at = models.DateTimeField(_("completed"), default=timezone.now)
    source = models.CharField(_("source"), max_length=12, choices=Source.choices)

    class Meta:
        verbose_name = _("training record")
        verbose_name_plural = _("training records")
        ordering = ["-completed_at", "-id"]
        indexes = [models.Index(fields=["person", "kind"])]

    def __str__(self):
        return self.get_kind_display()


class ErasureRequest(models.Model):
    """A person asked to be deleted; a coordinator confirms (see services.person_erase)."""

    committee_path = "person__committee"

    class Status(models.TextChoices):
        PENDING = "pending", _("Waiting for a coordinator")
        DONE = "done", _("Erased")
        CANCELLED = "cancelled", _("Cancelled")

    person = models.ForeignKey(Person, on_delete=models.CASCADE, related_name="erasure_requests")
    status = models.CharField(
        _("status"), max_length=12, choices=Status.choices, default=Status.PENDING
    )
    requested_at = models.DateTimeField(_("requested"), default=timezone.now)
    decided_by = models.ForeignKey(
        Person, null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    decided_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("erasure request")
        verbose_name_plural = _("erasure requests")
        ordering = ["requested_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["person"],
                condition=models.Q(status="pending"),
                name="one_pending_erasure_request",
            )
        ]

    def __str__(self):
        return f"#{self.person_id}: {self.status}"


class ImportBatch(models.Model):
    """An uploaded CSV between its preview and the organizer's confirmation.

    The parsed rows hold personal data: they are encrypted, never put in a URL,
    dropped as soon as the batch is imported or discarded, and purged when expired.
    """

    committee_path = "committee"

    class Status(models.TextChoices):
        PREVIEW = "preview", _("Waiting for confirmation")
        IMPORTED = "imported", _("Imported")
        DISCARDED = "discarded", _("Discarded")

    committee = models.ForeignKey(
        "committees.Committee", on_delete=models.CASCADE, related_name="+"
    )
    created_by = models.ForeignKey(Person, null=True, on_delete=models.SET_NULL, related_name="+")
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    status = models.CharField(max_length=12, choices=Status.choices, default=Status.PREVIEW)
    # JSON list of parsed rows (see services.imports), encrypted as one token.
    payload = EncryptedTextField(null=True, blank=True)
    columns = models.JSONField(default=list)
    total_rows = models.PositiveIntegerField(default=0)
    new_count = models.PositiveIntegerField(default=0)
    update_count = models.PositiveIntegerField(default=0)
    unchanged_count = models.PositiveIntegerField(default=0)
    error_count = models.PositiveIntegerField(default=0)
    imported_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("import")
        verbose_name_plural = _("imports")
        ordering = ["-created_at"]

    def __str__(self):
        return f"import #{self.pk} ({self.status})"

    @property
    def is_expired(self) -> bool:
        return self.expires_at <= timezone.now()


# Consent and audit models live in their own modules; imported so Django registers them.
from .audit import AuditEvent  # noqa: E402, F401
from .consent import Consent, ConsentEvent  # noqa: E402, F401
from .proofs import ContactProof  # noqa: E402, F401
