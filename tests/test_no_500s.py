"""Issue 11, point 10: inputs that answered with a 500."""

import pytest
from django.test import Client
from django.urls import reverse

from committees.roles import Role

from .factories import make_member
from .trainings.factories import make_training

pytestmark = pytest.mark.django_db


def test_empty_post_to_a_public_training_page_is_a_clear_400(committee):
    training = make_training(committee)
    response = Client(raise_request_exception=False).post(
        reverse("trainings_public:training", args=[committee.slug, training.pk]), {}
    )
    assert response.status_code == 400


@pytest.mark.parametrize("target", ["abc", "abc.def", "//evil.example/", "https://evil.example/"])
def test_language_switch_with_a_bogus_next_goes_home(target):
    response = Client(raise_request_exception=False).post(
        reverse("set_language"), {"language": "es", "next": target}
    )
    assert (response.status_code, response["Location"]) == (302, "/")


def test_registration_link_with_a_non_ascii_signature_is_not_found():
    response = Client(raise_request_exception=False).get("/t/r/1-%C3%A9/")
    assert response.status_code == 404


def test_nul_byte_in_member_and_people_searches_is_ignored(committee, client_for):
    coordinator = make_member(committee, roles=[Role.COORDINATOR])
    client = client_for(coordinator)
    client.raise_request_exception = False
    for url in (reverse("committees:membership_list"), reverse("members:person_list")):
        assert client.get(url, {"q": "\x00"}).status_code in (200, 400), url


def test_compose_with_a_huge_draft_number_is_a_fresh_form(committee, client_for):
    coordinator = make_member(committee, roles=[Role.COORDINATOR])
    client = client_for(coordinator)
    client.raise_request_exception = False
    response = client.get(reverse("notifications:compose"), {"draft": "9" * 25})
    assert response.status_code == 200
