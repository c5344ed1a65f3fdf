"""Proof that whoever typed a phone or email on a public form controls it.

A public form that matches someone the committee already knows
(`services.contact_find_or_create` answers `needs_proof`) must not grant consent,
change that record or text them anything but a request for proof. The form's
action waits in a `ContactProof`; a link sent to that address (only there) completes
it. Who sends the link and what completing does are plugged in, so that this base
part imports neither the message outbox nor any feature:

    # notifications (at ready): how a proof request reaches the address
    proofs.register_sender(send_contact_proof)

    # a feature (at ready): what happens once the owner confirms
    @proofs.on_confirm("trainings.public_sign_up")
    def complete_sign_up(proof): ...

Only the token's hash is stored; the payload holds ids and wording, never personal data.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import timedelta

from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

PROOF_TTL = timedelta(hours=24)
# Proof requests sent to one person per day, whatever form asks: typing a neighbour's
# number again and again must not become a way to text them.
PROOFS_PER_PERSON_PER_DAY = 3

SENDERS: list[Callable] = []
HANDLERS: dict[str, Callable] = {}


def register_sender(sender: Callable) -> Callable:
    """`sender(proof, *, token, address)` queues the proof request (idempotent)."""
    if sender not in SENDERS:
        SENDERS.append(sender)
    return sender


def on_confirm(kind: str) -> Callable:
    """Register what completes a proof of `kind` (runs in the confirming transaction)."""

    def decorator(handler: Callable) -> Callable:
        if HANDLERS.get(kind, handler) is not handler:
            raise ValueError(f"a handler for {kind!r} is already registered")
        HANDLERS[kind] = handler
        return handler

    return decorator


class ContactProof(models.Model):
    committee_path = "committee"

    class Channel(models.TextChoices):
        SMS = "sms", _("Text message")
        EMAIL = "email", _("Email")

    committee = models.ForeignKey(
        "committees.Committee", on_delete=models.CASCADE, related_name="+"
    )
    person = models.ForeignKey(
        "members.Person", on_delete=models.CASCADE, related_name="contact_proofs"
    )
    channel = models.CharField(max_length=8, choices=Channel.choices)
    # The keyed hash of the address the link went to (the record's own).
    address_hash = models.CharField(max_length=64)
    kind = models.CharField(max_length=64)
    payload = models.JSONField(default=dict, blank=True)
    token_hash = models.CharField(max_length=64, unique=True)
    created_at = models.DateTimeField(default=timezone.now)
    expires_at = models.DateTimeField()
    confirmed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("contact confirmation")
        verbose_name_plural = _("contact confirmations")
        indexes = [models.Index(fields=["person", "created_at"])]

    def __str__(self):
        return f"proof #{self.pk} ({self.kind})"

    @property
    def is_open(self) -> bool:
        return self.confirmed_at is None and self.expires_at > timezone.now()
