"""Impact litigation on a 360 px phone and a 1280 px laptop, in Spanish and English: a
lawyer opens a matter, links an incident, sees a declarant's "consent pending", the
patterns page; axe checks every page on the way."""

import pytest

from committees.roles import Role
from legal_aid.models import Matter

from ..factories import ZoneFactory, make_incident, make_matter, make_member
from .a11y import audit
from .conftest import assert_fits_phone, sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_lawyer_opens_a_matter_and_links_evidence(screen, live_server, committee):
    page = screen
    lawyer = make_member(committee, roles=[Role.LEGAL], name="Beto Abogado", language="es")
    observer = make_member(committee, name="Xóchitl Testigo", language="es")
    zone = ZoneFactory(committee=committee, name="Calle Ñandú")
    incident = make_incident(committee, zone=zone, observer=observer, agencies=["ice", "police"])
    make_matter(committee, team=[lawyer], public_name="Otro asunto", status="filed")
    sign_in_as(page, live_server, lawyer.person.user)

    page.goto("/legal/litigation/")
    page.get_by_role("heading", name="Litigio estratégico").wait_for()
    assert_fits_phone(page)
    audit(page)
    page.get_by_role("link", name="Abrir un asunto").click()
    audit(page)
    page.get_by_label("Nombre que ve el comité").fill("Entradas sin orden")
    page.get_by_label("Tipo de demanda").select_option("warrantless_entry")
    page.get_by_label("Demanda (cifrada)").fill("Cuarta Enmienda")
    page.get_by_role("button", name="Abrir el asunto").click()
    page.get_by_text("El asunto está abierto.").wait_for()
    assert_fits_phone(page)
    audit(page, "opened")
    matter = Matter.objects.get(public_name="Entradas sin orden")

    page.get_by_text("Vincular pruebas").click()
    page.locator("#id_incident_source").select_option(str(incident.pk))
    page.locator("#id_incident_conduct").select_option("warrantless_entry")
    page.locator("form:has(#id_incident_source) button[type=submit]").click()
    page.get_by_text("Vinculado como prueba.").wait_for()
    audit(page, "linked")
    page.get_by_role("button", name="Proponer como declarante").click()
    page.get_by_text("Consentimiento pendiente").first.wait_for()
    assert str(observer.person.phone) not in page.content()
    assert_fits_phone(page)
    audit(page, "declarant proposed")
    page.get_by_role("link", name=f"Declarante #{matter.declarants.get().pk}").click()
    page.get_by_role("heading", name="Registrar una respuesta dada en persona").wait_for()
    assert_fits_phone(page)
    audit(page)

    for language in ("English", "Español"):
        page.goto("/legal/litigation/patterns/")
        if language == "English":
            page.get_by_role("button", name=language).click()
        assert_fits_phone(page)
        audit(page)
        for path in ("/legal/litigation/", f"/legal/litigation/{matter.pk}/"):
            page.goto(path)
            assert_fits_phone(page)
            audit(page)
