"""Asking to be deleted, and erasing a person everywhere once a coordinator confirms."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.access import Action, Viewer
from committees.models import Invitation, Membership, MembershipRole
from lib.crypto import lookup_hash

from .. import erasure
from ..audit import AuditEvent, audit_record
from ..consent import Consent, ConsentEvent
from ..models import ErasureRequest, Language, Person, TrainingRecord, User
from ..proofs import ContactProof
from .imports import import_batches_forget


@transaction.atomic
def erasure_request(*, actor: Viewer) -> ErasureRequest:
    """The signed-in person asks their committee to erase them (idempotent)."""
    person = actor.person
    if person is None:
        raise PermissionDenied
    pending = ErasureRequest.objects.filter(
        person=person, status=ErasureRequest.Status.PENDING
    ).first()
    return pending or ErasureRequest.objects.create(person=person)


@transaction.atomic
def erasure_request_cancel(*, actor: Viewer) -> None:
    """The person changed their mind before a coordinator acted."""
    ErasureRequest.objects.filter(person=actor.person, status=ErasureRequest.Status.PENDING).update(
        status=ErasureRequest.Status.CANCELLED, decided_at=timezone.now()
    )


def erased_placeholder(person_id: int) -> str:
    return f"Erased person #{person_id}"


@transaction.atomic
def person_erase(*, actor: Viewer, person: Person) -> None:
    """Erase a person from the committee, on their request or a coordinator's decision.

    Side effects, all in one transaction:
    * every erasure hook other parts registered runs (members.erasure);
    * consents and consent events, training records, invitations sent to them and
      import previews that mention them are deleted;
    * the person row stays, so that other parts' references hold, but anonymized:
      "Erased person #id", no names, contacts, notes, languages, skills or zones;
    * their membership is deleted; their login too, unless another committee still
      uses it (then it is only unlinked), and with it their sessions;
    * audit-log entries about them keep that something happened, not the values;
    * a pending erasure request is marked done; an audit event records who erased.
    """
    actor.require(Action.ERASE_PERSON)
    person = Person.objects.select_for_update().filter(pk=person.pk).first()
    if person is None or person.committee_id != actor.committee.pk or person.erased_at:
        raise PermissionDenied
    if actor.is_self(person):
        raise ValidationError(_("Another coordinator must confirm erasing your own record."))
    # Only another vetted coordinator gets here, so a committee always keeps one.
    membership = Membership.objects.filter(person=person).first()

    erasure.run_hooks(person)

    user = person.user
    emails = {e for e in (person.email, user.email if user else None) if e}
    invitations = Invitation.objects.filter(committee_id=person.committee_id).filter(
        Q(person=person)
        | (Q(used_by=user) if user else Q(pk__in=[]))
        | Q(email_hash__in=[lookup_hash(e) for e in emails])
    )
    scrubbed = [(Person, person.pk)] + [
        (Invitation, pk) for pk in invitations.values_list("pk", flat=True)
    ]
    if membership is not None:
        scrubbed.append((Membership, membership.pk))
        scrubbed += [(MembershipRole, pk) for pk in membership.roles.values_list("pk", flat=True)]

    import_batches_forget(person=person)
    ContactProof.objects.filter(person=person).delete()
    Consent.objects.filter(person=person).delete()
    ConsentEvent.objects.filter(person=person).delete()
    TrainingRecord.objects.filter(person=person).delete()
    invitations.delete()

    person.set_names(preferred_name=erased_placeholder(person.pk))
    person.set_contact(phone=None, email=None)
    person.notes = None
    person.availability = 0
    person.language = Language.SPANISH
    person.user = None
    person.erased_at = timezone.now()
    person.save()
    person.other_languages.clear()
    person.skills.clear()
    person.zones.clear()
    if membership is not None:
        membership.delete()

    if user is not None and not user.people.exclude(pk=person.pk).exists():
        erasure.end_sessions(user_id=user.pk)
        erasure.scrub_actor(user_id=user.pk, emails=emails)
        scrubbed.append((User, user.pk))
        User.objects.filter(pk=user.pk).delete()

    ErasureRequest.objects.filter(person=person, status=ErasureRequest.Status.PENDING).update(
        status=ErasureRequest.Status.DONE, decided_by=actor.person, decided_at=timezone.now()
    )
    erasure.scrub_audit_logs(objects=scrubbed, placeholder=erased_placeholder(person.pk))
    audit_record(viewer=actor, kind=AuditEvent.Kind.ERASED, person=person)
