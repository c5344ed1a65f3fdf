"""Rapid response on a 360 px phone (dispatchers are often on one) and a 1280 px laptop:
a neighbour reports in Spanish; the dispatcher finds it, claims it, confirms it, sends the
one-screen alert and watches the board fill in; then the same screens in English. No page
scrolls sideways and every page passes axe."""

import pytest

from committees.access import load_viewer
from rapid_response import services
from rapid_response.models import Incident

from ..factories import ZoneFactory, make_member, make_responder
from .a11y import audit
from .conftest import assert_fits_phone, sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_report_in_spanish_then_dispatch_on_a_phone_and_a_laptop(
    screen, live_server, committee, settings
):
    settings.PUBLIC_FORM_MIN_SECONDS = 0
    committee.quiet_hours_start = committee.quiet_hours_end = "00:00"
    committee.save()
    zone = ZoneFactory(committee=committee, name="Boyle Heights")
    for n in range(3):
        make_responder(committee, [zone], name=f"Responder {n}")
    diego = make_member(committee, roles=["dispatcher"], name="Diego", language="es")
    page = screen

    # The neighbour, in English first, then in Spanish.
    page.goto(f"/report/{committee.slug}/")
    page.get_by_role("heading", name="Report a raid to Eastside Defense").wait_for()
    audit(page)
    page.get_by_role("button", name="Español").click()
    page.get_by_role("heading", name="Reportar una redada a Eastside Defense").wait_for()
    assert_fits_phone(page)
    audit(page)
    page.get_by_label("Zona").select_option(label="Boyle Heights")
    page.get_by_label("Calles que cruzan o un punto de referencia").fill("1234 Soto St")
    page.get_by_label("¿Qué está pasando?").fill("Agentes con chalecos en la parada")
    page.get_by_role("button", name="Enviar reporte").click()
    page.get_by_text("no un número de casa").wait_for()  # a clear message, nothing saved
    audit(page, "with an error")
    assert not Incident.objects.exists()
    page.get_by_label("Calles que cruzan o un punto de referencia").fill("Soto y 1st")
    page.get_by_role("button", name="Enviar reporte").click()
    page.get_by_role("heading", name="Gracias. Recibimos su reporte.").wait_for()
    assert_fits_phone(page)
    audit(page)
    incident = Incident.objects.get()

    # The dispatcher, in Spanish: inbox, incident, claim, confirm, the alert screen.
    sign_in_as(page, live_server, diego.person.user)
    page.goto("/dispatch/")
    audit(page)
    page.get_by_role("link", name="Boyle Heights").click()
    page.get_by_role("button", name="Reclamar").wait_for()
    assert_fits_phone(page)
    audit(page)
    page.get_by_role("button", name="Reclamar").click()
    page.get_by_text("Ahora este incidente es suyo.").wait_for()
    audit(page, "claimed")
    page.get_by_label("Nuevo estado").select_option("confirmed")
    page.get_by_role("button", name="Cambiar el estado").click()
    page.get_by_text("3 voluntarios capacitados recibirán esta alerta.").wait_for()
    assert "ALERTA DE REDADA" in page.content() and "RAID ALERT" in page.content()
    assert_fits_phone(page)
    audit(page)
    page.get_by_role("button", name="Enviar a 3 voluntarios").click()
    page.get_by_role("heading", name="Tablero de despacho: Boyle Heights").wait_for()
    assert_fits_phone(page)
    audit(page)

    # The board follows the answers as they come in.
    alert = incident.alerts.get()
    services.alert_answer(
        alert_id=alert.pk, person_id=alert.recipients.first().person_id, going=True
    )
    page.locator(".going li").filter(has_text="Responder").first.wait_for(timeout=12_000)
    assert_fits_phone(page)
    audit(page, "after an answer")

    # The same screens in English.
    page.get_by_role("button", name="English").click()
    page.get_by_role("heading", name="Dispatch board: Boyle Heights").wait_for()
    audit(page)
    page.goto(f"/dispatch/incidents/{incident.pk}/")
    page.get_by_role("heading", name="Reports").wait_for()
    audit(page)
    page.goto("/dispatch/")
    page.get_by_role("heading", name="Open incidents").wait_for()
    audit(page)
    for path, heading in (
        ("/dispatch/new/", "New report from a call"),
        ("/dispatch/shifts/", "Dispatchers on call"),
        ("/dispatch/reports/", "Rapid response reports"),
    ):
        page.goto(path)
        page.get_by_role("heading", name=heading).wait_for()
        assert_fits_phone(page)
        audit(page)
    assert load_viewer(diego.person.user).can  # the dispatcher stayed signed in throughout
