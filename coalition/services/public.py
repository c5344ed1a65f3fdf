"""The committee's public page: what it says, and the volunteer form's sign-ups."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from committees.access import Action, Viewer
from committees.models import Membership
from committees.roles import MembershipStatus

from ..models import NeighbourFact, PublicProfile, VolunteerInterest

PROFILE_FIELDS = ("about_en", "about_es", "hotline", "state", "counties")


def profile_for(committee) -> PublicProfile:
    """The committee's public page settings (unsaved defaults if never written)."""
    return PublicProfile.objects.filter(committee=committee).first() or PublicProfile(
        committee=committee
    )


@transaction.atomic
def profile_save(*, actor: Viewer, **fields) -> PublicProfile:
    actor.require(Action.MANAGE_COALITION)
    profile, _created = PublicProfile.objects.select_for_update().get_or_create(
        committee=actor.committee
    )
    for name in PROFILE_FIELDS:
        if name in fields:
            setattr(profile, name, (fields[name] or "").strip())
    profile.state = profile.state.upper()
    profile.full_clean(exclude=["committee"])
    profile.save()
    return profile


@transaction.atomic
def fact_save(
    *,
    actor: Viewer,
    fact: NeighbourFact | None = None,
    text_en: str,
    text_es: str,
    source: str,
    source_url: str = "",
    position: int = 0,
) -> NeighbourFact:
    """A fact about immigrant neighbours, in both languages and with its source."""
    actor.require(Action.MANAGE_COALITION)
    if fact is not None and fact.committee_id != actor.committee.pk:
        raise ValidationError(_("This is not in your committee."))
    fact = fact or NeighbourFact(committee=actor.committee)
    fact.text_en, fact.text_es = text_en.strip(), text_es.strip()
    fact.source, fact.source_url, fact.position = source.strip(), source_url.strip(), position
    fact.full_clean(exclude=["committee"])
    fact.save()
    return fact


@transaction.atomic
def fact_delete(*, actor: Viewer, fact: NeighbourFact) -> None:
    actor.require(Action.MANAGE_COALITION)
    if fact.committee_id != actor.committee.pk:
        raise ValidationError(_("This is not in your committee."))
    fact.delete()


@transaction.atomic
def volunteer_offer(
    *, committee, name: str, phone: str, email: str, language: str, interests: list[str]
) -> VolunteerInterest:
    """A visitor offers to help. They land in the people directory as a probationary
    prospect, found or created by `members.services.contact_find_or_create`.

    A phone or email already in the directory changes nothing on that record (no new
    membership, no consent, no name): the offer is kept beside it, marked for the
    coordinators to check it is really them. Sends nothing."""
    from members.services import contact_find_or_create

    match = contact_find_or_create(
        committee=committee,
        name=name,
        phone=phone,
        email=email,
        language=language,
        source="coalition_volunteer",
    )
    person = match.person
    if match.created:
        Membership.objects.get_or_create(
            person=person,
            defaults={"committee": committee, "status": MembershipStatus.PROBATIONARY},
        )
    return VolunteerInterest.objects.create(
        committee=committee,
        person=person,
        interests=[i for i in VolunteerInterest.Interest.values if i in set(interests)],
        needs_proof=match.needs_proof,
    )
