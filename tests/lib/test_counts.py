"""lib.counts: several counts in one round trip, each equal to the queryset's count()."""

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone

from committees.models import Membership
from committees.roles import MembershipStatus
from lib.counts import counts
from members.models import Person

from ..factories import CommitteeFactory, PersonFactory, make_member

pytestmark = pytest.mark.django_db


def test_counts_equal_each_querysets_count_in_one_query(committee):
    other = CommitteeFactory()
    for _ in range(3):
        make_member(committee, with_login=False, status=MembershipStatus.PROBATIONARY)
    make_member(committee, with_login=False)
    make_member(other, with_login=False, status=MembershipStatus.PROBATIONARY)
    PersonFactory(committee=committee, preferred_name="Only a contact")
    querysets = {
        "people": Person.objects.filter(committee=committee),
        "probation": Membership.objects.filter(
            committee=committee, status=MembershipStatus.PROBATIONARY
        ),
        # A join and a date parameter.
        "recent_members": Person.objects.filter(
            membership__committee=committee,
            membership__joined_at__gte=timezone.now() - timedelta(days=1),
        ),
        "none": Person.objects.filter(committee=committee, preferred_name="Nobody"),
    }
    expected = {name: queryset.count() for name, queryset in querysets.items()}
    with CaptureQueriesContext(connection) as captured:
        got = counts(**querysets)
    assert len(captured.captured_queries) == 1
    assert got == expected == {"people": 5, "probation": 3, "recent_members": 4, "none": 0}
    assert counts() == {}
