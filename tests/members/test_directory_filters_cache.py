"""The directory's filter markup is cached per committee, language and chosen values:
a zone, skill or language saved or deleted shows at once, the search text is never
cached, an invalid value is never cached, and another committee never sees this one's
zones."""

from django.core.cache import cache
from django.urls import reverse

from committees.access import load_viewer
from committees.roles import Role
from members.filters import filters_fragment_key
from members.models import Skill, SpokenLanguage

from ..factories import CommitteeFactory, ZoneFactory, make_member

URL = reverse("members:person_list")


def filters_part(page: str) -> str:
    return page[page.index('id="people-filters"') : page.index('id="people-results"')]


def test_a_zone_or_skill_saved_or_deleted_shows_at_once(coordinator, client_for, committee):
    client = client_for(coordinator)
    zone = ZoneFactory(committee=committee, name="Zona Norte")
    assert "Zona Norte" in filters_part(client.get(URL).content.decode())
    assert "Zona Norte" in filters_part(client.get(URL).content.decode())  # from the cache
    zone.name = "Zona Sur"
    zone.save()
    part = filters_part(client.get(URL).content.decode())
    assert "Zona Sur" in part and "Zona Norte" not in part
    ZoneFactory(committee=committee, name="Zona Este")
    assert "Zona Este" in filters_part(client.get(URL).content.decode())
    zone.delete()
    assert "Zona Sur" not in filters_part(client.get(URL).content.decode())
    skill = Skill.objects.create(
        committee=committee, slug="cooking", name_en="Cooking", name_es="Cocina"
    )
    assert "Cooking" in filters_part(client.get(URL).content.decode())
    skill.delete()
    assert "Cooking" not in filters_part(client.get(URL).content.decode())
    SpokenLanguage.objects.create(code="zzx", name_en="Zapotec test", name_es="Zapoteco test")
    assert "Zapotec test" in filters_part(client.get(URL).content.decode())


def test_another_committees_zone_change_leaves_this_cache_and_never_shows_here(
    coordinator, client_for, committee
):
    client = client_for(coordinator)
    ZoneFactory(committee=committee, name="Zona Mía")
    client.get(URL)
    other = CommitteeFactory()
    ZoneFactory(committee=other, name="Zona Ajena")
    part = filters_part(client.get(URL).content.decode())
    assert "Zona Mía" in part and "Zona Ajena" not in part
    other_coordinator = make_member(other, roles=[Role.COORDINATOR])
    part = filters_part(client_for(other_coordinator).get(URL).content.decode())
    assert "Zona Ajena" in part and "Zona Mía" not in part


def test_chosen_values_and_language_each_have_their_own_markup(coordinator, client_for, committee):
    client = client_for(coordinator)
    english = filters_part(client.post(URL, {"status": "vetted"}).content.decode())
    assert '<option value="vetted" selected>' in english
    plain = filters_part(client.post(URL, {}).content.decode())
    assert '<option value="vetted" selected>' not in plain
    eva = make_member(committee, roles=[Role.COORDINATOR], name="Eva", language="es")
    spanish = filters_part(client_for(eva).post(URL, {}).content.decode())
    assert "Cualquier idioma" in spanish and "Any language" in plain


def test_the_search_text_and_invalid_values_are_never_cached(coordinator, client_for):
    client = client_for(coordinator)
    viewer = load_viewer(coordinator.person.user)
    page = client.post(URL, {"q": "Secreta Nombre", "status": "vetted"}).content.decode()
    assert 'value="Secreta Nombre"' in page  # the search box shows what was searched
    cached = cache.get(filters_fragment_key(viewer, {"status": "vetted"}, "en"))
    assert cached is not None and "Secreta" not in cached
    # The next page has its own search box, not the earlier one's text.
    assert "Secreta" not in client.post(URL, {"status": "vetted"}).content.decode()
    bad = {"zone": "987654"}
    page = client.post(URL, bad).content.decode()
    assert "errorlist" in page
    assert cache.get(filters_fragment_key(viewer, bad, "en")) is None
