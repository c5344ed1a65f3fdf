"""Rapid-response test helpers: a committee with a number and no quiet hours, a zone
with trained responders, and incidents in a given state."""

import pytest
from django.utils import timezone

from committees.access import load_viewer
from notifications.backends import locmem

from ..factories import ZoneFactory
from ..notifications.conftest import redis_server, twilio_for_workers  # noqa: F401

COMMITTEE_NUMBER = "+12135550100"


@pytest.fixture(autouse=True)
def _empty_outbox():
    locmem.outbox.clear()
    yield
    locmem.outbox.clear()


@pytest.fixture
def open_committee(committee):
    committee.sms_number = COMMITTEE_NUMBER
    committee.quiet_hours_start = committee.quiet_hours_end = "00:00"
    committee.save()
    return committee


@pytest.fixture
def night_committee(committee):
    """Quiet hours all day long but one minute: urgent alerts must ignore them."""
    committee.sms_number = COMMITTEE_NUMBER
    now = timezone.localtime(timezone.now())
    committee.quiet_hours_start = (now - timezone.timedelta(hours=1)).time().replace(second=0)
    committee.quiet_hours_end = (now + timezone.timedelta(hours=1)).time().replace(second=0)
    committee.save()
    return committee


@pytest.fixture
def zone3(committee):
    return ZoneFactory(committee=committee, name="Zone 3")


@pytest.fixture
def viewer_of():
    return lambda membership: load_viewer(membership.person.user)


def sent_to(person) -> list[str]:
    """Bodies the locmem backend sent to this person's phone."""
    return [m.body for m in locmem.outbox if m.to == str(person.phone)]
