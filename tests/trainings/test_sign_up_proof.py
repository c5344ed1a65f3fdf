"""Issue 11, point 3: a public form never writes in someone else's name. A known phone
or email gets only a "was it you?" link; the sign-up waits until its owner follows it."""

import re
from datetime import timedelta

import pytest
from freezegun import freeze_time

from members.consent import ConsentEvent
from members.proofs import ContactProof
from notifications.backends import locmem
from notifications.models import Message
from trainings.models import Registration

from .factories import make_training
from .test_public_sign_up import NOON, form, url

pytestmark = pytest.mark.django_db

OWNER_PHONE = "+12135550142"


@pytest.fixture
def owner(committee):
    from ..factories import PersonFactory

    return PersonFactory(
        committee=committee, preferred_name="Dueña", language="es", contact__phone=OWNER_PHONE
    )


def _link(body: str) -> str:
    path = re.search(r"https://defensa\.example\.org(/confirm/[^/\s]+/)", body).group(1)
    return path


def _sign_up_as_stranger(client, training, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=True):
        return client.post(url(training), form(name="Impostor", phone="(213) 555-0142"))


@freeze_time(NOON)
def test_stranger_typing_a_known_phone_grants_no_consent_and_texts_only_a_proof_request(
    committee, client, owner, django_capture_on_commit_callbacks
):
    training = make_training(committee, capacity=5)
    response = _sign_up_as_stranger(client, training, django_capture_on_commit_callbacks)
    assert response.status_code == 200
    assert not ConsentEvent.objects.filter(person=owner).exists()
    assert not Registration.objects.exists()
    owner.refresh_from_db()
    assert owner.preferred_name == "Dueña"
    assert list(Message.objects.values_list("template", "kind")) == [
        ("contact_proof", "verification")
    ]
    assert [m.to for m in locmem.outbox] == [OWNER_PHONE]
    assert "Impostor" not in locmem.outbox[0].body


@freeze_time(NOON)
def test_owner_following_the_link_completes_the_sign_up_with_their_consent(
    committee, client, owner, django_capture_on_commit_callbacks
):
    training = make_training(committee, capacity=5)
    _sign_up_as_stranger(client, training, django_capture_on_commit_callbacks)
    link = _link(locmem.outbox[0].body)
    # A messaging app's link preview (GET) confirms nothing.
    page = client.get(link)
    assert page.status_code == 200 and page["Cache-Control"].startswith("max-age=0")
    assert not Registration.objects.exists()
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(link).status_code == 200
    registration = Registration.objects.get()
    assert (registration.person, registration.status) == (owner, "registered")
    event = ConsentEvent.objects.get(person=owner)
    assert (event.channel, event.source) == ("sms", "web_form")
    assert "tiene un lugar" in locmem.outbox[-1].body
    # Single use.
    assert client.post(link).status_code == 410
    assert Registration.objects.count() == 1


@freeze_time(NOON)
def test_proof_link_expires(committee, client, owner, django_capture_on_commit_callbacks):
    training = make_training(committee, capacity=5, starts_in=timedelta(days=5))
    _sign_up_as_stranger(client, training, django_capture_on_commit_callbacks)
    link = _link(locmem.outbox[0].body)
    with freeze_time("2026-11-25 20:00:00"):
        assert client.post(link).status_code == 410
    assert not Registration.objects.exists()


@freeze_time(NOON)
def test_typing_a_known_phone_again_and_again_sends_at_most_three_proofs_a_day(
    committee, client, owner, django_capture_on_commit_callbacks
):
    trainings = [make_training(committee, capacity=5) for _n in range(6)]
    for training in trainings:
        _sign_up_as_stranger(client, training, django_capture_on_commit_callbacks)
        _sign_up_as_stranger(client, training, django_capture_on_commit_callbacks)
    assert ContactProof.objects.count() == 3
    assert len(locmem.outbox) == 3
    assert not Registration.objects.exists()
