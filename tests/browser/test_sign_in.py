import time

import pytest
from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

from committees.roles import MembershipStatus, Role

from ..factories import TEST_TOTP_SECRET, make_member
from .a11y import audit
from .conftest import assert_fits_phone, open_menu

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def totp_now():
    # allauth accepts only the current 30-second code (MFA_TOTP_TOLERANCE = 0): never hand
    # out one about to expire before the form is submitted.
    if 30 - time.time() % 30 < 5:
        time.sleep(30 - time.time() % 30)
    return format_hotp_value(hotp_value(TEST_TOTP_SECRET, int(time.time()) // 30))


def test_coordinator_signs_in_with_mfa_switches_to_spanish_and_sees_the_dashboard(
    screen, committee
):
    coordinator = make_member(committee, roles=[Role.COORDINATOR], name="Ana")
    make_member(
        committee, status=MembershipStatus.PROBATIONARY, name="Nuevo Vecino", with_login=False
    )
    page = screen
    page.goto("/")
    assert "/accounts/login/" in page.url
    audit(page)
    page.get_by_label("Email").fill(coordinator.person.user.email)
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Sign In").click()
    page.get_by_label("Code").wait_for()
    audit(page)
    page.get_by_label("Code").fill(totp_now())
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("heading", name="Today").wait_for()
    assert page.get_by_text("Nuevo Vecino").is_visible()
    assert_fits_phone(page)
    audit(page)

    page.get_by_role("button", name="Español").click()
    page.get_by_role("heading", name="Hoy").wait_for()
    assert page.locator("html").get_attribute("lang") == "es"
    assert page.get_by_text("Personas nuevas esperando verificación").is_visible()
    assert_fits_phone(page)
    audit(page)
    # The menu opens on a phone (always there on a laptop) and is in Spanish too.
    open_menu(page)
    assert page.get_by_role("link", name="Invitaciones").is_visible()
    audit(page, "menu open")
    # The saved language wins on the next visit.
    coordinator.person.user.refresh_from_db()
    assert coordinator.person.user.language == "es"
