"""Memberships and vetting, zones, committee settings and the first committee."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from members.models import Person, User

from ..access import Action, Viewer
from ..models import Committee, Membership, MembershipRole, Vouch, Zone
from ..roles import MembershipStatus, Role


def _forget_counts(committee_id: int) -> None:
    from ..selectors import membership_counts_forget

    transaction.on_commit(lambda: membership_counts_forget(committee_id))


def _lock_membership(actor: Viewer, membership: Membership) -> Membership:
    """Lock the committee row, then the membership.

    Every change to a membership takes the committee lock first (one order, no
    deadlocks), so two coordinators removing each other's role or suspending each
    other at the same moment cannot leave the committee without a coordinator.
    """
    if membership.committee_id != actor.committee.pk:
        raise PermissionDenied
    Committee.objects.select_for_update().filter(pk=membership.committee_id).first()
    return Membership.objects.select_for_update().select_related("person").get(pk=membership.pk)


@transaction.atomic
def membership_vouch(*, actor: Viewer, membership: Membership, note: str = "") -> Membership:
    """A vetted member vouches for a probationary newcomer (not for themselves), saying
    how they know them. Vouching twice keeps the first vouch and its words."""
    actor.require(Action.VOUCH)
    membership = _lock_membership(actor, membership)
    if membership.pk == actor.membership.pk:
        raise ValidationError(_("You cannot vouch for yourself."))
    if membership.status != MembershipStatus.PROBATIONARY:
        raise ValidationError(_("Only newcomers on probation need someone to vouch for them."))
    now = timezone.now()
    Vouch.objects.get_or_create(
        membership=membership,
        voucher=actor.membership,
        defaults={"note": note.strip()[:2000] or None, "created_at": now},
    )
    membership.vouched_by = actor.membership
    membership.vouched_at = now
    membership.save(update_fields=["vouched_by", "vouched_at"])
    return membership


def approval_refusal(*, actor: Viewer, membership: Membership, vouches=None) -> str | None:
    """Why `actor` may not approve `membership` now, or None.

    Vetting takes two people: the committee's number of vouches must come from vetted
    members other than the approver, and whoever vouched does not approve. `vouches`
    (the membership's Vouch rows with their vouchers) may be passed in when prefetched.
    """
    if membership.status != MembershipStatus.PROBATIONARY:
        return _("This person is not on probation.")
    if vouches is None:
        vouches = list(membership.vouches.select_related("voucher"))
    vouchers = {v.voucher_id for v in vouches if v.voucher.status == MembershipStatus.VETTED}
    if actor.membership.pk in {v.voucher_id for v in vouches}:
        return _("You vouched for this person: another coordinator must approve them.")
    required = actor.committee.vouches_required
    if len(vouchers) < required:
        return ngettext(
            "A vetted member must vouch for this person first.",
            "%(count)d vetted members must vouch for this person first.",
            required,
        ) % {"count": required}
    return None


@transaction.atomic
def membership_approve(*, actor: Viewer, membership: Membership) -> Membership:
    """A coordinator approves a newcomer enough other vetted members have vouched for."""
    actor.require(Action.MANAGE_MEMBERSHIPS)
    membership = _lock_membership(actor, membership)
    refusal = approval_refusal(actor=actor, membership=membership)
    if refusal:
        raise ValidationError(refusal)
    membership.status = MembershipStatus.VETTED
    membership.approved_by = actor.membership
    membership.approved_at = timezone.now()
    membership.save(update_fields=["status", "approved_by", "approved_at"])
    _forget_counts(membership.committee_id)
    return membership


@transaction.atomic
def committee_set_vouches_required(*, actor: Viewer, vouches_required: int) -> Committee:
    actor.require(Action.MANAGE_MEMBERSHIPS)
    if vouches_required not in (1, 2):
        raise ValidationError(_("Choose one or two vouches."))
    Committee.objects.filter(pk=actor.committee.pk).update(vouches_required=vouches_required)
    actor.committee.vouches_required = vouches_required
    return actor.committee


def _is_last_coordinator(membership: Membership) -> bool:
    return not (
        Membership.objects.filter(
            committee_id=membership.committee_id,
            status=MembershipStatus.VETTED,
            roles__role=Role.COORDINATOR,
        )
        .exclude(pk=membership.pk)
        .exists()
    )


@transaction.atomic
def membership_set_roles(*, actor: Viewer, membership: Membership, roles: list[str]) -> Membership:
    actor.require(Action.MANAGE_MEMBERSHIPS)
    membership = _lock_membership(actor, membership)
    wanted = {Role(r).value for r in roles} | {Role.MEMBER.value}
    current = set(membership.roles.values_list("role", flat=True))
    if (
        Role.COORDINATOR in current
        and Role.COORDINATOR not in wanted
        and _is_last_coordinator(membership)
    ):
        raise ValidationError(_("A committee needs at least one coordinator."))
    membership.roles.exclude(role__in=wanted).delete()
    MembershipRole.objects.bulk_create(
        [MembershipRole(membership=membership, role=r) for r in sorted(wanted - current)]
    )
    return membership


@transaction.atomic
def membership_suspend(*, actor: Viewer, membership: Membership) -> Membership:
    """Suspend a member and end every session of their account at once."""
    actor.require(Action.MANAGE_MEMBERSHIPS)
    membership = _lock_membership(actor, membership)
    if membership.pk == actor.membership.pk:
        raise ValidationError(_("You cannot suspend yourself."))
    if membership.status == MembershipStatus.SUSPENDED:
        return membership
    if membership.roles.filter(role=Role.COORDINATOR).exists() and _is_last_coordinator(membership):
        raise ValidationError(_("A committee needs at least one coordinator."))
    membership.status = MembershipStatus.SUSPENDED
    membership.suspended_by = actor.membership
    membership.suspended_at = timezone.now()
    membership.save(update_fields=["status", "suspended_by", "suspended_at"])
    _forget_counts(membership.committee_id)
    if membership.person.user_id:
        # Part of the session auth hash: every open session fails its next check.
        User.objects.filter(pk=membership.person.user_id).update(
            session_epoch=F("session_epoch") + 1
        )
    return membership


@transaction.atomic
def membership_reinstate(*, actor: Viewer, membership: Membership) -> Membership:
    """Lift a suspension; the person starts again on probation and must be re-vetted."""
    actor.require(Action.MANAGE_MEMBERSHIPS)
    membership = _lock_membership(actor, membership)
    if membership.status != MembershipStatus.SUSPENDED:
        raise ValidationError(_("This person is not suspended."))
    membership.status = MembershipStatus.PROBATIONARY
    membership.vouched_by = None
    membership.vouched_at = None
    membership.approved_by = None
    membership.approved_at = None
    membership.save()
    membership.vouches.all().delete()
    _forget_counts(membership.committee_id)
    return membership


@transaction.atomic
def zone_save(
    *,
    actor: Viewer,
    zone: Zone | None = None,
    name: str,
    description: str = "",
    description_es: str = "",
) -> Zone:
    actor.require(Action.MANAGE_ZONES)
    if zone is None:
        zone = Zone(committee=actor.committee)
    elif zone.committee_id != actor.committee.pk:
        raise PermissionDenied
    name = name.strip()
    if (
        Zone.objects.filter(committee=actor.committee, name__iexact=name)
        .exclude(pk=zone.pk)
        .exists()
    ):
        raise ValidationError({"name": _("There is already a zone with this name.")})
    zone.name = name
    zone.description = description.strip()
    zone.description_es = description_es.strip()
    zone.save()
    return zone


@transaction.atomic
def committee_create(
    *,
    name: str,
    slug: str,
    area: str = "",
    timezone_name: str | None = None,
    coordinator_email: str,
    coordinator_name: str,
    coordinator_password: str | None = None,
) -> tuple[Committee, Membership]:
    """Bootstrap a committee with its first, vetted coordinator (from the command line)."""
    committee = Committee(name=name, slug=slug, area=area)
    if timezone_name:
        committee.timezone = timezone_name
    committee.full_clean()
    committee.save()
    user = User.objects.filter(email__iexact=coordinator_email).first()
    if user is None:
        user = User.objects.create_user(coordinator_email, coordinator_password)
    person = Person(committee=committee, user=user)
    person.set_names(preferred_name=coordinator_name)
    person.set_contact(email=user.email)
    person.save()
    membership = Membership.objects.create(
        committee=committee,
        person=person,
        status=MembershipStatus.VETTED,
        approved_at=timezone.now(),
    )
    MembershipRole.objects.bulk_create(
        [MembershipRole(membership=membership, role=r) for r in (Role.COORDINATOR, Role.MEMBER)]
    )
    return committee, membership
