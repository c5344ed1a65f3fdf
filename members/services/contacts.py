"""One way to find or create a contact from what someone typed (public forms, walk-ins,
invitations, legal intake, raid reports, pledges)."""

from __future__ import annotations

import hashlib
import secrets
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from committees.models import Committee
from lib.crypto import lookup_hash

from .. import proofs
from ..models import Person
from ..phones import normalise_phone
from ..proofs import ContactProof


@dataclass(frozen=True)
class ContactMatch:
    person: Person
    created: bool
    # The phone or email belongs to a record the committee already has. Whoever typed it
    # has not shown they control it: grant no consent, change nothing on that record and
    # text them nothing but a proof request (`contact_proof_request`) until they confirm.
    needs_proof: bool


def contact_find(*, committee, phone: str = "", email: str = "") -> Person | None:
    """The committee's person with this phone (first), else this email."""
    people = Person.objects.filter(committee=committee, erased_at__isnull=True)
    phone = normalise_phone(phone) or ""
    if phone:
        found = people.filter(phone_hash=lookup_hash(phone)).order_by("id").first()
        if found:
            return found
    email = (email or "").strip().lower()
    if email:
        return people.filter(email_hash=lookup_hash(email)).order_by("id").first()
    return None


@transaction.atomic
def contact_find_or_create(
    *, committee, name: str, phone: str = "", email: str = "", language: str, source: str = ""
) -> ContactMatch:
    """Find the committee's person with this phone or email, or create a contact (no
    membership) with the name, language and addresses given.

    An existing record is never changed here. The committee row is locked so that two
    submissions of one new number at once make one person, not two. `source` says which
    form it came from (for the caller's own records; nothing personal is logged).
    """
    Committee.objects.select_for_update().filter(pk=committee.pk).values_list("pk").first()
    phone = normalise_phone(phone) or ""
    email = (email or "").strip().lower()
    existing = contact_find(committee=committee, phone=phone, email=email)
    if existing is not None:
        return ContactMatch(person=existing, created=False, needs_proof=True)
    person = Person(committee=committee, language=language)
    person.set_names(preferred_name=name)
    person.set_contact(phone=phone or None, email=email or None)
    person.save()
    return ContactMatch(person=person, created=True, needs_proof=False)


class ProofUnavailable(Exception):
    """No proof request can be sent now (too many today, or no address of theirs typed)."""


def _typed_channel(person: Person, *, phone: str, email: str) -> tuple[str, str] | None:
    """The channel and address, among those typed, that are the record's own (phone
    first). A stranger's address typed beside someone's is never used."""
    phone = normalise_phone(phone) or ""
    email = (email or "").strip().lower()
    if phone and person.phone_hash == lookup_hash(phone):
        return ContactProof.Channel.SMS, phone
    if email and person.email_hash == lookup_hash(email):
        return ContactProof.Channel.EMAIL, email
    return None


@transaction.atomic
def contact_proof_request(
    *, person: Person, phone: str = "", email: str = "", kind: str, payload: dict
) -> ContactProof:
    """Ask the owner of a typed phone or email to confirm it is them.

    `payload` (ids and wording, never personal data) is what `kind`'s confirm handler
    (`proofs.on_confirm`) needs to complete the waiting action. Side effects: one
    ContactProof; one proof request queued through the registered sender, to the typed
    address that is the record's own. The same waiting action asked again while its
    proof is open sends nothing more. Raises ProofUnavailable past the daily limit.
    """
    now = timezone.now()
    Person.objects.select_for_update().filter(pk=person.pk).values_list("pk").first()
    typed = _typed_channel(person, phone=phone, email=email)
    if typed is None:
        raise ProofUnavailable("no typed address belongs to the record")
    channel, address = typed
    waiting = ContactProof.objects.filter(
        person=person,
        kind=kind,
        payload=payload,
        confirmed_at__isnull=True,
        expires_at__gt=now,
    ).first()
    if waiting is not None:
        return waiting
    recent = ContactProof.objects.filter(person=person, created_at__gte=now - timedelta(days=1))
    if recent.count() >= proofs.PROOFS_PER_PERSON_PER_DAY:
        raise ProofUnavailable("too many proof requests for this person today")
    token = secrets.token_urlsafe(24)
    proof = ContactProof.objects.create(
        committee_id=person.committee_id,
        person=person,
        channel=channel,
        address_hash=lookup_hash(address),
        kind=kind,
        payload=payload,
        token_hash=proof_token_hash(token),
        created_at=now,
        expires_at=now + proofs.PROOF_TTL,
    )
    for sender in proofs.SENDERS:
        sender(proof, token=token, address=address)
    return proof


def proof_token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def contact_proof_find(*, token: str) -> ContactProof | None:
    """The open proof for a token (None: unknown, used or expired)."""
    if not token or len(token) > 100:
        return None
    proof = (
        ContactProof.objects.select_related("person", "committee")
        .filter(token_hash=proof_token_hash(token))
        .first()
    )
    return proof if proof is not None and proof.is_open else None


@transaction.atomic
def contact_proof_confirm(*, token: str):
    """The owner followed the link: complete the waiting action. Returns what the kind's
    handler returned, or None if the link is unknown, used or expired. Single-use."""
    proof = contact_proof_find(token=token)
    if proof is None:
        return None
    claimed = ContactProof.objects.filter(pk=proof.pk, confirmed_at__isnull=True).update(
        confirmed_at=timezone.now()
    )
    if not claimed:
        return None
    handler = proofs.HANDLERS.get(proof.kind)
    return handler(proof) if handler is not None else None
