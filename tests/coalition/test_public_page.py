"""The committee's public page: no account, English and Spanish, links to the other
parts' public pages (left out when a part is not installed), red cards, and the
volunteer form that puts a probationary prospect in the people directory without
ever changing an existing record."""

import time

import pytest
from django.core import signing
from django.urls import NoReverseMatch, reverse

from coalition.models import NeighbourFact, PublicProfile, VolunteerInterest
from coalition.views import public as public_views
from committees.roles import MembershipStatus
from lib.antibot import FORM_SALT
from members.models import Person

from ..factories import PersonFactory

pytestmark = pytest.mark.django_db


def page_url(committee):
    return reverse("coalition_public:page", kwargs={"committee_slug": committee.slug})


def form(**overrides):
    data = {
        "name": "Lucía",
        "phone": "(213) 555-0177",
        "email": "",
        "language": "es",
        "interests": ["rapid_response", "interpreting"],
        "consent": "on",
        "website": "",
        "started": signing.dumps(int(time.time()) - 30, salt=FORM_SALT),
    }
    data.update(overrides)
    return data


def test_page_says_who_we_are_in_spanish_with_hotline_facts_and_red_cards(committee, anonymous):
    PublicProfile.objects.create(
        committee=committee,
        about_en="We are neighbours.",
        about_es="Somos vecinos y vecinas de Eastside.",
        hotline="+12135550100",
    )
    NeighbourFact.objects.create(
        committee=committee,
        text_en="Immigrants are a third of our farm workers.",
        text_es="Los inmigrantes son un tercio de nuestros trabajadores agrícolas.",
        source="USDA",
        source_url="https://www.ers.usda.gov/",
    )
    anonymous.cookies["defensa_language"] = "es"
    body = anonymous.get(page_url(committee)).content.decode()
    assert "Somos vecinos y vecinas de Eastside." in body
    assert "No está solo" in body
    assert 'href="tel:+12135550100"' in body
    assert "Los inmigrantes son un tercio" in body and "USDA" in body
    red_card = reverse("coalition_public:red_card", kwargs={"committee_slug": committee.slug})
    assert red_card in body
    assert reverse("trainings_public:calendar", kwargs={"committee_slug": committee.slug}) in body

    cards = anonymous.get(red_card).content.decode()
    assert "I do not wish to speak with you" in cards
    assert "Usted tiene derechos constitucionales" in cards
    assert "You have constitutional rights" in cards  # both languages, whatever the page's


def test_a_part_that_is_not_installed_leaves_its_link_out(committee, anonymous, monkeypatch):
    real_reverse = public_views.reverse

    def reverse_without_legal(name, **kwargs):
        if name.startswith("legal_aid_public:"):
            raise NoReverseMatch(name)
        return real_reverse(name, **kwargs)

    monkeypatch.setattr(public_views, "reverse", reverse_without_legal)
    response = anonymous.get(page_url(committee))
    assert response.status_code == 200
    assert response.context["public_links"]["legal"] is None
    assert "Ask for legal help" not in response.content.decode()


def test_volunteer_lands_in_directory_as_probationary_prospect(committee, anonymous):
    response = anonymous.post(page_url(committee), form())
    assert response.status_code == 200
    assert "We received your offer to help" in response.content.decode()
    interest = VolunteerInterest.objects.get()
    person = interest.person
    assert person.committee == committee
    assert person.preferred_name == "Lucía"
    assert person.membership.status == MembershipStatus.PROBATIONARY
    assert interest.interests == ["rapid_response", "interpreting"]
    assert not interest.needs_proof


def test_volunteer_with_a_known_phone_changes_nothing_on_that_record(committee, anonymous):
    rosa = PersonFactory(committee=committee, preferred_name="Rosa", contact__phone="+12135550177")
    before = (rosa.preferred_name, rosa.language, str(rosa.email))

    response = anonymous.post(page_url(committee), form(name="Impostor", language="en"))
    assert response.status_code == 200
    assert "We received your offer to help" in response.content.decode()  # the same answer

    rosa.refresh_from_db()
    assert (rosa.preferred_name, rosa.language, str(rosa.email)) == before
    assert not hasattr(rosa, "membership") or rosa.membership is None
    assert Person.objects.filter(committee=committee).count() == 1
    assert VolunteerInterest.objects.get().needs_proof


def test_bots_and_floods_are_refused_with_nothing_saved(committee, anonymous, settings):
    assert anonymous.post(page_url(committee), form(website="http://spam")).status_code == 400
    too_fast = signing.dumps(int(time.time()), salt=FORM_SALT)
    assert anonymous.post(page_url(committee), form(started=too_fast)).status_code == 400
    assert anonymous.post(page_url(committee), form(started="forged")).status_code == 400
    assert not VolunteerInterest.objects.exists()

    settings.TRAININGS_SIGNUPS_PER_IP_PER_HOUR = 3
    statuses = [
        anonymous.post(page_url(committee), form(phone=f"(213) 555-01{n:02d}")).status_code
        for n in range(5)
    ]
    assert statuses[-1] == 429
    assert VolunteerInterest.objects.count() < 5


def test_bad_input_is_answered_on_the_form_never_a_500(committee, anonymous):
    for bad in (
        form(phone="12", email=""),
        form(interests=["not-a-choice"]),
        form(interests=[]),
        form(consent=""),
        form(name="   "),
        form(language="xx"),
    ):
        response = anonymous.post(page_url(committee), bad)
        assert response.status_code == 400, bad
    assert not VolunteerInterest.objects.exists()
    assert anonymous.get("/c/no-such-committee/").status_code == 404
