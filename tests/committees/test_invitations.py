from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from committees import services
from committees.access import load_viewer
from committees.models import Invitation, Membership
from committees.roles import MembershipStatus, Role
from members.models import User

PASSWORD = "a long enough passphrase 42"


def invite(coordinator, email="newcomer@example.org", roles=(Role.RESPONDER,)):
    viewer = load_viewer(coordinator.person.user)
    return services.invitation_create(actor=viewer, email=email, roles=list(roles))


def open_link(client, token):
    """Follow the invitation link as a person would; returns the page it settles on."""
    response = client.get(reverse("join", args=[token]))
    assert response.status_code == 302
    assert token not in response["Location"]  # the token leaves the address bar
    return response["Location"]


def join(client, token, data):
    return client.post(open_link(client, token), data)


def join_data(email="newcomer@example.org", **overrides):
    data = {
        "preferred_name": "Nuevo",
        "email": email,
        "language": "es",
        "password1": PASSWORD,
        "password2": PASSWORD,
    }
    data.update(overrides)
    return data


def test_public_signup_without_invitation_creates_no_user(anonymous, committee):
    before = User.objects.count()
    page = anonymous.get(reverse("account_signup"))
    assert b"invitation" in page.content
    anonymous.post(
        reverse("account_signup"),
        {"email": "intruder@example.org", "password1": PASSWORD, "password2": PASSWORD},
    )
    assert User.objects.count() == before
    assert not User.objects.filter(email="intruder@example.org").exists()


def test_invitation_creates_probationary_member_with_invited_roles(anonymous, coordinator):
    invitation, token = invite(coordinator)
    response = join(anonymous, token, join_data())
    assert response.status_code == 302
    user = User.objects.get(email="newcomer@example.org")
    membership = Membership.objects.get(person__user=user)
    assert membership.committee == coordinator.committee
    assert membership.status == MembershipStatus.PROBATIONARY
    assert set(membership.roles.values_list("role", flat=True)) == {Role.RESPONDER, Role.MEMBER}
    assert membership.person.preferred_name == "Nuevo"
    assert user.language == "es"
    invitation.refresh_from_db()
    assert invitation.used_by == user and invitation.state == Invitation.State.USED
    # Signed in straight away.
    assert anonymous.get(reverse("dashboard")).status_code == 200


def test_used_invitation_is_refused_with_a_clear_message(anonymous, coordinator):
    _invitation, token = invite(coordinator)
    join(anonymous, token, join_data())
    other = type(anonymous)()
    response = join(other, token, join_data(email="newcomer@example.org"))
    assert response.status_code == 410
    assert "already been used" in response.content.decode()
    assert User.objects.filter(email="newcomer@example.org").count() == 1


def test_expired_invitation_is_refused_and_creates_nothing(anonymous, coordinator):
    invitation, token = invite(coordinator)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(minutes=1)
    )
    response = join(anonymous, token, join_data())
    assert response.status_code == 410
    assert "expired" in response.content.decode()
    assert not User.objects.filter(email="newcomer@example.org").exists()


def test_expired_invitation_message_is_in_spanish(anonymous, coordinator):
    invitation, token = invite(coordinator)
    Invitation.objects.filter(pk=invitation.pk).update(
        expires_at=timezone.now() - timedelta(days=1)
    )
    anonymous.cookies["defensa_language"] = "es"
    response = anonymous.get(open_link(anonymous, token))
    assert "Esta invitación ha caducado" in response.content.decode()


def test_revoked_and_unknown_invitations_are_refused(anonymous, coordinator):
    invitation, token = invite(coordinator)
    services.invitation_revoke(actor=load_viewer(coordinator.person.user), invitation=invitation)
    assert join(anonymous, token, join_data()).status_code == 410
    assert anonymous.get(open_link(anonymous, "not-a-real-token")).status_code == 410
    assert not User.objects.filter(email="newcomer@example.org").exists()


def test_invitation_only_works_for_the_invited_address(anonymous, coordinator):
    _invitation, token = invite(coordinator)
    response = join(anonymous, token, join_data(email="someone@else.org"))
    assert response.status_code == 400
    assert not User.objects.filter(email="someone@else.org").exists()


def test_bad_join_form_saves_nothing(anonymous, coordinator):
    _invitation, token = invite(coordinator)
    response = join(anonymous, token, join_data(password2="different", preferred_name="x" * 500))
    assert response.status_code == 400
    assert not User.objects.filter(email="newcomer@example.org").exists()


def test_existing_user_joins_a_second_committee(coordinator, outsider, client_for):
    _invitation, token = invite(coordinator, email=outsider.person.user.email)
    client = client_for(outsider)
    page = open_link(client, token)
    assert client.get(page).status_code == 200
    client.post(page)
    user = outsider.person.user
    assert Membership.objects.filter(person__user=user).count() == 2
    # Each committee keeps its own person record: nothing mixes.
    assert user.people.values("committee").distinct().count() == 2
    # Named as in their first committee, never after their email address.
    assert set(user.people.values_list("preferred_name", flat=True)) == {"Otto Outsider"}


def test_only_coordinators_may_invite(vetted_member, client_for):
    response = client_for(vetted_member).post(
        reverse("committees:invitation_list"), {"email": "x@example.org"}
    )
    assert response.status_code == 403
    assert not Invitation.objects.exists()


def test_coordinator_invites_through_the_screen(coordinator, client_for):
    response = client_for(coordinator).post(
        reverse("committees:invitation_list"), {"email": "friend@example.org", "roles": ["trainer"]}
    )
    assert response.status_code == 200
    invitation = Invitation.objects.get()
    assert invitation.email == "friend@example.org"
    assert invitation.roles == ["member", "trainer"]
    link = response.context["new_link"]
    assert "/join/" in link
    # Only a hash is stored: the link's token is not in the database.
    assert link.rstrip("/").rsplit("/", 1)[1] not in invitation.token_hash


@pytest.mark.django_db
def test_join_form_rejects_a_bad_email(anonymous, coordinator):
    _invitation, token = invite(coordinator)
    response = join(anonymous, token, join_data(email="not-an-email"))
    assert response.status_code == 400


def test_a_signed_in_account_cannot_take_someone_elses_invitation(
    coordinator, outsider, client_for
):
    _invitation, token = invite(coordinator, email="alice@example.org", roles=[Role.COORDINATOR])
    client = client_for(outsider)
    page = open_link(client, token)
    assert client.get(page).status_code == 403
    assert client.post(page).status_code == 403
    assert Membership.objects.filter(person__user=outsider.person.user).count() == 1


def test_joining_makes_the_account_and_membership_together_or_not_at_all(coordinator):
    _invitation, token = invite(coordinator)
    invitation = services.invitation_find(token=token)
    membership = services.invitation_join(
        invitation_id=invitation.pk,
        email="newcomer@example.org",
        password=PASSWORD,
        preferred_name="Nuevo",
        language="en",
    )
    user = membership.person.user
    assert user.check_password(PASSWORD) and user.language == "en"
    assert membership.status == MembershipStatus.PROBATIONARY
    with pytest.raises(services.InvitationUnusable):
        services.invitation_join(
            invitation_id=invitation.pk,
            email="someone-else@example.org",
            password=PASSWORD,
            preferred_name="Otra",
            language="es",
        )
    # The second account was not left behind without a membership.
    assert not User.objects.filter(email="someone-else@example.org").exists()


def test_a_signed_in_persons_language_is_saved_only_if_the_app_offers_it(coordinator):
    user = coordinator.person.user
    assert services.user_language_set(user=user, language="es") is True
    assert services.user_language_set(user=user, language="xx") is False
    user.refresh_from_db()
    assert user.language == "es"
