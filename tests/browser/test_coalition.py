"""Must show 3, on a 360 px phone (and a 1280 px laptop), in Spanish: the committee's public
page, its links to the report form, legal intake, trainings and pledge page (each part
that is installed), the volunteer form, and the printable red cards. Then an organizer's
coalition screens at 360 px and 1280 px. Every page, ours or the linked ones, passes axe."""

from datetime import date

import pytest
from django.apps import apps

from coalition.models import (
    Agency,
    Commitment,
    CommitmentEvent,
    NeighbourFact,
    Partner,
    PublicProfile,
    VolunteerInterest,
)
from committees.roles import Role

from ..factories import make_member
from .a11y import audit
from .conftest import assert_fits_phone, sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

# Link text on the Spanish page, and the part that serves it.
LINKS = [
    ("Reportar una redada o actividad de ICE", "rapid_response"),
    ("Pedir ayuda legal", "legal_aid"),
    ("Venir a una capacitación", "trainings"),
    ("Comprometerse con el fondo de fianzas", "bond_fund"),
    ("Conozca sus derechos: tarjetas rojas para imprimir", "coalition"),
]


@pytest.fixture
def public_page(committee):
    PublicProfile.objects.create(
        committee=committee,
        about_en="Neighbours defending neighbours.",
        about_es="Vecinos que defienden a sus vecinos.",
        hotline="+12135550100",
    )
    NeighbourFact.objects.create(
        committee=committee,
        text_en="Immigrants are about one in five workers.",
        text_es="Los inmigrantes son cerca de uno de cada cinco trabajadores.",
        source="BLS",
    )
    sheriff = Agency.objects.create(committee=committee, name="Sheriff del condado", kind="sheriff")
    commitment = Commitment.objects.create(
        committee=committee,
        agency=sheriff,
        kind="no_detainers",
        in_writing=True,
        status="broken",
        published=True,
    )
    CommitmentEvent.objects.create(commitment=commitment, status="broken", on=date(2026, 11, 1))
    return committee


def test_public_page_in_spanish_on_a_phone_links_work_and_red_card_prints(
    screen, live_server, public_page
):
    page = screen
    committee = public_page
    page.goto(f"/c/{committee.slug}/")
    page.get_by_role("heading", name="You are not alone").wait_for()
    audit(page)
    page.get_by_role("button", name="Español").click()
    page.get_by_role("heading", name="No está solo").wait_for()
    assert_fits_phone(page)
    audit(page)
    assert page.get_by_text("Vecinos que defienden a sus vecinos.").is_visible()
    hotline = page.get_by_role("link", name="(213) 555-0100")
    assert hotline.get_attribute("href") == "tel:+12135550100"
    assert page.get_by_text("Los inmigrantes son cerca de uno de cada cinco").is_visible()
    scorecard = page.locator(".scorecard")
    assert "Sheriff del condado" in scorecard.inner_text()
    assert "Incumplido" in scorecard.inner_text()

    # Every installed part's link leads to a page that answers and passes axe; a missing
    # part's is left out.
    for text, app in LINKS:
        link = page.get_by_role("link", name=text)
        if not apps.is_installed(app):
            assert link.count() == 0, f"{text}: link shown for a part that is not installed"
            continue
        href = link.get_attribute("href")
        response = page.goto(href)
        assert response.status == 200, f"{text} -> {href}: {response.status}"
        assert page.locator("html").get_attribute("lang") == "es"
        assert_fits_phone(page)
        audit(page)
        page.go_back()
        page.get_by_role("heading", name="No está solo").wait_for()

    # The volunteer form: a person takes a few seconds to fill it in.
    page.get_by_label("Su nombre").fill("Lucía")
    page.get_by_label("Celular").fill("213 555 0142")
    page.get_by_label("Interpretación").check()
    page.get_by_label("Acepto que Eastside Defense").check()
    page.wait_for_timeout(3200)
    page.get_by_role("button", name="Enviar").click()
    page.get_by_text("Recibimos su oferta de ayuda").wait_for()
    assert_fits_phone(page)
    audit(page)
    assert VolunteerInterest.objects.get().interests == ["interpreting"]

    # The red cards, in both languages, and printable without the site's frame.
    page.goto(f"/c/{committee.slug}/know-your-rights/")
    page.get_by_role("heading", name="Conozca sus derechos: tarjetas rojas").wait_for()
    assert_fits_phone(page)
    audit(page)
    assert page.get_by_text("Usted tiene derechos constitucionales").first.is_visible()
    assert page.get_by_text("You have constitutional rights").first.is_visible()
    assert page.get_by_text("I do not wish to speak with you").first.is_visible()
    page.emulate_media(media="print")
    assert not page.locator(".site-header").is_visible()
    assert not page.get_by_role("button", name="Imprimir las tarjetas").is_visible()
    assert page.locator(".red-card").first.is_visible()
    assert page.pdf(format="Letter")[:4] == b"%PDF"


def test_organizer_screens_fit_phone_and_laptop(screen, live_server, committee):
    page = screen
    coordinator = make_member(committee, roles=[Role.COORDINATOR], name="Ana", language="es")
    sheriff = Agency.objects.create(committee=committee, name="Sheriff del condado", kind="sheriff")
    commitment = Commitment.objects.create(
        committee=committee, agency=sheriff, kind="no_287g", status="promised_in_writing"
    )
    CommitmentEvent.objects.create(
        commitment=commitment, status="promised_in_writing", on=date(2026, 10, 1)
    )
    sign_in_as(page, live_server, coordinator.person.user)
    width = page.viewport_size["width"]
    for path in (
        "/coalition/",
        "/coalition/partners/",
        "/coalition/officials/",
        "/coalition/commitments/",
        f"/coalition/commitments/{commitment.pk}/",
        "/coalition/meetings/",
        "/coalition/campaigns/",
        "/coalition/287g/",
        "/coalition/287g/import/",
        "/coalition/public-page/",
    ):
        response = page.goto(path)
        assert response.status == 200, path
        assert page.locator("html").get_attribute("lang") == "es"
        overflow = page.evaluate("document.documentElement.scrollWidth - window.innerWidth")
        assert overflow <= 0, f"{path} is {overflow}px too wide at {width}px"
        audit(page)
    page.goto(f"/coalition/commitments/{commitment.pk}/")
    assert page.get_by_role("heading", name="Historial").is_visible()
    audit(page)

    # The same commitment and the partner list in English.
    page.get_by_role("button", name="English").click()
    page.get_by_role("heading", name="History").wait_for()
    audit(page)
    partner = Partner.objects.create(
        committee=committee, name="Iglesia Dolores", kind="faith", offers=["space"]
    )
    for path in (
        "/coalition/partners/",
        f"/coalition/partners/{partner.pk}/",
        "/coalition/partners/new/",
        f"/coalition/officials/{sheriff.pk}/",
        "/coalition/commitments/new/",
    ):
        response = page.goto(path)
        assert response.status == 200, path
        audit(page)
