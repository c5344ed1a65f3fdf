"""The dispatch roster: who is on call, when, in which languages."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.access import Action
from committees.roles import MembershipStatus, Role
from members.models import Language, Person

from ..models import DispatcherShift, DispatchSettings


def dispatcher_choices(committee):
    return Person.objects.filter(
        committee=committee,
        erased_at__isnull=True,
        membership__status=MembershipStatus.VETTED,
        membership__roles__role__in=[Role.DISPATCHER, Role.COORDINATOR],
    ).distinct()


@transaction.atomic
def shift_add(*, actor, person, starts_at, ends_at, languages) -> DispatcherShift:
    """Put a dispatcher on call. A dispatcher adds their own shifts; a coordinator anyone's."""
    actor.require(Action.DISPATCH)
    if person.pk != actor.person.pk and not actor.can(Action.MANAGE_DISPATCH):
        raise ValidationError(_("You can only add your own shifts."))
    if not dispatcher_choices(actor.committee).filter(pk=person.pk).exists():
        raise ValidationError(_("Only a vetted dispatcher can be on call."))
    if ends_at <= starts_at:
        raise ValidationError(_("The shift must end after it starts."))
    if ends_at <= timezone.now():
        raise ValidationError(_("This shift is already over."))
    if (ends_at - starts_at).total_seconds() > 24 * 3600:
        raise ValidationError(_("A shift lasts at most 24 hours."))
    languages = [code for code in languages if code in Language.values] or [person.language]
    return DispatcherShift.objects.create(
        committee=actor.committee,
        person=person,
        starts_at=starts_at,
        ends_at=ends_at,
        languages=languages,
    )


@transaction.atomic
def shift_end(*, actor, shift) -> None:
    actor.require(Action.DISPATCH)
    if shift.person_id != actor.person.pk and not actor.can(Action.MANAGE_DISPATCH):
        raise ValidationError(_("You can only end your own shifts."))
    now = timezone.now()
    if shift.starts_at >= now:
        shift.delete()
    elif shift.ends_at > now:
        shift.ends_at = now
        shift.save(update_fields=["ends_at"])


@transaction.atomic
def dispatch_settings_update(*, actor, **values) -> DispatchSettings:
    actor.require(Action.MANAGE_DISPATCH)
    row, _created = DispatchSettings.objects.get_or_create(committee=actor.committee)
    for name in ("alert_expiry_minutes", "retention_days", "claim_stale_minutes"):
        if name in values:
            setattr(row, name, values[name])
    row.full_clean()
    row.save()
    return row
