from django.conf import settings
from django.contrib.auth.base_user import BaseUserManager
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.utils.crypto import salted_hmac
from django.utils.translation import gettext_lazy as _
from encrypted_fields.fields import EncryptedCharField, EncryptedEmailField

from .crypto import lookup_hash


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
    email = EncryptedEmailField(_("email"), blank=True, null=True)
    email_hash = models.CharField(max_length=64, blank=True, db_index=True, editable=False)
    language = models.CharField(
        _("preferred language"), max_length=8, choices=Language.choices, default=Language.SPANISH
    )
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

    def __str__(self):
        return self.preferred_name

    def set_contact(self, *, phone: str | None = None, email: str | None = None) -> None:
        """Set phone (E.164) and email together with their lookup hashes."""
        self.phone = phone or None
        self.phone_hash = lookup_hash(phone or "")
        self.email = (email or "").strip().lower() or None
        self.email_hash = lookup_hash(email or "")


# Consent models live in members/consent.py; imported here so Django registers them.
from .consent import Consent, ConsentEvent  # noqa: E402, F401
