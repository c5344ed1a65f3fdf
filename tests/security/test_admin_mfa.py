"""Point 1: the admin is no way around the second factor."""

import pytest
from allauth.mfa.models import Authenticator
from django.contrib import admin
from django.test import Client
from django.urls import reverse

from committees.roles import Role
from members.models import User

from ..factories import TEST_TOTP_SECRET, has_authenticator, make_member

PASSWORD = "correct horse battery staple"


def _sign_in(user) -> Client:
    client = Client()
    response = client.post(reverse("account_login"), {"login": user.email, "password": PASSWORD})
    assert response.status_code == 302
    return client


@pytest.fixture
def bare_superuser(db):
    return User.objects.create_superuser("root@example.org", PASSWORD)


def test_superuser_without_mfa_cannot_delete_a_coordinators_totp_in_admin(
    committee, bare_superuser
):
    coordinator = make_member(committee, roles=[Role.COORDINATOR])
    totp = Authenticator.objects.get(user=coordinator.person.user, type="totp")
    client = _sign_in(bare_superuser)
    delete = reverse("admin:mfa_authenticator_delete", args=[totp.pk])
    assert client.get(delete)["Location"] == reverse("mfa_activate_totp")
    client.post(delete, {"post": "yes"})
    assert has_authenticator(coordinator.person.user)


def test_superuser_with_mfa_still_cannot_delete_or_change_someone_elses_authenticator(
    committee, bare_superuser
):
    from allauth.mfa.totp.internal.auth import TOTP

    TOTP.activate(bare_superuser, TEST_TOTP_SECRET)
    coordinator = make_member(committee, roles=[Role.COORDINATOR])
    totp = Authenticator.objects.get(user=coordinator.person.user, type="totp")
    client = Client()
    client.force_login(bare_superuser)
    assert client.get(reverse("admin:mfa_authenticator_changelist")).status_code == 200
    assert client.get(reverse("admin:mfa_authenticator_delete", args=[totp.pk])).status_code == 403
    client.post(reverse("admin:mfa_authenticator_delete", args=[totp.pk]), {"post": "yes"})
    assert has_authenticator(coordinator.person.user)


def test_staff_user_without_membership_or_mfa_is_sent_to_mfa_setup(db):
    staff = User.objects.create_user("staff@example.org", PASSWORD, is_staff=True)
    client = _sign_in(staff)
    assert client.get(reverse("admin:index"))["Location"] == reverse("mfa_activate_totp")


def _every_admin_url(objects) -> list[str]:
    urls = [reverse("admin:index"), reverse("admin:password_change"), reverse("admin:logout")]
    for model in admin.site._registry:
        prefix = f"admin:{model._meta.app_label}_{model._meta.model_name}"
        urls += [reverse(f"{prefix}_changelist"), reverse(f"{prefix}_add")]
        obj = objects.get(model) or model._default_manager.first()
        if obj is not None:
            for view in ("change", "delete", "history"):
                urls.append(reverse(f"{prefix}_{view}", args=[obj.pk]))
        urls.append(reverse("admin:app_list", args=[model._meta.app_label]))
    return urls


def test_superuser_without_mfa_gets_no_200_under_admin_except_mfa_setup(
    committee, zone, bare_superuser
):
    """Must show 3: every admin page (lists, forms, each registered model's object
    pages) sends a superuser without a second factor to the MFA setup."""
    coordinator = make_member(committee, roles=[Role.COORDINATOR])
    client = _sign_in(bare_superuser)
    urls = _every_admin_url({Authenticator: coordinator.person.user.authenticator_set.first()})
    assert len(urls) > 30
    for url in urls:
        for method in (client.get, client.post):
            response = method(url)
            assert response.status_code != 200, url
            assert response.status_code == 302 and response["Location"] == reverse(
                "mfa_activate_totp"
            ), url
    setup = client.get(reverse("mfa_activate_totp"))
    assert setup.status_code in (200, 302)
    assert has_authenticator(coordinator.person.user)
