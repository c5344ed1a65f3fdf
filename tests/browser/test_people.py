"""An organizer on a phone: search, filter by language and zone, open a person, add a
skill — in English and in Spanish."""

import pytest
from django.conf import settings
from django.test import Client
from playwright.sync_api import expect

from committees.roles import Role
from members.models import Person

from ..factories import PersonFactory, ZoneFactory, make_member
from .a11y import audit
from .conftest import assert_fits_phone

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def sign_in(page, live_server, membership):
    client = Client()
    client.force_login(membership.person.user)
    page.context.add_cookies(
        [
            {
                "name": settings.SESSION_COOKIE_NAME,
                "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
                "url": live_server.url,
            }
        ]
    )


@pytest.fixture
def neighbourhood(committee):
    zone_3 = ZoneFactory(committee=committee, name="Zona 3 – Lincoln Heights")
    zone_1 = ZoneFactory(committee=committee, name="Zona 1 – Boyle Heights")
    people = {
        "María Fernanda Solís": ("es", zone_3),
        "María English": ("en", zone_3),
        "María Otra Zona": ("es", zone_1),
        "Mariela Solís": ("es", zone_3),
        "Pedro Paz": ("es", zone_3),
    }
    for name, (language, zone) in people.items():
        PersonFactory(committee=committee, preferred_name=name, language=language).zones.add(zone)
    return zone_3


def search_filter_open_and_add_skill(page, labels, person_name, skill_label):
    page.goto("/people/")
    audit(page)
    page.get_by_label(labels["search"]).fill("maria")
    page.get_by_label(labels["speaks"]).select_option(label=labels["language"])
    page.get_by_label(labels["zone"], exact=False).select_option(label="Zona 3 – Lincoln Heights")
    # The results follow the filters as they change (htmx), and the button works too.
    expect(page.locator("ul.people > li")).to_have_count(1)
    assert "zone=" in page.url
    page.get_by_role("button", name=labels["search_button"]).click()
    expect(page.locator(".htmx-request")).to_have_count(0)
    expect(page.locator("ul.people > li")).to_have_count(1)
    assert_fits_phone(page)
    audit(page, "filtered")

    page.get_by_role("link", name=person_name).click()
    page.get_by_role("heading", name=person_name).wait_for()
    assert_fits_phone(page)
    audit(page)
    page.get_by_role("link", name=labels["edit"], exact=True).click()
    page.get_by_label(skill_label).check()
    assert_fits_phone(page)
    audit(page)
    page.get_by_role("button", name=labels["save"]).click()
    page.get_by_role("heading", name=person_name).wait_for()
    assert page.locator(".facts").get_by_text(skill_label).is_visible()
    assert_fits_phone(page)
    audit(page)


def test_organizer_finds_filters_opens_and_edits_a_person_in_english_and_spanish(
    phone, live_server, committee, neighbourhood
):
    coordinator = make_member(committee, roles=[Role.COORDINATOR], name="Ana")
    sign_in(phone, live_server, coordinator)

    search_filter_open_and_add_skill(
        phone,
        {
            "search": "Name, phone or email",
            "speaks": "Speaks",
            "language": "Spanish",
            "zone": "Zone",
            "search_button": "Search",
            "edit": "Edit",
            "save": "Save",
        },
        "María Fernanda Solís",
        "Interpreter (spoken)",
    )
    maria = Person.objects.get(preferred_name="María Fernanda Solís")
    assert [s.slug for s in maria.skills.all()] == ["interpreter"]

    phone.get_by_role("button", name="Español").click()
    phone.get_by_role("heading", name="María Fernanda Solís").wait_for()
    assert phone.locator("html").get_attribute("lang") == "es"
    search_filter_open_and_add_skill(
        phone,
        {
            "search": "Nombre, teléfono o correo",
            "speaks": "Habla",
            "language": "Español",
            "zone": "Zona",
            "search_button": "Buscar",
            "edit": "Editar",
            "save": "Guardar",
        },
        "María Fernanda Solís",
        "Conductor(a)",
    )
    assert sorted(s.slug for s in maria.skills.all()) == ["driver", "interpreter"]
