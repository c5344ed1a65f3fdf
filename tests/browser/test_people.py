"""An organizer on a phone and on a laptop: search, filter by language and zone, open a
person, add a skill — in English and in Spanish; on the laptop, the table: sort, tick
people and message them."""

import pytest
from playwright.sync_api import expect

from committees.roles import Role
from members.models import Person

from ..factories import PersonFactory, ZoneFactory, make_member
from .a11y import audit
from .conftest import assert_fits_phone, is_phone, sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


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
    zone = page.get_by_role("combobox", name=labels["zone"])
    zone.select_option(label="Zona 3 – Lincoln Heights")
    # The results follow the filters as they change (htmx), and the button works too; the
    # search never goes into the address (it is POSTed).
    rows = page.locator("ul.people > li" if is_phone(page) else ".people-table tbody tr")
    expect(rows).to_have_count(1)
    page.get_by_role("button", name=labels["search_button"]).click()
    expect(page.locator(".htmx-request")).to_have_count(0)
    expect(rows).to_have_count(1)
    assert "maria" not in page.url.lower() and page.url.endswith("/people/")
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
    screen, live_server, committee, neighbourhood
):
    phone = screen
    coordinator = make_member(committee, roles=[Role.COORDINATOR], name="Ana")
    sign_in_as(phone, live_server, coordinator.person.user)

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


def test_organizer_sorts_the_table_ticks_people_and_messages_them_on_a_laptop(
    laptop, live_server, committee, neighbourhood
):
    page = laptop
    coordinator = make_member(committee, roles=[Role.COORDINATOR], name="Ana")
    sign_in_as(page, live_server, coordinator.person.user)
    page.goto("/people/")
    table = page.locator(".people-table")
    assert table.get_by_role("columnheader", name="Phone").is_visible()
    assert not page.locator("ul.people").is_visible()  # the phone's list is not drawn
    audit(page)
    first = table.locator("tbody tr").first.locator(".person-name")
    expect(first).to_have_text("Ana")
    table.get_by_role("button", name="Name").click()
    expect(first).to_have_text("Pedro Paz")
    header = table.get_by_role("columnheader", name="Name")
    assert header.get_attribute("aria-sort") == "descending"
    audit(page, "sorted")

    page.get_by_label("Name, phone or email").fill("maria")  # keeps the sort
    expect(table.locator("tbody tr")).to_have_count(3)
    expect(first).to_have_text("María Otra Zona")
    table.get_by_label("Tick María English").check()
    table.get_by_label("Tick María Fernanda Solís").check()
    table.get_by_role("button", name="Message them").click()
    page.get_by_role("heading", name="New group message").wait_for()
    assert "maria" not in page.url.lower() and "people=" in page.url
    expect(page.locator("#compose-preview")).to_contain_text("2 people")
    audit(page)
