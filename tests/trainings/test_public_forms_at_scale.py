"""Issue 11, point 4: one anti-bot stamp, one sign-up; limits per training and per block
of numbers; only the countries the committee texts; contacts made here are searchable."""

import pytest
from django.test import Client
from freezegun import freeze_time

from members.models import Person
from members.text import search_key
from notifications.backends import locmem
from notifications.models import Message
from trainings.models import Registration

from .factories import make_training
from .test_public_sign_up import NOON, form, url

pytestmark = pytest.mark.django_db


def _visitor(n: int) -> Client:
    return Client(REMOTE_ADDR=f"198.51.{n // 250}.{n % 250 + 1}")


@freeze_time(NOON)
def test_one_anti_bot_stamp_replayed_48_times_makes_one_sign_up(committee, client):
    training = make_training(committee, capacity=100)
    replayed = form()
    for n in range(48):
        client.post(url(training), {**replayed, "phone": f"213 555 {n + 10:02d}00"})
    assert Registration.objects.count() == 1
    assert Person.objects.count() == 1


@freeze_time(NOON)
def test_48_sign_ups_from_many_addresses_cannot_fill_a_training_and_its_waitlist(
    committee, settings
):
    settings.TRAININGS_SIGNUPS_PER_TRAINING_PER_HOUR = 20
    training = make_training(committee, capacity=10)
    for n in range(48):
        _visitor(n).post(url(training), form(phone=f"213 555 {n + 10:02d}00"))
    assert Registration.objects.filter(training=training).count() == 20
    assert Registration.objects.filter(status="registered").count() == 10


@freeze_time(NOON)
@pytest.mark.parametrize("number", ["+44 7911 123456", "+882 16 1234 5678", "+7 912 345 6789",
                                    "+234 802 123 4567"])  # fmt: skip
def test_sms_pumping_numbers_abroad_are_refused_and_never_texted(committee, client, number):
    training = make_training(committee, capacity=10)
    response = client.post(url(training), form(phone=number))
    assert response.status_code == 400
    assert "We cannot send text messages to this country" in response.content.decode()
    assert not Person.objects.exists() and not Message.objects.exists()
    assert locmem.outbox == []


@freeze_time(NOON)
def test_a_committee_that_texts_mexico_accepts_a_mexican_number(committee, client):
    committee.sms_countries = ["US", "MX"]
    committee.save()
    training = make_training(committee, capacity=10)
    assert client.post(url(training), form(phone="+52 55 1234 5678")).status_code == 200
    assert Registration.objects.count() == 1


@freeze_time(NOON)
def test_consecutive_numbers_of_one_block_are_limited(committee):
    training = make_training(committee, capacity=100)
    for n in range(10):
        _visitor(n).post(url(training), form(phone=f"213 555 01{n:02d}"))
    assert Registration.objects.count() == 3


@freeze_time(NOON)
def test_contact_made_by_the_public_form_is_found_by_name_search(committee, client):
    training = make_training(committee, capacity=10)
    client.post(url(training), form(name="José Núñez", phone="213 555 0177"))
    person = Person.objects.get()
    assert person.search_name == search_key("José Núñez")
    assert Person.objects.filter(search_name__contains="jose nunez").exists()


def test_outbox_skips_a_text_to_a_country_the_committee_does_not_text(committee):
    from notifications.models import Kind
    from notifications.services import message_queue_to_number

    message = message_queue_to_number(
        committee=committee,
        to="+447700900123",
        language="en",
        template="check",
        idempotency_key="abroad",
        kind=Kind.CHECK,
    )
    assert (message.status, message.status_reason) == (
        "skipped",
        "a country the committee does not text",
    )
