"""Must show 1 on a 360 px phone, in Spanish: a neighbour asks for help about someone
detained; bad input first gets a clear message. Then a lawyer, on a 1280 px laptop,
sees it first in the queue, accepts it, and the case page and calendar fit both
screens; the accompanier's card fits the phone."""

import pytest
from django.test import Client

from committees.roles import Role
from legal_aid.models import Accompaniment, Case, LegalRequest

from ..factories import make_accompanier, make_hearing, make_legal_request, make_member
from .conftest import assert_fits_phone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]
LAPTOP = {"width": 1280, "height": 800}


def sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def fits(page):
    overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0, f"page is {overflow}px wider than the screen"


def test_spanish_request_on_a_phone_then_triage_on_a_laptop(phone, live_server, committee):
    page = phone
    make_legal_request(committee, name="Tomás Antes", urgency="general")
    page.goto(f"/help/{committee.slug}/")
    page.get_by_role("button", name="Español").click()
    page.get_by_role("heading", name="Pedir ayuda legal").wait_for()
    assert_fits_phone(page)

    page.get_by_label("Detenido/a ahora").check()
    page.get_by_label("Otra persona (un familiar, un amigo)").check()
    page.get_by_label("Nombre de la persona que necesita ayuda").fill("Esteban")
    page.get_by_label("Teléfono para comunicarnos con usted").fill("12")
    page.wait_for_timeout(3200)  # a person takes longer than a bot
    page.get_by_role("button", name="Enviar mi solicitud").click()
    page.get_by_text("Escriba un número de teléfono válido").wait_for()
    page.get_by_text("Díganos su nombre, para saber a quién llamar.").wait_for()
    assert_fits_phone(page)
    assert not LegalRequest.objects.filter(urgency="detained").exists()

    page.get_by_label("Su nombre (si pide ayuda para otra persona)").fill("Lucía")
    page.get_by_label("Teléfono para comunicarnos con usted").fill("213 555 0142")
    page.get_by_role("button", name="Enviar mi solicitud").click()
    page.get_by_role("heading", name="Gracias. Recibimos su solicitud.").wait_for()
    assert_fits_phone(page)

    lawyer = make_member(committee, roles=[Role.LEGAL], name="Beto", language="es")
    page.set_viewport_size(LAPTOP)
    sign_in(page, live_server, lawyer.person.user)
    page.goto("/legal/")
    rows = page.locator("tbody tr")
    assert "Esteban" in rows.nth(0).inner_text() and "Tomás" in rows.nth(1).inner_text()
    fits(page)
    page.get_by_role("link", name="Esteban").click()
    page.get_by_label("Beto").check()
    page.get_by_role("button", name="Aceptar", exact=True).click()
    page.get_by_text("Aceptada: el caso está abierto.").wait_for()
    fits(page)
    case = Case.objects.get()
    page.set_viewport_size({"width": 360, "height": 740})
    page.reload()
    assert_fits_phone(page)
    make_hearing(case, place="Corte de Inmigración de Los Ángeles")
    for path in ("/legal/hearings/", "/legal/cases/", "/legal/reports/"):
        page.goto(path)
        assert_fits_phone(page)
        page.set_viewport_size(LAPTOP)
        fits(page)
        page.set_viewport_size({"width": 360, "height": 740})


def test_accompaniers_card_fits_the_phone(phone, live_server, committee):
    page = phone
    lawyer = make_member(committee, roles=[Role.LEGAL], name="Beto")
    from ..factories import make_case

    case = make_case(committee, team=[lawyer], name="Rosa Martínez")
    hearing = make_hearing(case, kind="check_in", place="ICE ERO Los Angeles")
    volunteer = make_accompanier(committee, name="Alma")
    accompaniment = Accompaniment.objects.create(
        hearing=hearing, person=volunteer.person, status="accepted"
    )
    sign_in(page, live_server, volunteer.person.user)
    page.goto(f"/legal/accompany/{accompaniment.pk}/")
    page.get_by_text("ICE ERO Los Angeles").wait_for()
    assert_fits_phone(page)
    assert "Martínez" not in page.content()
