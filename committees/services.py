"""Every change to committees, memberships, invitations and zones.

Services take keyword-only arguments, run in one transaction, check the actor's
right to act through `access`, and are the only code that writes these models.
"""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from lib.crypto import lookup_hash
from members.models import Person, User

from . import delivery
from .access import Action, Viewer
from .models import Committee, Invitation, Membership, MembershipRole, Vouch, Zone
from .roles import MembershipStatus, Role

INVITATION_TTL = timedelta(days=7)


def invitation_token_hash(token: str) -> str:
    """What is stored of an invitation's token (and all a session keeps of it)."""
    return hashlib.sha256(token.encode()).hexdigest()


_token_hash = invitation_token_hash


def invitation_find(*, token: str = "", token_hash: str = "") -> Invitation | None:
    """The invitation for a token, or for the stored hash of one (a session's)."""
    token_hash = token_hash or (invitation_token_hash(token) if token else "")
    if not token_hash:
        return None
    return Invitation.objects.select_related("committee").filter(token_hash=token_hash).first()


def invitation_address_owner(*, committee: Committee, email: str) -> Person | None:
    """The member (a person with a login in this committee) this address already belongs to."""
    return (
        Person.objects.filter(
            committee=committee,
            email_hash=lookup_hash(email),
            user__isnull=False,
            erased_at__isnull=True,
        )
        .select_related("membership")
        .first()
    )


def invitation_link(token: str) -> str:
    from django.conf import settings
    from django.urls import reverse

    return settings.PUBLIC_BASE_URL + reverse("join", kwargs={"token": token})


@transaction.atomic
def invitation_create(
    *,
    actor: Viewer,
    email: str,
    roles: list[str],
    person: Person | None = None,
    phone: str = "",
    language: str = "es",
    send_by: tuple[str, ...] = (),
    ttl: timedelta = INVITATION_TTL,
) -> tuple[Invitation, str]:
    """Create an invitation and send its link by `send_by` ("email", "sms") through the
    outbox, in `language`. Returns it and the secret token (shown once, never stored)."""
    actor.require(Action.INVITE)
    roles = sorted({Role(r).value for r in roles} | {Role.MEMBER.value})
    if person is not None and person.committee_id != actor.committee.pk:
        raise PermissionDenied
    if invitation_address_owner(committee=actor.committee, email=email) is not None:
        raise ValidationError({"email": _("This address already belongs to a member.")})
    if person is None:
        # Someone already in the directory without a login keeps their record when
        # they accept, instead of a twin being created.
        person = Person.objects.filter(
            committee=actor.committee,
            email_hash=lookup_hash(email),
            user__isnull=True,
            erased_at__isnull=True,
        ).first()
    token = secrets.token_urlsafe(32)
    invitation = Invitation(
        committee=actor.committee,
        phone=phone or None,
        language=language,
        roles=roles,
        person=person,
        token_hash=_token_hash(token),
        created_by=actor.membership,
        expires_at=timezone.now() + ttl,
    )
    invitation.set_email(email)
    invitation.save()
    _invitation_send(invitation, token, send_by)
    return invitation, token


def _invitation_send(invitation: Invitation, token: str, send_by) -> None:
    channels = [c for c in ("email", "sms") if c in send_by and (c != "sms" or invitation.phone)]
    if not channels:
        return
    invitation.send_count += 1
    invitation.sent_at = timezone.now()
    invitation.save(update_fields=["send_count", "sent_at"])
    delivery.send(invitation=invitation, link=invitation_link(token), channels=channels)


@transaction.atomic
def invitation_resend(
    *, actor: Viewer, invitation: Invitation, send_by: tuple[str, ...] = ("email", "sms")
) -> str:
    """Send a fresh link: the old one stops working, the 7 days start again. Returns the
    new token. Refused for an invitation that was used or withdrawn."""
    actor.require(Action.INVITE)
    invitation = Invitation.objects.select_for_update().get(
        pk=invitation.pk, committee=actor.committee
    )
    if invitation.used_at or invitation.revoked_at:
        raise ValidationError(_("This invitation was used or withdrawn: create a new one."))
    token = secrets.token_urlsafe(32)
    invitation.token_hash = _token_hash(token)
    invitation.expires_at = timezone.now() + INVITATION_TTL
    invitation.save(update_fields=["token_hash", "expires_at"])
    _invitation_send(invitation, token, send_by)
    return token


@transaction.atomic
def invitation_revoke(*, actor: Viewer, invitation: Invitation) -> None:
    actor.require(Action.INVITE)
    Invitation.objects.filter(pk=invitation.pk, used_at__isnull=True).update(
        revoked_at=timezone.now()
    )


class InvitationUnusable(ValidationError):
    pass


def invitation_refusal(invitation: Invitation | None) -> str | None:
    """Why this invitation cannot be used, in the reader's language, or None."""
    if invitation is None:
        return _("This invitation link is not valid. Ask the person who invited you for a new one.")
    state = invitation.state
    if state == Invitation.State.USED:
        return _("This invitation has already been used. Each link works only once.")
    if state == Invitation.State.EXPIRED:
        return _("This invitation has expired. Ask the person who invited you for a new one.")
    if state == Invitation.State.REVOKED:
        return _("This invitation was withdrawn. Ask the person who invited you for a new one.")
    return None


@transaction.atomic
def invitation_accept(
    *, invitation_id: int, user: User, preferred_name: str = "", language: str = "es"
) -> Membership:
    """Use an invitation: link `user` to a (new or existing) person and a probationary membership.

    Locks the invitation row so that two simultaneous acceptances cannot both succeed.
    Raises InvitationUnusable when it was used, expired or revoked meanwhile.
    """
    invitation = Invitation.objects.select_for_update().get(pk=invitation_id)
    reason = invitation_refusal(invitation)
    if reason:
        raise InvitationUnusable(reason)
    if Person.objects.filter(committee=invitation.committee, user=user).exists():
        raise InvitationUnusable(_("You are already a member of this committee."))

    person = invitation.person
    if person is not None and person.user_id not in (None, user.pk):
        # Another invitation for the same record was accepted first.
        raise InvitationUnusable(
            _("This invitation has already been used. Each link works only once.")
        )
    if person is None:
        person = Person(committee=invitation.committee, language=language)
        person.set_names(preferred_name=preferred_name or user.email.split("@")[0])
        person.set_contact(email=user.email)
    person.user = user
    person.save()

    membership, _created = Membership.objects.get_or_create(
        person=person, defaults={"committee": invitation.committee}
    )
    for role in invitation.roles:
        MembershipRole.objects.get_or_create(membership=membership, role=role)

    _forget_counts(invitation.committee_id)
    invitation.used_at = timezone.now()
    invitation.used_by = user
    invitation.save(update_fields=["used_at", "used_by"])

    # The coordinator chose this address and the link is single-use: treat it as verified.
    from allauth.account.models import EmailAddress

    EmailAddress.objects.update_or_create(
        user=user,
        email__iexact=user.email,
        defaults={"email": user.email, "verified": True, "primary": True},
    )
    return membership


@transaction.atomic
def invitation_join(
    *, invitation_id: int, email: str, password: str, preferred_name: str, language: str
) -> Membership:
    """Accept an invitation with a new account: the only way an account is ever created.

    The account and the membership are made together or not at all; raises
    InvitationUnusable when the invitation was used, expired or revoked meanwhile.
    `membership.person.user` is the new account.
    """
    user = User.objects.create_user(email, password, language=language)
    return invitation_accept(
        invitation_id=invitation_id, user=user, preferred_name=preferred_name, language=language
    )


def user_language_set(*, user: User, language: str) -> bool:
    """Save the language a signed-in person chose on their account. False (and nothing
    saved) for a language the app does not offer."""
    from django.conf import settings

    if language not in dict(settings.LANGUAGES):
        return False
    User.objects.filter(pk=user.pk).update(language=language)
    return True


def _forget_counts(committee_id: int) -> None:
    from .selectors import membership_counts_forget

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
