"""Must show 1 on a 360 px phone and a 1280 px laptop, in Spanish: a neighbour asks for
help about someone detained; bad input first gets a clear message. Then a lawyer sees it
first in the queue, accepts it, and the case page and calendar fit the screen in Spanish
and in English; the accompanier's card fits too. axe checks every page on the way."""

import pytest

from committees.roles import Role
from legal_aid.models import Accompaniment, Case, LegalRequest

from ..factories import make_accompanier, make_case, make_hearing, make_legal_request, make_member
from .a11y import audit
from .conftest import assert_fits_phone, sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_spanish_request_then_triage_by_a_lawyer(screen, live_server, committee, settings):
    page = screen
    # The anti-bot check refuses a form sent within 3 s of being shown; a test is not a
    # person and need not wait (the check itself is tested in tests/legal_aid).
    settings.PUBLIC_FORM_MIN_SECONDS = 0
    make_legal_request(committee, name="Tomás Antes", urgency="general")
    page.goto(f"/help/{committee.slug}/")
    page.get_by_role("heading", name="Ask for legal help").wait_for()
    audit(page)
    page.get_by_role("button", name="Español").click()
    page.get_by_role("heading", name="Pedir ayuda legal").wait_for()
    assert_fits_phone(page)
    audit(page)

    page.get_by_label("Detenido/a ahora").check()
    page.get_by_label("Otra persona (un familiar, un amigo)").check()
    page.get_by_label("Nombre de la persona que necesita ayuda").fill("Esteban")
    page.get_by_label("Teléfono para comunicarnos con usted").fill("12")
    page.get_by_role("button", name="Enviar mi solicitud").click()
    page.get_by_text("Escriba un número de teléfono válido").wait_for()
    page.get_by_text("Díganos su nombre, para saber a quién llamar.").wait_for()
    assert_fits_phone(page)
    audit(page, "with errors")
    assert not LegalRequest.objects.filter(urgency="detained").exists()

    page.get_by_label("Su nombre (si pide ayuda para otra persona)").fill("Lucía")
    page.get_by_label("Teléfono para comunicarnos con usted").fill("213 555 0142")
    page.get_by_role("button", name="Enviar mi solicitud").click()
    page.get_by_role("heading", name="Gracias. Recibimos su solicitud.").wait_for()
    assert_fits_phone(page)
    audit(page, "sent")

    lawyer = make_member(committee, roles=[Role.LEGAL], name="Beto", language="es")
    sign_in_as(page, live_server, lawyer.person.user)
    page.goto("/legal/")
    rows = page.locator("tbody tr")
    assert "Esteban" in rows.nth(0).inner_text() and "Tomás" in rows.nth(1).inner_text()
    assert_fits_phone(page)
    audit(page)
    page.get_by_role("link", name="Esteban").click()
    audit(page)
    page.get_by_label("Beto").check()
    page.get_by_role("button", name="Aceptar", exact=True).click()
    page.get_by_text("Aceptada: el caso está abierto.").wait_for()
    assert_fits_phone(page)
    audit(page, "accepted")
    case = Case.objects.get()
    make_hearing(case, place="Corte de Inmigración de Los Ángeles")
    pages = ("/legal/", f"/legal/cases/{case.pk}/", "/legal/hearings/", "/legal/cases/")
    for language in ("Español", "English"):
        page.goto("/legal/reports/")
        if language == "English":
            page.get_by_role("button", name=language).click()
        assert_fits_phone(page)
        audit(page)
        for path in pages:
            page.goto(path)
            assert_fits_phone(page)
            audit(page)


def test_accompaniers_card_fits_the_screen(screen, live_server, committee):
    page = screen
    lawyer = make_member(committee, roles=[Role.LEGAL], name="Beto")
    case = make_case(committee, team=[lawyer], name="Rosa Martínez")
    hearing = make_hearing(case, kind="check_in", place="ICE ERO Los Angeles")
    volunteer = make_accompanier(committee, name="Alma")
    accompaniment = Accompaniment.objects.create(
        hearing=hearing, person=volunteer.person, status="accepted"
    )
    sign_in_as(page, live_server, volunteer.person.user)
    page.goto(f"/legal/accompany/{accompaniment.pk}/")
    page.get_by_text("ICE ERO Los Angeles").wait_for()
    assert_fits_phone(page)
    assert "Martínez" not in page.content()
    audit(page)
    language = "English" if page.locator("html").get_attribute("lang") == "es" else "Español"
    page.get_by_role("button", name=language).click()
    page.get_by_text("ICE ERO Los Angeles").wait_for()
    assert_fits_phone(page)
    audit(page)
