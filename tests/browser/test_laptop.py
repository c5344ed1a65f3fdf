"""Issue 12, must show 1, on a 1280 px laptop: a coordinator signs in with a second
factor, reaches People, Trainings, Messages and Sign out from the navigation; in Spanish,
edits a training's date and saves it."""

from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.utils import timezone

from committees.roles import Role

from ..factories import make_member
from ..trainings.factories import make_training
from .a11y import audit
from .conftest import assert_fits_phone
from .test_sign_in import totp_now

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_coordinator_uses_the_laptop_navigation_and_edits_a_training_date_in_spanish(
    laptop, committee
):
    page = laptop
    coordinator = make_member(committee, roles=[Role.COORDINATOR], name="Ana")
    starts_at = (timezone.now() + timedelta(days=10)).replace(second=0, microsecond=0)
    training = make_training(committee, starts_at=starts_at)

    page.goto("/")
    audit(page)
    page.get_by_label("Email").fill(coordinator.person.user.email)
    page.get_by_label("Password").fill("correct horse battery staple")
    page.get_by_role("button", name="Sign In").click()
    page.get_by_label("Code").wait_for()
    audit(page)
    page.get_by_label("Code").fill(totp_now())
    page.get_by_role("button", name="Sign In").click()
    page.get_by_role("heading", name="Today").wait_for()
    audit(page)

    # No Menu button on a laptop: the navigation is beside the page, with the person's
    # name and Sign out.
    nav = page.locator("nav.site-nav")
    assert nav.get_attribute("aria-label") == "Main"
    assert not page.get_by_text("Menu", exact=True).is_visible()
    assert nav.get_by_text("Ana", exact=True).is_visible()
    for label, heading in (
        ("People", "People"),
        ("Trainings", "Trainings"),
        ("Messages", "Messages"),
    ):
        nav.get_by_role("link", name=label, exact=True).click()
        page.get_by_role("heading", name=heading, exact=True).first.wait_for()
        assert (
            nav.get_by_role("link", name=label, exact=True).get_attribute("aria-current") == "page"
        )
        assert_fits_phone(page)
        audit(page)

    # In Spanish (the language switch is in the navigation too): edit the date, save.
    nav.get_by_role("button", name="Español").click()
    page.get_by_role("heading", name="Mensajes", exact=True).first.wait_for()
    nav.get_by_role("link", name="Capacitaciones", exact=True).click()
    page.get_by_role("link", name="Conozca sus derechos").first.click()
    audit(page)
    page.get_by_role("link", name="Editar", exact=True).click()
    page.get_by_role("heading", name="Editar capacitación").wait_for()
    audit(page)
    local = starts_at.astimezone(ZoneInfo(committee.timezone))
    day = page.get_by_label("Fecha")
    assert day.input_value() == local.date().isoformat()  # the browser kept the value
    day.fill((local.date() + timedelta(days=1)).isoformat())
    page.get_by_role("button", name="Guardar").click()
    page.get_by_text("Capacitación guardada.").wait_for()
    audit(page)
    training.refresh_from_db()
    assert training.starts_at == starts_at + timedelta(days=1)

    nav.get_by_role("button", name="Cerrar sesión").click()
    page.get_by_role("button", name="Iniciar sesión").wait_for()  # signed out
    assert not nav.is_visible()
    audit(page)
