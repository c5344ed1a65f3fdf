"""One way to find or create a contact from what someone typed (public forms, walk-ins,
invitations, legal intake, raid reports, pledges)."""

from __future__ import annotations

from dataclasses import dataclass

from django.db import transaction

from committees.models import Committee
from lib.crypto import lookup_hash

from ..models import Person
from ..phones import normalise_phone


@dataclass(frozen=True)
class ContactMatch:
    person: Person
    created: bool
    # The phone or email belongs to a record the committee already has. Whoever typed it
    # has not shown they control it: grant no consent, change nothing on that record and
    # text them nothing but a proof request until they confirm.
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
