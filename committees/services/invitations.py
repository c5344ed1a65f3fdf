"""Invitations: the only way an account is created (create, send, resend, revoke, accept)."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from lib.crypto import lookup_hash
from members.models import Person, User

from .. import delivery
from ..access import Action, Viewer
from ..models import Committee, Invitation, Membership, MembershipRole
from ..roles import Role
from .memberships import _forget_counts

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
