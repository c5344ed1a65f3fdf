"""A text that answers no open question may be claimed by a part that registered
`routing.inbound_fallback` (rapid response: a possible raid report); otherwise, or if the
part fails, it waits in the coordinators' inbox."""

import pytest
from django.test import Client

from notifications import routing
from notifications.models import InboundMessage

from .conftest import inbound_params, signed_post

pytestmark = pytest.mark.django_db


def text(body):
    signed_post(Client(), "/sms/inbound/", inbound_params(from_number="+13105550777", body=body))
    return InboundMessage.objects.order_by("-id").first()


def test_a_fallback_claims_a_text_that_answers_no_question(open_committee, monkeypatch):
    seen = []
    monkeypatch.setattr(routing, "FALLBACKS", [])
    routing.inbound_fallback(lambda inbound: seen.append(inbound.body) or True)
    inbound = text("agents on 4th street")
    assert seen == ["agents on 4th street"]
    assert inbound.outcome == InboundMessage.Outcome.ROUTED and inbound.resolved_at


def test_a_declining_or_failing_fallback_leaves_the_text_for_a_coordinator(
    open_committee, monkeypatch
):
    monkeypatch.setattr(routing, "FALLBACKS", [])

    def failing(inbound):
        InboundMessage.objects.filter(pk=inbound.pk).update(body="changed")
        raise RuntimeError("boom")

    routing.inbound_fallback(lambda inbound: False)
    routing.inbound_fallback(failing)
    inbound = text("who is this?")
    assert inbound.outcome == InboundMessage.Outcome.UNMATCHED
    assert inbound.body == "who is this?"  # the failing part's writes rolled back
