"""The directory stays fast with many people: a page makes as many queries with
5,000 people as with 10, and shows one page of them. Searches and sorts are POSTed (a
searched name never goes into a URL)."""

from django.urls import reverse

from members.models import Skill
from members.selectors import DIRECTORY_COUNT_LIMIT, DIRECTORY_PAGE_SIZE

from ..factories import ZoneFactory, bulk_people
from ..helpers import count_queries


def test_list_filter_and_search_make_the_same_queries_with_5000_people_as_with_10(
    coordinator, client_for
):
    committee = coordinator.committee
    zones = [ZoneFactory(committee=committee, name=f"Zone {n}") for n in range(1, 4)]
    skills = list(Skill.objects.filter(committee__isnull=True).order_by("slug"))
    client = client_for(coordinator)
    url = reverse("members:person_list")
    pages = {
        "list": {},
        "filtered": {"language": "pt", "zone": zones[0].pk, "skill": skills[0].pk, "day": "1"},
        "search": {"q": "maria"},
        "phone search": {"q": "(323) 555-0007"},
        "sorted by status": {"order": "-status", "page": "2"},
        "sorted by language": {"sort": "language", "zone": zones[1].pk},
        "more filters": {
            "status": "vetted",
            "role": "responder",
            "trained": "know_your_rights",
            "consent": "raid_alerts:sms",
            "part": "evening",
        },
    }

    def fetch_all():
        client.get(url)  # the session's first write of the minute is not the page's
        counts = {}
        for name, params in pages.items():
            queries = count_queries(lambda params=params: client.post(url, params))
            counts[name] = queries
        return counts

    bulk_people(committee, 10, zones=zones, skills=skills)
    fetch_all()  # warm: the filters' markup is cached (zones and skills read once)
    few = fetch_all()
    for params in pages.values():  # every page shows rows, so every prefetch runs
        assert client.post(url, params).context["page"].object_list
    bulk_people(committee, 4990, zones=zones, skills=skills, start=10)
    many = fetch_all()
    assert many == few
    assert max(many.values()) <= 20

    response = client.get(url)
    assert len(response.context["page"].object_list) == DIRECTORY_PAGE_SIZE
    # 5,001 people: counted up to DIRECTORY_COUNT_LIMIT and no further, said so plainly.
    assert response.context["page"].total == DIRECTORY_COUNT_LIMIT == 500
    assert not response.context["page"].total_is_exact
    body = response.content.decode()
    assert "More than 500 people" in body and "Page 1<" in body and 'name="page" value="2"' in body
    searched = client.post(url, {"q": "maria"})  # exactly the limit: still an exact count
    assert searched.context["page"].total == 500 and searched.context["page"].total_is_exact
    assert "500 people" in searched.content.decode()
    assert f"Page 1 of {500 // DIRECTORY_PAGE_SIZE}" in searched.content.decode()
    assert len(searched.context["page"].object_list) == DIRECTORY_PAGE_SIZE
    assert all(p.preferred_name.startswith("María") for p in searched.context["page"])
    by_phone = client.post(url, {"q": "(323) 555-0007"})
    assert [p.preferred_name for p in by_phone.context["page"]] == ["Jorge 00007"]
    last_page = 5001 // DIRECTORY_PAGE_SIZE + 1
    last = client.post(url, {"page": last_page})
    assert len(last.context["page"].object_list) == 1
    assert not last.context["page"].has_next and last.context["page"].has_previous
    previous = f'name="page" value="{last_page - 1}"'
    body = last.content.decode()
    assert previous in body and f'name="page" value="{last_page + 1}"' not in body
    past_the_end = client.post(url, {"q": "maria", "page": 999})  # as Paginator.get_page did
    assert past_the_end.context["page"].number == 500 // DIRECTORY_PAGE_SIZE
    assert len(past_the_end.context["page"].object_list) == DIRECTORY_PAGE_SIZE
