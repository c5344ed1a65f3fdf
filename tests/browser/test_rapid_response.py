"""Rapid response on a 360 px phone (dispatchers are often on one) and a 1280 px laptop:
a neighbour reports in Spanish; the dispatcher finds it, claims it, confirms it, sees the
one-screen alert and the board; no page scrolls sideways."""

import pytest
from django.test import Client

from committees.access import load_viewer
from rapid_response import services
from rapid_response.models import Incident

from ..factories import ZoneFactory, make_member, make_responder
from .conftest import assert_fits_phone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, user):
    client = Client()
    client.force_login(user)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": live_server.url}]
    )


def test_report_in_spanish_then_dispatch_on_a_phone_and_a_laptop(
    phone, browser, live_server, committee, settings
):
    settings.PUBLIC_FORM_MIN_SECONDS = 0
    committee.quiet_hours_start = committee.quiet_hours_end = "00:00"
    committee.save()
    zone = ZoneFactory(committee=committee, name="Boyle Heights")
    for n in range(3):
        make_responder(committee, [zone], name=f"Responder {n}")
    diego = make_member(committee, roles=["dispatcher"], name="Diego", language="es")
    page = phone

    # The neighbour, on a phone, in Spanish.
    page.goto(f"/report/{committee.slug}/")
    page.get_by_role("button", name="Español").click()
    page.get_by_role("heading", name="Reportar una redada a Eastside Defense").wait_for()
    assert_fits_phone(page)
    page.get_by_label("Zona").select_option(label="Boyle Heights")
    page.get_by_label("Calles que cruzan o un punto de referencia").fill("1234 Soto St")
    page.get_by_label("¿Qué está pasando?").fill("Agentes con chalecos en la parada")
    page.get_by_role("button", name="Enviar reporte").click()
    page.get_by_text("no un número de casa").wait_for()  # a clear message, nothing saved
    assert not Incident.objects.exists()
    page.get_by_label("Calles que cruzan o un punto de referencia").fill("Soto y 1st")
    page.get_by_role("button", name="Enviar reporte").click()
    page.get_by_role("heading", name="Gracias. Recibimos su reporte.").wait_for()
    assert_fits_phone(page)
    incident = Incident.objects.get()

    # The dispatcher, on a phone: inbox, incident, claim, confirm, the alert screen.
    sign_in(page, live_server, diego.person.user)
    page.goto("/dispatch/")
    page.get_by_role("link", name="Boyle Heights").click()
    assert_fits_phone(page)
    page.get_by_role("button", name="Reclamar").click()
    page.get_by_text("Ahora este incidente es suyo.").wait_for()
    page.get_by_label("Nuevo estado").select_option("confirmed")
    page.get_by_role("button", name="Cambiar el estado").click()
    page.get_by_text("3 voluntarios capacitados recibirán esta alerta.").wait_for()
    assert "ALERTA DE REDADA" in page.content() and "RAID ALERT" in page.content()
    assert_fits_phone(page)
    page.get_by_role("button", name="Enviar a 3 voluntarios").click()
    page.get_by_role("heading", name="Tablero de despacho: Boyle Heights").wait_for()
    assert_fits_phone(page)

    # The same board on a laptop.
    laptop = browser.new_context(viewport={"width": 1280, "height": 800}, base_url=live_server.url)
    desk = laptop.new_page()
    sign_in(desk, live_server, diego.person.user)
    alert = incident.alerts.get()
    desk.goto(f"/dispatch/alerts/{alert.pk}/")
    desk.locator("#waiting-h").wait_for()
    overflow = desk.evaluate("document.documentElement.scrollWidth - window.innerWidth")
    assert overflow <= 0
    services.alert_answer(
        alert_id=alert.pk, person_id=alert.recipients.first().person_id, going=True
    )
    desk.locator(".going li").filter(has_text="Responder").first.wait_for(timeout=12_000)
    laptop.close()
    assert load_viewer(diego.person.user).can  # the dispatcher stayed signed in throughout
