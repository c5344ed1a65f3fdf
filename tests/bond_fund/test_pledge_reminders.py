"""Must show 5 (first half): a pledger is reminded in their language before the due
date, and once after it if still unpaid; not after they paid, and not without consent."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time

from bond_fund import services
from notifications.models import Message

from ..factories import PersonFactory, donor

pytestmark = pytest.mark.django_db

LA = ZoneInfo("America/Los_Angeles")
DUE = date(2026, 12, 15)


def pledge_for(committee, person, cents=250_00):
    return services.pledge_create(
        committee=committee, person=person, amount_cents=cents, due_on=DUE, source="treasurer"
    )


def sweep(on: date):
    with freeze_time(datetime(on.year, on.month, on.day, 17, 0, tzinfo=LA)):
        return services.pledge_reminders_send()


def reminders_to(person):
    return list(Message.objects.filter(person=person).order_by("id"))


def test_pledger_is_reminded_in_their_language_before_the_due_date(committee):
    rosa, james = donor(committee, language="es"), donor(committee, language="en")
    pledge_for(committee, rosa)
    pledge_for(committee, james)
    sweep(DUE - timedelta(days=5))  # too early
    assert reminders_to(rosa) == []
    sweep(DUE - timedelta(days=2))
    sweep(DUE - timedelta(days=1))  # a second sweep sends nothing more
    [to_rosa], [to_james] = reminders_to(rosa), reminders_to(james)
    assert (to_rosa.template, to_rosa.language) == ("bond_fund_pledge_due", "es")
    assert (to_james.template, to_james.language) == ("bond_fund_pledge_due", "en")
    assert "$250.00" in to_rosa.body and "$250.00" in to_james.body
    assert "vence" in to_rosa.body
    assert "is due" in to_james.body
    assert to_rosa.status != "skipped"


def test_no_reminder_after_they_paid(committee, treasurer, viewer_of):
    rosa = donor(committee, language="es")
    pledge = pledge_for(committee, rosa)
    services.payment_record(
        actor=viewer_of(treasurer),
        pledge=pledge,
        amount_cents=250_00,
        method="cash",
        idempotency_key="p",
    )
    Message.objects.filter(person=rosa).delete()  # the receipt
    sweep(DUE - timedelta(days=2))
    sweep(DUE + timedelta(days=4))
    assert reminders_to(rosa) == []


def test_an_unpaid_pledge_is_reminded_once_after_the_due_date(committee):
    rosa = donor(committee, language="es")
    pledge_for(committee, rosa)
    sweep(DUE + timedelta(days=4))
    sweep(DUE + timedelta(days=9))
    overdue = [m for m in reminders_to(rosa) if m.template == "bond_fund_pledge_overdue"]
    assert len(overdue) == 1


def test_without_fundraising_consent_the_reminder_is_skipped(committee):
    silent = PersonFactory(committee=committee)
    pledge_for(committee, silent)
    sweep(DUE - timedelta(days=2))
    [message] = reminders_to(silent)
    assert message.status == "skipped"


def test_a_partly_paid_pledge_is_reminded_of_what_is_left(committee, treasurer, viewer_of):
    rosa = donor(committee, language="en")
    pledge = pledge_for(committee, rosa)
    services.payment_record(
        actor=viewer_of(treasurer),
        pledge=pledge,
        amount_cents=100_00,
        method="cash",
        idempotency_key="p",
    )
    sweep(DUE - timedelta(days=2))
    [reminder] = [m for m in reminders_to(rosa) if m.template == "bond_fund_pledge_due"]
    assert "$150.00" in reminder.body
