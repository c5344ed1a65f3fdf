"""Invitations are sent: by email and by SMS through the outbox, in the invitee's
language; the page shows the link once (copy button, QR code), whether it arrived, and
lets a coordinator send a new link or withdraw it; an address that already belongs to a
member is refused with a warning."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from committees.models import Invitation
from committees.roles import Role
from notifications.models import Kind, Message, NumberFlag, Status

from ..factories import PersonFactory, make_member

pytestmark = pytest.mark.django_db

PASSWORD = "a long enough passphrase 42"
LINK = re.compile(r"https://defensa\.example\.org/join/[A-Za-z0-9_-]+/")


@pytest.fixture
def coordinator(open_committee):
    return make_member(open_committee, roles=[Role.COORDINATOR], name="Ana")


def invite(client, **data):
    values = {
        "email": "rosa@example.org",
        "phone": "+12135550177",
        "language": "es",
        "send_by": ["email", "sms"],
        "roles": ["responder"],
    }
    values.update(data)
    return client.post(reverse("committees:invitation_list"), values)


def test_invitation_by_email_and_sms_arrives_in_spanish_and_the_link_works(
    coordinator, client_for, fake_twilio, django_capture_on_commit_callbacks, client
):
    with django_capture_on_commit_callbacks(execute=True):
        response = invite(client_for(coordinator))
    assert response.status_code == 200
    invitation = Invitation.objects.get()
    assert invitation.language == "es" and invitation.send_count == 1

    [email] = mail.outbox
    assert email.to == ["rosa@example.org"]
    assert "le invita" in email.subject or "invita" in email.subject
    assert "Abra este enlace" in email.body
    [sms] = fake_twilio.messages_to("+12135550177")
    assert "invita" in sms.body
    link = LINK.search(sms.body).group(0)
    assert LINK.search(email.body).group(0) == link
    assert set(Message.objects.values_list("kind", "status")) == {(Kind.INVITATION, Status.SENT)}

    # The person opens the link from the text message and creates their account.
    path = link.removeprefix("https://defensa.example.org")
    page = client.get(path, follow=True)
    assert page.status_code == 200
    joined = client.post(
        page.redirect_chain[-1][0],
        {
            "preferred_name": "Rosa",
            "email": "rosa@example.org",
            "language": "es",
            "password1": PASSWORD,
            "password2": PASSWORD,
        },
    )
    assert joined.status_code == 302
    invitation.refresh_from_db()
    assert invitation.used_at is not None


def test_page_shows_the_link_once_with_copy_button_qr_code_and_delivery_status(
    coordinator, client_for, django_capture_on_commit_callbacks
):
    client = client_for(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        page = invite(client, send_by=["email"]).content.decode()
    assert 'data-copy="#invite-link"' in page
    assert '<svg role="img" class="qr"' in page
    assert LINK.search(page)
    later = client.get(reverse("committees:invitation_list")).content.decode()
    assert not LINK.search(later)  # shown only once
    assert "Email: Sent" in later


def test_a_skipped_text_says_why(coordinator, client_for, django_capture_on_commit_callbacks):
    from lib.crypto import lookup_hash

    NumberFlag.objects.create(
        committee=coordinator.committee,
        phone_hash=lookup_hash("+12135550177"),
        kind=NumberFlag.Kind.OPTED_OUT,
        source=NumberFlag.Source.KEYWORD,
    )
    client = client_for(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        invite(client)
    sms = Message.objects.get(channel="sms")
    assert sms.status == Status.SKIPPED
    page = client.get(reverse("committees:invitation_list")).content.decode()
    assert "This number has opted out of texts." in page


def test_resend_sends_a_new_link_and_the_old_one_stops_working(
    coordinator, client_for, django_capture_on_commit_callbacks, client
):
    as_coordinator = client_for(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        invite(as_coordinator, send_by=["email"])
    old_link = LINK.search(mail.outbox[0].body).group(0)
    invitation = Invitation.objects.get()
    with django_capture_on_commit_callbacks(execute=True):
        response = as_coordinator.post(
            reverse("committees:invitation_resend", args=[invitation.pk]), {"send_by": ["email"]}
        )
    assert response.status_code == 200
    assert len(mail.outbox) == 2
    new_link = LINK.search(mail.outbox[1].body).group(0)
    assert new_link != old_link
    old = client.get(old_link.removeprefix("https://defensa.example.org"), follow=True)
    assert old.status_code == 410


def test_revoked_invitation_cannot_be_resent(coordinator, client_for):
    as_coordinator = client_for(coordinator)
    invite(as_coordinator, send_by=[])
    invitation = Invitation.objects.get()
    as_coordinator.post(reverse("committees:invitation_revoke", args=[invitation.pk]))
    as_coordinator.post(reverse("committees:invitation_resend", args=[invitation.pk]))
    assert not Message.objects.exists()


def test_inviting_an_address_that_belongs_to_a_member_warns_and_creates_nothing(
    coordinator, client_for
):
    member = make_member(coordinator.committee, roles=[Role.RESPONDER], name="Lucía")
    member.person.set_contact(email="lucia@example.org")
    member.person.save()
    response = invite(client_for(coordinator), email="Lucia@Example.org", send_by=[])
    assert response.status_code == 400
    assert "already belongs to Lucía, who is a member" in response.content.decode()
    assert not Invitation.objects.exists()


def test_inviting_someone_kept_without_a_login_links_their_record(coordinator, client_for):
    kept = PersonFactory(committee=coordinator.committee, email="marta@example.org")
    kept.set_contact(email="marta@example.org")
    kept.save()
    invite(client_for(coordinator), email="marta@example.org", send_by=[])
    assert Invitation.objects.get().person == kept


def test_sms_without_a_phone_is_a_form_error(coordinator, client_for):
    response = invite(client_for(coordinator), phone="", send_by=["sms"])
    assert response.status_code == 400
    assert not Invitation.objects.exists()


def test_invitation_list_queries_do_not_grow(
    coordinator, client_for, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    client = client_for(coordinator)
    with django_capture_on_commit_callbacks(execute=True):
        for n in range(30):
            invite(client, email=f"p{n}@example.org", phone="")
    with django_assert_max_num_queries(14):
        assert client.get(reverse("committees:invitation_list")).status_code == 200
