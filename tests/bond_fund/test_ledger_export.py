"""The accountant's CSV: treasurers and coordinators, after their password again, audited,
every cell safe from formula injection, debits and credits that balance."""

import csv
import io

import pytest
from django.urls import reverse

from bond_fund import services
from members.audit import AuditEvent

from ..factories import fund_money_in

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery staple"


def read_csv(response):
    text = b"".join(response.streaming_content).decode("utf-8")
    assert text.startswith("\ufeff")
    return list(csv.reader(io.StringIO(text[1:])))


def test_export_needs_reauthentication_is_audited_and_neutralised(
    committee, treasurer, client_for, viewer_of
):
    actor = viewer_of(treasurer)
    pledge = fund_money_in(actor, committee, 300_00, key="in")
    services.payment_record(
        actor=actor,
        pledge=pledge,
        amount_cents=50_00,
        method="check",
        idempotency_key="x",
        reference='=HYPERLINK("http://evil")',
    )
    client = client_for(treasurer)
    url = reverse("bond_fund:ledger_export")
    response = client.get(url)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_reauthenticate"))
    assert not AuditEvent.objects.filter(kind="bond_fund.ledger_exported").exists()

    assert client.post(reverse("account_reauthenticate"), {"password": PASSWORD}).status_code == 302
    response = client.get(url)
    assert response.status_code == 200 and response["Cache-Control"] == "no-store"
    rows = read_csv(response)
    assert rows[0][0] == "Transaction"
    body = rows[1:]
    assert len(body) == 4  # two payments, two entries each
    debits = sum(float(r[4] or 0) for r in body)
    credits = sum(float(r[5] or 0) for r in body)
    assert debits == credits == 350.0
    assert all(not cell.startswith(("=", "+", "-", "@")) for row in rows for cell in row)
    event = AuditEvent.objects.get(kind="bond_fund.ledger_exported")
    assert (event.actor, event.row_count) == (treasurer.person, 4)


def test_legal_team_may_not_export(legal_member, client_for):
    response = client_for(legal_member).get(reverse("bond_fund:ledger_export"))
    assert response.status_code == 403
