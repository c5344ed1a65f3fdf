"""message_queue and message_queue_many choose the channel by consent: SMS if the person
agreed to texts for this purpose, else email if they agreed to email, for every app."""

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from members.consent import Channel, ConsentSource, Purpose, consent_record
from notifications import services
from notifications.models import Status

from ..factories import PersonFactory


def agree(person, purpose, channel, granted=True):
    consent_record(
        person=person,
        purpose=purpose,
        channel=channel,
        granted=granted,
        wording="ok",
        language="es",
        source=ConsentSource.WEB_FORM,
    )


def queue(person, purpose=Purpose.REMINDERS, key="k", **kwargs):
    with transaction.atomic():
        return services.message_queue(
            person=person, purpose=purpose, template="check", idempotency_key=key, **kwargs
        )


def queue_many(people, purpose=Purpose.REMINDERS):
    with transaction.atomic():
        return services.message_queue_many(
            purpose=purpose,
            template="check",
            recipients=[
                services.Recipient(person=p, idempotency_key=f"many:{p.pk}") for p in people
            ],
        )


@pytest.fixture
def people(committee):
    """Four people, each with a phone and an email, who answered differently."""
    texts, emails, texts_for_alerts_only, nothing = (
        PersonFactory(committee=committee) for _ in range(4)
    )
    agree(texts, Purpose.REMINDERS, Channel.SMS)
    agree(texts, Purpose.REMINDERS, Channel.EMAIL)
    agree(emails, Purpose.REMINDERS, Channel.SMS, granted=False)
    agree(emails, Purpose.REMINDERS, Channel.EMAIL)
    agree(texts_for_alerts_only, Purpose.RAID_ALERTS, Channel.SMS)
    agree(texts_for_alerts_only, Purpose.REMINDERS, Channel.EMAIL)
    return {
        "texts": texts,
        "emails": emails,
        "texts_for_alerts_only": texts_for_alerts_only,
        "nothing": nothing,
    }


EXPECTED = {
    # who: (channel, status)
    "texts": (Channel.SMS, Status.QUEUED),
    "emails": (Channel.EMAIL, Status.QUEUED),
    "texts_for_alerts_only": (Channel.EMAIL, Status.QUEUED),
    # No consent on any channel: written as skipped, with the reason, on their phone.
    "nothing": (Channel.SMS, Status.SKIPPED),
}


def test_one_message_goes_by_sms_if_they_agreed_to_texts_for_the_purpose_else_by_email(
    open_committee, people
):
    for who, person in people.items():
        message = queue(person, key=who)
        assert (message.channel, message.status) == EXPECTED[who], who
        expected_address = str(person.phone) if message.channel == Channel.SMS else person.email
        assert message.to_address == expected_address
    assert queue(people["nothing"], key="nothing").status_reason == "no consent"


def test_many_messages_choose_each_persons_channel_the_same_way(open_committee, people):
    messages = {m.person_id: m for m in queue_many(list(people.values()))}
    for who, person in people.items():
        message = messages[person.pk]
        assert (message.channel, message.status) == EXPECTED[who], who


def test_the_purpose_decides_texts_for_raid_alerts_do_not_allow_reminder_texts(
    open_committee, people
):
    person = people["texts_for_alerts_only"]
    assert queue(person, purpose=Purpose.RAID_ALERTS, key="alert").channel == Channel.SMS
    assert queue(person, purpose=Purpose.REMINDERS, key="reminder").channel == Channel.EMAIL


def test_a_channel_given_by_the_caller_is_kept_even_without_consent(open_committee, people):
    message = queue(people["emails"], channel=Channel.SMS)
    assert message.channel == Channel.SMS
    assert message.status == Status.SKIPPED
    assert message.status_reason == "no consent"


def test_a_person_without_a_phone_who_agreed_to_texts_gets_email_if_agreed(open_committee):
    person = PersonFactory(committee=open_committee, contact__phone="")
    agree(person, Purpose.REMINDERS, Channel.SMS)
    agree(person, Purpose.REMINDERS, Channel.EMAIL)
    assert queue(person).channel == Channel.EMAIL


def test_channel_choose_can_be_limited_to_some_channels(open_committee, people):
    person = people["texts"]
    choose = services.channel_choose
    assert choose(person=person, purpose=Purpose.REMINDERS) == Channel.SMS
    assert choose(person=person, purpose=Purpose.REMINDERS, channels=[Channel.EMAIL]) == (
        Channel.EMAIL
    )
    assert (
        choose(person=people["emails"], purpose=Purpose.REMINDERS, channels=[Channel.SMS]) is None
    )


def test_consent_is_read_once_to_choose_the_channel_and_check_it(open_committee, people):
    with CaptureQueriesContext(connection) as queries:
        queue(people["texts"], key="count")
    assert sum("members_consent" in q["sql"] for q in queries.captured_queries) == 1
