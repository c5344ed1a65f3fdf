"""A request for legal help, before the legal team decides what to do with it."""

from __future__ import annotations

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from lib.crypto import EncryptedTextField
from members.models import Language


class Urgency(models.TextChoices):
    DETAINED = "detained", _("Detained now")
    HEARING_SOON = "hearing_soon", _("Hearing or check-in soon")
    GENERAL = "general", _("General question")


# The triage queue's order: detained first, then a hearing soon, then the rest.
URGENCY_RANK = {Urgency.DETAINED: 0, Urgency.HEARING_SOON: 1, Urgency.GENERAL: 2}


class HelpKind(models.TextChoices):
    # Volunteers never give legal advice: the kinds say what the committee can arrange.
    FIND_LAWYER = "find_lawyer", _("Finding a lawyer or accredited representative")
    ACCOMPANIMENT = "accompaniment", _("Someone to go with me to court or a check-in")
    DETENTION = "detention", _("Someone has been detained")
    BOND = "bond", _("Help with a bond")
    OTHER = "other", _("Something else")


class ContactTime(models.TextChoices):
    ANY = "any", _("Any time")
    MORNING = "morning", _("Mornings")
    AFTERNOON = "afternoon", _("Afternoons")
    EVENING = "evening", _("Evenings")


class RequestSource(models.TextChoices):
    PUBLIC = "public", _("Public form")
    ORGANIZER = "organizer", _("Organizer (in person or by phone)")
    RAPID_RESPONSE = "rapid_response", _("Rapid response")


class RequestStatus(models.TextChoices):
    NEW = "new", _("Waiting for triage")
    ACCEPTED = "accepted", _("Accepted as a case")
    REFERRED = "referred", _("Referred to a partner")
    CLOSED = "closed", _("Closed")


OPEN_REQUEST_STATUSES = frozenset({RequestStatus.NEW})


class LegalRequest(models.Model):
    """Someone asked for help. `person` is who needs it, `contact` who to call (the same
    person, or family when someone was detained); either may be unknown at first."""

    committee_path = "committee"

    committee = models.ForeignKey(
        "committees.Committee", on_delete=models.CASCADE, related_name="legal_requests"
    )
    person = models.ForeignKey(
        "members.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="legal_requests",
        verbose_name=_("who needs help"),
    )
    contact = models.ForeignKey(
        "members.Person",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="legal_requests_as_contact",
        verbose_name=_("who to contact"),
    )
    urgency = models.CharField(_("urgency"), max_length=16, choices=Urgency.choices)
    help_kind = models.CharField(_("kind of help"), max_length=16, choices=HelpKind.choices)
    language = models.CharField(
        _("language"), max_length=8, choices=Language.choices, default=Language.SPANISH
    )
    contact_time = models.CharField(
        _("safe time to call"), max_length=12, choices=ContactTime.choices, default="any"
    )
    may_leave_message = models.BooleanField(_("safe to leave a message"), default=False)
    source = models.CharField(_("source"), max_length=16, choices=RequestSource.choices)
    incident_id = models.PositiveBigIntegerField(null=True, blank=True, db_index=True)
    # The phone or email typed in already belonged to someone: nothing that would text
    # them is sent until they prove control of it.
    needs_proof = models.BooleanField(default=False)
    # Organizer's or hand-off note: may say more than we want in a dump.
    note = EncryptedTextField(_("note"), blank=True, null=True)
    status = models.CharField(
        _("status"),
        max_length=12,
        choices=RequestStatus.choices,
        default=RequestStatus.NEW,
        db_index=True,
    )
    referred_to = models.CharField(_("referred to"), max_length=150, blank=True)
    disposition_reason = EncryptedTextField(_("reason"), blank=True, null=True)
    decided_at = models.DateTimeField(null=True, blank=True)
    decided_by = models.ForeignKey(
        "members.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )
    received_at = models.DateTimeField(_("received"), default=timezone.now)
    created_by = models.ForeignKey(
        "members.Person", null=True, blank=True, on_delete=models.SET_NULL, related_name="+"
    )

    class Meta:
        verbose_name = _("legal help request")
        verbose_name_plural = _("legal help requests")
        ordering = ["received_at", "id"]
        indexes = [
            models.Index(fields=["committee", "status", "received_at"], name="legal_request_queue")
        ]

    def __str__(self):
        return f"request #{self.pk} ({self.urgency})"

    @property
    def waited(self):
        return (self.decided_at or timezone.now()) - self.received_at
