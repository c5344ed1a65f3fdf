"""The roster has a search (names without case or accents) and tap-to-call phones."""

import pytest
from django.urls import reverse

from ..factories import PersonFactory
from .factories import make_training, seat

pytestmark = pytest.mark.django_db


def test_roster_search_finds_names_without_accents_and_phones_are_tap_to_call(
    committee, coordinator, client_for
):
    training = make_training(committee)
    for name in ("José Pérez", "Ana Ruiz", "Josefina Luna"):
        seat(training, PersonFactory(committee=committee, preferred_name=name))
    client = client_for(coordinator)
    url = reverse("trainings:roster", args=[training.pk])
    page = client.get(url, {"q": "jose"}).content.decode()
    assert "José Pérez" in page and "Josefina Luna" in page and "Ana Ruiz" not in page
    assert 'href="tel:+1213555' in page
    assert "No one on the list matches." in client.get(url, {"q": "zzz"}).content.decode()
