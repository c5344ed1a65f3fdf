"""Issue 11, point 2: an invitee's address and a coordinator's email are not readable in
a copy of the database (invitations, their audit rows, every audit row's actor)."""

from django.db import connection
from django.urls import reverse

from committees.models import Invitation
from lib.crypto import lookup_hash


def _raw(table: str) -> str:
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT * FROM {table}")  # noqa: S608
        return repr(cursor.fetchall())


def test_invitation_address_is_not_in_a_dump_of_invitations_or_their_audit_rows(
    coordinator, client_for
):
    response = client_for(coordinator).post(
        reverse("committees:invitation_list"),
        {"email": "Invitee.Secret@Example.org", "roles": ["responder"]},
    )
    assert response.status_code == 200
    invitation = Invitation.objects.get()
    assert invitation.email == "invitee.secret@example.org"
    assert invitation.email_hash == lookup_hash("invitee.secret@example.org")
    for table in ("committees_invitation", "auditlog_logentry"):
        assert "invitee.secret" not in _raw(table).lower(), table


def test_audit_rows_do_not_copy_the_actors_email(coordinator, client_for, zone):
    actor_email = coordinator.person.user.email
    client = client_for(coordinator)
    response = client.post(
        reverse("committees:zone_edit", args=[zone.pk]), {"name": "Zona 9", "description": ""}
    )
    assert response.status_code == 302
    from auditlog.models import LogEntry

    entry = LogEntry.objects.filter(object_repr="Zona 9").latest("pk")
    assert entry.actor_id == coordinator.person.user.pk
    assert actor_email not in _raw("auditlog_logentry")


def test_invitee_still_joins_with_the_invited_address(coordinator, client_for, anonymous):
    from committees import services
    from committees.access import load_viewer

    _invitation, token = services.invitation_create(
        actor=load_viewer(coordinator.person.user), email="Nueva@Example.org", roles=[]
    )
    anonymous.get(reverse("join", args=[token]))
    page = anonymous.get(reverse("join", args=["open"]))
    assert page.status_code == 200
    assert 'value="nueva@example.org"' in page.content.decode()


def test_raw_invitation_token_is_not_stored_in_django_session(coordinator, anonymous):
    """Issue 11, point 10: the session row keeps the token's hash, never the token."""
    from django.contrib.sessions.models import Session

    from committees import services
    from committees.access import load_viewer

    _invitation, token = services.invitation_create(
        actor=load_viewer(coordinator.person.user), email="nueva@example.org", roles=[]
    )
    anonymous.get(reverse("join", args=[token]))
    assert anonymous.get(reverse("join", args=["open"])).status_code == 200
    assert Session.objects.exists()
    assert token not in repr([s.get_decoded() for s in Session.objects.all()])
