"""Issue 11, point 6: wrong passwords from one place cannot lock a dispatcher out."""

import logging
import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value
from django.test import Client
from django.urls import reverse

from committees.roles import Role

from ..factories import TEST_TOTP_SECRET, make_member

RIGHT = "correct horse battery staple"


@pytest.fixture(autouse=True)
def rate_limits_on(settings):
    from config.settings import base

    settings.ACCOUNT_RATE_LIMITS = base.ACCOUNT_RATE_LIMITS


@pytest.fixture
def dispatcher(committee):
    return make_member(committee, roles=[Role.DISPATCHER])


def _attempt(client, email, password):
    return client.post(reverse("account_login"), {"login": email, "password": password})


def _from(address):
    return Client(REMOTE_ADDR=address)


def test_attacker_guessing_passwords_cannot_lock_out_the_owner_on_another_device(
    dispatcher, caplog
):
    email = dispatcher.person.user.email
    attacker = _from("203.0.113.9")
    with caplog.at_level(logging.WARNING, logger="committees.sign_in"):
        for _n in range(12):
            _attempt(attacker, email, "wrong password 123")
    refused = _attempt(attacker, email, RIGHT)
    assert refused.status_code == 200  # the attacker's address is stopped, even if right
    assert "Too many failed login attempts" in refused.content.decode()
    assert any("too many failed attempts" in r.getMessage() for r in caplog.records)
    assert email not in caplog.text

    owner = _from("198.51.100.7")
    response = _attempt(owner, email, RIGHT)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")
    code = format_hotp_value(hotp_value(TEST_TOTP_SECRET, int(time.time()) // 30))
    assert owner.post(reverse("mfa_authenticate"), {"code": code}).status_code == 302
    assert owner.get(reverse("dashboard")).status_code == 200


def test_many_addresses_guessing_still_let_the_owner_in_with_password_and_second_factor(
    dispatcher,
):
    email = dispatcher.person.user.email
    for n in range(30):
        _attempt(_from(f"203.0.113.{n + 1}"), email, "wrong password 123")
    # Wrong passwords from a fresh address are now refused account-wide...
    refused = _attempt(_from("192.0.2.200"), email, "wrong password 123")
    assert "Too many failed login attempts" in refused.content.decode()
    # ...but the owner's correct password still leads to the second factor.
    response = _attempt(_from("198.51.100.7"), email, RIGHT)
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_authenticate")


def test_account_without_second_factor_stays_locked_account_wide(committee):
    member = make_member(committee, roles=[Role.RESPONDER])
    email = member.person.user.email
    for n in range(30):
        _attempt(_from(f"203.0.113.{n + 1}"), email, "wrong password 123")
    response = _attempt(_from("198.51.100.7"), email, RIGHT)
    assert response.status_code == 200
    assert "Too many failed login attempts" in response.content.decode()
