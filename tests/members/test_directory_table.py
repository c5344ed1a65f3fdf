"""The directory on a laptop: a table with contact details for those allowed (each view
recorded), sorting, and bulk actions on the people ticked or everyone matching; searches
are POSTed so that a name or phone never lands in a URL."""

from urllib.parse import parse_qs, urlsplit

from django.urls import reverse

from committees.roles import Role
from members.audit import AuditEvent

from ..factories import PersonFactory, make_member

URL = "/people/"


def ids_in(location: str) -> list[int]:
    return [int(pk) for pk in parse_qs(urlsplit(location).query)["people"][0].split(",")]


def test_the_search_form_posts_and_a_searched_name_in_the_url_is_ignored(
    coordinator, client_for, committee
):
    PersonFactory(committee=committee, preferred_name="María Solís")
    PersonFactory(committee=committee, preferred_name="Pedro Paz")
    client = client_for(coordinator)
    page = client.get(URL).content.decode()
    assert 'method="post" class="filters" role="search"' in page
    # An old bookmark with ?q= shows the whole list: searches come by POST only.
    assert client.get(URL, {"q": "maria"}).context["page"].total == 3
    searched = client.post(URL, {"q": "maria"})
    assert [p.preferred_name for p in searched.context["page"]] == ["María Solís"]
    assert searched["Cache-Control"] == "no-store"


def test_the_table_sorts_by_name_language_and_status(coordinator, client_for, committee):
    PersonFactory(committee=committee, preferred_name="Zoe Contact", language="es")
    make_member(committee, roles=[Role.RESPONDER], name="Bea Member")
    client = client_for(coordinator)
    names = lambda response: [p.preferred_name for p in response.context["page"]]  # noqa: E731
    assert names(client.post(URL)) == ["Ana Coordinator", "Bea Member", "Zoe Contact"]
    descending = client.post(URL, {"order": "-name"})
    assert names(descending) == ["Zoe Contact", "Bea Member", "Ana Coordinator"]
    assert (
        'aria-sort="descending"><button type="submit" form="people-filters" '
        'name="order" value="name"' in descending.content.decode()
    )
    assert names(client.post(URL, {"order": "-language"}))[0] == "Zoe Contact"
    assert names(client.post(URL, {"order": "status"}))[-1] == "Zoe Contact"  # contacts last
    # The sort stays when a filter changes (the hidden "sort" field), and an unknown one is
    # the default.
    assert names(client.post(URL, {"sort": "-name", "status": "vetted"})) == [
        "Bea Member",
        "Ana Coordinator",
    ]
    assert names(client.post(URL, {"order": "password"}))[0] == "Ana Coordinator"


def test_the_table_shows_phones_and_emails_and_records_each_person_shown(
    coordinator, client_for, committee
):
    rosa = PersonFactory(committee=committee, preferred_name="Rosa")
    body = client_for(coordinator).get(URL).content.decode()
    assert f'href="tel:{rosa.phone}"' in body and rosa.email in body
    shown = AuditEvent.objects.filter(kind=AuditEvent.Kind.VIEWED_CONTACT)
    assert rosa.pk in set(shown.values_list("person_id", flat=True))
    assert coordinator.person.pk not in set(shown.values_list("person_id", flat=True))


def test_message_the_ticked_people_opens_the_composer_with_their_ids(
    coordinator, client_for, committee, outsider
):
    rosa = PersonFactory(committee=committee, preferred_name="Rosa")
    pedro = PersonFactory(committee=committee, preferred_name="Pedro")
    PersonFactory(committee=committee, preferred_name="Not ticked")
    stranger = PersonFactory(committee=outsider.committee, preferred_name="Stranger")
    client = client_for(coordinator)
    response = client.post(
        reverse("members:person_bulk"),
        {"action": "message", "person": [rosa.pk, pedro.pk, stranger.pk]},
    )
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("notifications:compose"))
    assert sorted(ids_in(response["Location"])) == sorted([rosa.pk, pedro.pk])
    compose = client.get(response["Location"])
    chosen = compose.context["form"].people_filter.qs
    assert sorted(chosen.values_list("preferred_name", flat=True)) == ["Pedro", "Rosa"]


def test_everyone_matching_a_search_goes_on_by_id_never_by_name(coordinator, client_for, committee):
    maria = PersonFactory(committee=committee, preferred_name="María Solís")
    PersonFactory(committee=committee, preferred_name="Pedro Paz")
    client = client_for(coordinator)
    response = client.post(
        reverse("members:person_bulk"), {"action": "message", "scope": "all", "q": "maria"}
    )
    assert "maria" not in response["Location"].lower()
    assert ids_in(response["Location"]) == [maria.pk]
    # Without a search the filters themselves go on (nothing personal in them).
    response = client.post(
        reverse("members:person_bulk"), {"action": "export", "scope": "all", "status": "vetted"}
    )
    assert response["Location"] == reverse("members:export") + "?status=vetted"


def test_export_of_the_ticked_people_asks_for_the_password_and_is_recorded(
    coordinator, client_for, committee
):
    rosa = PersonFactory(committee=committee, preferred_name="Rosa")
    PersonFactory(committee=committee, preferred_name="Pedro")
    client = client_for(coordinator)
    response = client.post(
        reverse("members:person_bulk"), {"action": "export", "person": [rosa.pk]}
    )
    export_url = response["Location"]
    assert export_url == reverse("members:export") + f"?people={rosa.pk}"
    again = client.get(export_url)
    assert again["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": "correct horse battery staple"})
    csv = b"".join(client.get(export_url).streaming_content).decode()
    assert "Rosa" in csv and "Pedro" not in csv
    event = AuditEvent.objects.get(kind=AuditEvent.Kind.EXPORTED)
    assert event.row_count == 1 and event.details == {"people": 1}


def test_nothing_ticked_or_a_role_without_the_right_changes_nothing(
    coordinator, client_for, committee
):
    client = client_for(coordinator)
    response = client.post(reverse("members:person_bulk"), {"action": "message"}, follow=True)
    assert "Tick the people first." in response.content.decode()
    trainer = make_member(committee, roles=[Role.TRAINER])
    refused = client_for(trainer).post(
        reverse("members:person_bulk"), {"action": "export", "scope": "all"}
    )
    assert refused.status_code in (403, 404)
