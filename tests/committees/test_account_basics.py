"""Account basics: a change-password link on the profile, and allauth's emails written
in the committee's name and the person's language (never "Hello from 127.0.0.1")."""

import pytest
from django.core import mail
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_profile_links_to_change_password(vetted_member, client_for):
    page = client_for(vetted_member).get(reverse("profile:detail")).content.decode()
    assert reverse("account_change_password") in page
    assert client_for(vetted_member).get(reverse("account_change_password")).status_code == 200


def test_password_reset_email_is_in_the_committees_name_and_the_persons_language(
    committee, probationary_member, client
):
    user = probationary_member.person.user
    user.language = "es"
    user.save()
    response = client.post(reverse("account_reset_password"), {"email": user.email})
    assert response.status_code == 302
    [email] = mail.outbox
    assert email.subject.startswith("[Eastside Defense]")
    assert "Hello from" not in email.body and "testserver" not in email.body.split("http")[0]
    assert "— Eastside Defense" in email.body
    assert "Hola" in email.body
    assert "no se leen" in email.body  # no "reply to this email" from a no-reply sender


def test_an_address_without_an_account_gets_a_neutral_sender(committee, client, settings):
    settings.ACCOUNT_EMAIL_UNKNOWN_ACCOUNTS = True
    client.post(reverse("account_reset_password"), {"email": "nobody@example.org"})
    assert mail.outbox
    for email in mail.outbox:
        assert email.subject.startswith("[Defensa]")
        assert "Hello from" not in email.body
