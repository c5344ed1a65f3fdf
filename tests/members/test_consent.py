from members.consent import (
    Channel,
    ConsentEvent,
    ConsentSource,
    Purpose,
    consent_map,
    consent_record,
    may_contact,
    with_consent,
)
from members.models import Person

from ..factories import PersonFactory

WORDING = "Can we text you reminders? Reply STOP to stop."


def grant(person, purpose, channel=Channel.SMS, granted=True):
    return consent_record(
        person=person,
        purpose=purpose,
        channel=channel,
        granted=granted,
        wording=WORDING,
        language="en",
        source=ConsentSource.WEB_FORM,
    )


def test_no_consent_means_no_contact(committee):
    person = PersonFactory(committee=committee)
    assert not may_contact(person=person, purpose=Purpose.REMINDERS, channel=Channel.SMS)


def test_withdrawal_for_one_purpose_leaves_the_others(committee):
    person = PersonFactory(committee=committee)
    grant(person, Purpose.REMINDERS)
    grant(person, Purpose.RAID_ALERTS)
    grant(person, Purpose.REMINDERS, granted=False)
    assert not may_contact(person=person, purpose=Purpose.REMINDERS, channel=Channel.SMS)
    assert may_contact(person=person, purpose=Purpose.RAID_ALERTS, channel=Channel.SMS)
    assert not may_contact(person=person, purpose=Purpose.RAID_ALERTS, channel=Channel.EMAIL)
    # Every event is kept, with its wording.
    events = ConsentEvent.objects.filter(person=person)
    assert events.count() == 3
    assert set(events.values_list("wording", flat=True)) == {WORDING}
    assert consent_map(person=person) == {
        ("reminders", "sms"): False,
        ("raid_alerts", "sms"): True,
    }


def test_with_consent_filters_a_queryset(committee):
    yes, no, never = (PersonFactory(committee=committee) for _ in range(3))
    grant(yes, Purpose.NEWS)
    grant(no, Purpose.NEWS, granted=False)
    people = with_consent(Person.objects.all(), purpose=Purpose.NEWS, channel=Channel.SMS)
    assert list(people) == [yes]
