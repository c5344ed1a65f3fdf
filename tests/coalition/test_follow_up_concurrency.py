"""Follow-up sweeps running at once (two beat workers, a late one) still remind each
owner once. Needs PostgreSQL's row locks (CI runs on PostgreSQL); on SQLite, which
locks the whole file, the test is skipped with that reason."""

from datetime import date

import pytest
from django.db import connection
from django.utils import timezone

from coalition import services
from coalition.models import FollowUp, Meeting
from committees.roles import Role
from notifications.models import Message

from ..factories import grant_consent, make_member
from ..trainings.test_concurrency import run_at_once

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture(autouse=True)
def _postgresql_only():
    if connection.vendor != "postgresql":
        pytest.skip("needs PostgreSQL row locks (set DATABASE_URL); CI runs it on PostgreSQL")


def test_concurrent_sweeps_remind_each_owner_once(committee):
    owners = [
        make_member(committee, roles=[Role.RESPONDER], name=f"Owner {i}", language="es")
        for i in range(20)
    ]
    meeting = Meeting.objects.create(
        committee=committee, title="Sheriff", held_on=date(2026, 11, 2)
    )
    for owner in owners:
        grant_consent(owner.person)
        FollowUp.objects.create(
            meeting=meeting, text="Send the letter", owner=owner, due_on=timezone.localdate()
        )

    counts = run_at_once([services.follow_ups_remind for _ in range(4)])

    assert sum(counts) == 20
    assert Message.objects.filter(template="coalition_follow_up").count() == 20
    assert not FollowUp.objects.filter(reminded_at__isnull=True).exists()
