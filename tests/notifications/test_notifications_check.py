"""`manage.py notifications_check` sends through the configured backend and the outbox."""

from io import StringIO

import pytest
from django.core import mail
from django.core.management import CommandError
from django.core.management import call_command as django_call_command

from notifications.models import Kind, Message, Status

# The command commits its outbox rows and waits for their delivery, as in production.
pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def call_command():
    def call(*args, **kwargs):
        return django_call_command(*args, "--wait", "2", **kwargs)

    return call


def test_check_sends_a_test_sms_through_twilio_and_reports_it(
    open_committee, fake_twilio, call_command
):
    out = StringIO()
    call_command("notifications_check", "--to", "+1 213 555 0199", stdout=out)
    [sent] = fake_twilio.messages_to("+12135550199")
    assert "test message" in sent.body and open_committee.name in sent.body
    message = Message.objects.get()
    assert (message.kind, message.status, message.provider_id) == (
        Kind.CHECK,
        Status.SENT,
        sent.sid,
    )
    assert f"sms message #{message.pk}: sent" in out.getvalue()


def test_check_sends_a_test_email(open_committee, call_command):
    call_command("notifications_check", "--email", "deployer@example.org", stdout=StringIO())
    assert mail.outbox[0].to == ["deployer@example.org"]
    assert "test message" in mail.outbox[0].subject


def test_check_fails_loudly_when_twilio_refuses(open_committee, fake_twilio, call_command):
    fake_twilio.fail("21211", to="+12135550199")
    with pytest.raises(CommandError, match="not sent"):
        call_command("notifications_check", "--to", "+12135550199", stdout=StringIO())


def test_check_refuses_a_number_that_is_not_one(open_committee, call_command):
    with pytest.raises(CommandError, match="E.164|valid"):
        call_command("notifications_check", "--to", "12345", stdout=StringIO())
