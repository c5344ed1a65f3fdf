"""Every email sent for a purpose has a link that stops that purpose by email, and no
email says "reply to this email" (the sender is a no-reply address)."""

import re

import pytest
from django.core import mail
from django.urls import reverse

from members.consent import Channel, ConsentEvent, Purpose, may_contact
from notifications.services import message_queue

from .conftest import consenting_person

pytestmark = pytest.mark.django_db

LINK = re.compile(r"https://defensa\.example\.org(/stop/[\w-]+/)")


def test_email_has_an_unsubscribe_link_for_its_purpose_that_withdraws_only_that(
    open_committee, client, django_capture_on_commit_callbacks
):
    person = consenting_person(
        open_committee, language="en", purposes=(Purpose.REMINDERS, Purpose.NEWS)
    )
    with django_capture_on_commit_callbacks(execute=True):
        message_queue(
            person=person,
            purpose=Purpose.NEWS,
            template="broadcast",
            idempotency_key="news-1",
            context={"text": "Meeting on Friday."},
            channel=Channel.EMAIL,
        )
    [email] = mail.outbox
    assert "reply to this email" not in email.body
    assert "replies to it are not read" in email.body
    assert "To stop emails about “General news”" in email.body
    path = LINK.search(email.body).group(1)
    assert email.extra_headers["List-Unsubscribe"].endswith(path + ">")

    page = client.get(path)
    assert page.status_code == 200 and "will stop emailing you" in page.content.decode()
    assert may_contact(person=person, purpose=Purpose.NEWS, channel=Channel.EMAIL)
    done = client.post(path)
    assert "will not email you about" in done.content.decode()
    assert not may_contact(person=person, purpose=Purpose.NEWS, channel=Channel.EMAIL)
    assert may_contact(person=person, purpose=Purpose.NEWS, channel=Channel.SMS)
    assert may_contact(person=person, purpose=Purpose.REMINDERS, channel=Channel.EMAIL)
    withdrawal = ConsentEvent.objects.get(person=person, granted=False)
    assert withdrawal.purpose == Purpose.NEWS and withdrawal.channel == Channel.EMAIL


def test_a_forged_unsubscribe_link_is_a_404(client):
    assert client.get(reverse("unsubscribe", args=["1-forged"])).status_code == 404
    assert client.post(reverse("unsubscribe", args=["zzz"])).status_code == 404
