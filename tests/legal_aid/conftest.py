import pytest

from notifications.backends import locmem

# Real workers (the detained-alert latency test) use the notifications tests' fixtures.
from ..notifications.conftest import redis_server, twilio_for_workers  # noqa: F401


@pytest.fixture(autouse=True)
def _empty_sms_outbox():
    locmem.outbox.clear()
    yield
    locmem.outbox.clear()


@pytest.fixture
def open_committee(committee):
    """The committee, with a number and no quiet hours (tests run at every hour)."""
    committee.sms_number = "+12135550100"
    committee.quiet_hours_start = committee.quiet_hours_end = "00:00"
    committee.save()
    return committee
