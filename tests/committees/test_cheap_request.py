"""A signed-in request does only what it must: the viewer, its roles and the second
factor in one query, no session write on a read within a minute, and nothing cached
between requests that could keep a removed role or a suspended membership in force."""

import time

from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from committees.models import MembershipRole
from committees.roles import MembershipStatus, Role

from ..factories import make_member


def _queries(client, path):
    with CaptureQueriesContext(connection) as captured:
        response = client.get(path)
    return response, [q["sql"] for q in captured.captured_queries]


def test_a_bare_signed_in_page_makes_three_queries(coordinator, client_for):
    """The session, the user, and the viewer with roles and second factor: the
    `no_committee` page needs nothing else."""
    client = client_for(coordinator)
    client.get(reverse("mfa_index"))  # the session's first request writes its start time
    response, queries = _queries(client, reverse("mfa_index"))
    assert response.status_code == 200
    viewer_queries = [q for q in queries if "committees_membership" in q]
    assert len(viewer_queries) == 1, queries
    assert not [q for q in queries if q.lstrip().upper().startswith(("UPDATE", "INSERT"))]


def test_a_role_removed_counts_on_the_next_request(committee, coordinator, client_for):
    treasurer = make_member(committee, roles=[Role.TREASURER])
    client = client_for(treasurer)
    assert client.get(reverse("bond_fund:dashboard")).status_code == 200
    MembershipRole.objects.filter(membership=treasurer, role=Role.TREASURER).delete()
    assert client.get(reverse("bond_fund:dashboard")).status_code in (403, 404)


def test_a_role_given_counts_on_the_next_request(committee, client_for):
    member = make_member(committee, roles=[Role.RESPONDER], mfa=True)
    client = client_for(member)
    assert client.get(reverse("members:person_list")).status_code in (403, 404)
    MembershipRole.objects.create(membership=member, role=Role.TRAINER)
    assert client.get(reverse("members:person_list")).status_code == 200


def test_a_suspension_counts_on_the_next_request(committee, client_for):
    member = make_member(committee, roles=[Role.TRAINER])
    client = client_for(member)
    assert client.get(reverse("members:person_list")).status_code == 200
    member.status = MembershipStatus.SUSPENDED
    member.save(update_fields=["status"])
    assert client.get(reverse("members:person_list")).status_code in (302, 403, 404)


def test_a_staff_role_given_asks_for_a_second_factor_on_the_next_request(committee, client_for):
    member = make_member(committee, roles=[Role.RESPONDER], mfa=False)
    client = client_for(member)
    assert client.get(reverse("dashboard")).status_code == 200
    MembershipRole.objects.create(membership=member, role=Role.TREASURER)
    response = client.get(reverse("dashboard"))
    assert response.status_code == 302
    assert response["Location"] == reverse("mfa_activate_totp")


def test_the_session_is_not_written_on_a_read_within_a_minute(coordinator, client_for):
    client = client_for(coordinator)
    client.get(reverse("mfa_index"))
    for _ in range(3):
        _, queries = _queries(client, reverse("mfa_index"))
        assert not [q for q in queries if "django_session" in q and "UPDATE" in q.upper()]


def test_the_idle_time_is_written_again_after_a_minute(coordinator, client_for, monkeypatch):
    client = client_for(coordinator)
    client.get(reverse("mfa_index"))
    later = time.time() + 61
    monkeypatch.setattr(time, "time", lambda: later)
    _, queries = _queries(client, reverse("mfa_index"))
    assert [q for q in queries if "django_session" in q and "UPDATE" in q.upper()]


def test_the_content_security_policy_is_on_every_page(coordinator, client_for):
    client = client_for(coordinator)
    for _ in range(2):
        response = client.get(reverse("dashboard"))
        assert "default-src 'self'" in response["Content-Security-Policy"]
        assert "frame-ancestors 'none'" in response["Content-Security-Policy"]


def test_an_audit_row_written_in_a_request_names_its_actor(coordinator, client_for, zone):
    from auditlog.models import LogEntry

    client = client_for(coordinator)
    client.post(reverse("committees:zone_edit", args=[zone.pk]), {"name": "Zona Norte"})
    entry = LogEntry.objects.get_for_object(zone).latest("timestamp")
    assert entry.actor_id == coordinator.person.user.pk
    # Outside a request nothing is attached.
    zone.name = "Zona Sur"
    zone.save()
    assert LogEntry.objects.get_for_object(zone).latest("timestamp").actor_id is None
