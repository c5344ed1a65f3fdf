"""The main menu: each role sees its own pages, in its own language."""

from django.urls import reverse

from committees.roles import Role

from ..factories import make_member


def menu(client):
    html = client.get(reverse("dashboard")).content.decode()
    return html[html.index('<nav class="site-nav"') : html.index("</nav>")]


def test_menu_follows_the_role_and_the_language(coordinator, client_for):
    member = make_member(coordinator.committee, roles=[Role.MEMBER])
    as_coordinator, as_member = client_for(coordinator), client_for(member)
    nav = menu(as_coordinator)
    for url in ("members:person_list", "committees:membership_list", "notifications:inbox"):
        assert f'href="{reverse(url)}"' in nav
    nav = menu(as_member)
    assert f'href="{reverse("trainings:list")}"' in nav
    assert reverse("members:person_list") not in nav
    assert reverse("notifications:message_list") not in nav
    as_coordinator.post(reverse("set_language"), {"language": "es", "next": "/"})
    nav = menu(as_coordinator)
    assert ">Personas<" in nav and ">People<" not in nav
    assert ">Trainings<" in menu(as_member)  # still English for the member


def test_menu_marks_the_current_page_and_its_section(coordinator, client_for):
    client = client_for(coordinator)
    people = reverse("members:person_list")
    html = client.get(people).content.decode()
    nav = html[html.index('<nav class="site-nav"') : html.index("</nav>")]
    assert f'<a href="{people}" aria-current="page">' in nav
    assert nav.count('aria-current="page"') == 1
    html = client.get(reverse("members:person_create")).content.decode()
    nav = html[html.index('<nav class="site-nav"') : html.index("</nav>")]
    assert f'<a href="{people}" class="in-section">' in nav
    assert 'aria-current="page"' not in nav


def test_only_the_closest_section_is_marked(legal_member, client_for):
    """A page under two entries (Legal aid at /legal/, Litigation at /legal/litigation/)
    marks only the closer one."""
    client = client_for(legal_member)
    matters = reverse("legal_aid:matters")
    html = client.get(reverse("legal_aid:patterns")).content.decode()
    nav = html[html.index('<nav class="site-nav"') : html.index("</nav>")]
    assert nav.count('class="in-section"') == 1
    assert f'<a href="{matters}" class="in-section">' in nav
    assert 'aria-current="page"' not in nav
