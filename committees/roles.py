from django.db import models
from django.utils.translation import gettext_lazy as _


class Role(models.TextChoices):
    COORDINATOR = "coordinator", _("Coordinator")
    LEGAL = "legal", _("Legal team")
    TREASURER = "treasurer", _("Treasurer")
    DISPATCHER = "dispatcher", _("Dispatcher")
    TRAINER = "trainer", _("Trainer")
    RESPONDER = "responder", _("Responder")
    MEMBER = "member", _("Member")


class MembershipStatus(models.TextChoices):
    PROBATIONARY = "probationary", _("Probationary")
    VETTED = "vetted", _("Vetted")
    SUSPENDED = "suspended", _("Suspended")


# Roles that see other people's contact details or move money: a stolen password alone
# must not open them, so they sign in with a second factor (TOTP or a security key,
# never an SMS code). Trainers are here because rosters carry phone numbers.
MFA_ROLES = frozenset({Role.COORDINATOR, Role.LEGAL, Role.TREASURER, Role.DISPATCHER, Role.TRAINER})
