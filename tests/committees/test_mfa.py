from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.urls import reverse

from committees.roles import Role

from ..factories import make_member


def sign_in(client, membership):
    """Sign in through allauth's form, as a person would (MFA setup wants a fresh login)."""
    response = client.post(
        reverse("account_login"),
        {"login": membership.person.user.email, "password": "correct horse battery staple"},
    )
    assert response.status_code == 302
    return client


def reauthenticate(client):
    """allauth asks for the password again before a second factor is added."""
    response = client.post(
        reverse("account_reauthenticate"), {"password": "correct horse battery staple"}
    )
    assert response.status_code == 302


def test_coordinator_without_mfa_reaches_only_mfa_setup(committee, anonymous):
    coordinator = make_member(committee, roles=[Role.COORDINATOR], mfa=False)
    client = sign_in(anonymous, coordinator)
    setup = reverse("mfa_activate_totp")
    for name in [
        "dashboard",
        "committees:membership_list",
        "committees:invitation_list",
        "committees:zone_list",
        "admin:index",
    ]:
        response = client.get(reverse(name))
        assert response.status_code == 302, name
        assert response["Location"] == setup, name
    # The setup page itself (after confirming the password), and signing out, are reachable.
    assert client.get(setup)["Location"].startswith(reverse("account_reauthenticate"))
    reauthenticate(client)
    assert client.get(setup).status_code == 200
    assert client.post(reverse("account_logout")).status_code == 302


def test_after_enrolling_totp_the_coordinator_reaches_their_pages(committee, anonymous):
    coordinator = make_member(committee, roles=[Role.COORDINATOR], mfa=False)
    client = sign_in(anonymous, coordinator)
    reauthenticate(client)
    setup_page = client.get(reverse("mfa_activate_totp"))
    assert setup_page.status_code == 200
    secret = client.session["mfa.totp.secret"]
    import time

    code = format_hotp_value(hotp_value(secret, int(time.time()) // 30))
    response = client.post(reverse("mfa_activate_totp"), {"code": code})
    assert response.status_code == 302
    assert Authenticator.objects.filter(user=coordinator.person.user, type="totp").exists()
    # The TOTP secret is encrypted at rest.
    stored = Authenticator.objects.get(user=coordinator.person.user, type="totp").data["secret"]
    assert secret not in stored
    for name in ["dashboard", "committees:membership_list", "committees:invitation_list"]:
        assert client.get(reverse(name)).status_code == 200, name


def test_staff_roles_all_require_mfa_but_members_do_not(committee, client_for):
    for role in [Role.LEGAL, Role.TREASURER, Role.DISPATCHER, Role.TRAINER]:
        member = make_member(committee, roles=[role], mfa=False)
        assert client_for(member).get(reverse("dashboard"))["Location"] == reverse(
            "mfa_activate_totp"
        )
    for role in [Role.RESPONDER, Role.MEMBER]:
        member = make_member(committee, roles=[role], mfa=False)
        assert client_for(member).get(reverse("dashboard")).status_code == 200


def test_probationary_staff_invitee_is_not_blocked_until_vetted(committee, client_for):
    newcomer = make_member(committee, roles=[Role.COORDINATOR], status="probationary", mfa=False)
    assert client_for(newcomer).get(reverse("dashboard")).status_code == 200


def test_sign_in_with_password_then_totp(committee, anonymous):
    coordinator = make_member(committee, roles=[Role.COORDINATOR])
    user = coordinator.person.user
    response = anonymous.post(
        reverse("account_login"),
        {"login": user.email, "password": "correct horse battery staple"},
    )
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    # Not signed in yet.
    assert anonymous.get(reverse("dashboard")).status_code == 302
    import time

    from ..factories import TEST_TOTP_SECRET

    code = format_hotp_value(hotp_value(TEST_TOTP_SECRET, int(time.time()) // 30))
    response = anonymous.post(reverse("mfa_authenticate"), {"code": code})
    assert response.status_code == 302
    assert anonymous.get(reverse("dashboard")).status_code == 200
