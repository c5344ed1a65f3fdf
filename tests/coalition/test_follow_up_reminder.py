"""Must show 4: a meeting's follow-up reminds its owner once, in their language; and
partner pledges remind whoever renews them a month before they expire."""

from datetime import date, timedelta

import pytest
from django.utils import timezone

from coalition import services, tasks
from coalition.models import FollowUp, Meeting, PartnerPledge
from committees.roles import Role
from notifications.models import Message

from ..factories import PartnerFactory, grant_consent, make_member

pytestmark = pytest.mark.django_db


@pytest.fixture
def owner(committee):
    membership = make_member(committee, roles=[Role.RESPONDER], name="Rosa", language="es")
    grant_consent(membership.person)
    return membership


def meeting_with_follow_up(committee, owner, due_on):
    meeting = Meeting.objects.create(
        committee=committee, title="Reunión con el sheriff", held_on=date(2026, 11, 2)
    )
    return FollowUp.objects.create(
        meeting=meeting, text="Enviar la carta firmada", owner=owner, due_on=due_on
    )


def test_follow_up_reminds_its_owner_once_in_their_language(committee, owner):
    follow_up = meeting_with_follow_up(committee, owner, due_on=timezone.localdate())

    assert services.follow_ups_remind() == 1
    tasks.sweep_follow_ups()  # the beat sweep again: nothing more
    assert services.follow_ups_remind() == 0

    messages = list(Message.objects.filter(person=owner.person))
    assert len(messages) == 1
    message = messages[0]
    assert message.language == "es"
    assert message.template == "coalition_follow_up"
    assert message.status == "queued"
    assert "recordatorio" in message.body.lower()
    assert "Enviar la carta firmada" in message.body
    follow_up.refresh_from_db()
    assert follow_up.reminded_at is not None


def test_english_speaking_owner_is_reminded_in_english(committee):
    owner = make_member(committee, roles=[Role.RESPONDER], name="Sam", language="en")
    grant_consent(owner.person)
    meeting_with_follow_up(committee, owner, due_on=timezone.localdate() - timedelta(days=1))

    services.follow_ups_remind()

    message = Message.objects.get(person=owner.person)
    assert message.language == "en"
    assert "reminder of your follow-up" in message.body


def test_follow_up_not_yet_due_or_done_is_not_reminded(committee, owner):
    meeting_with_follow_up(committee, owner, due_on=timezone.localdate() + timedelta(days=3))
    done = meeting_with_follow_up(committee, owner, due_on=timezone.localdate())
    FollowUp.objects.filter(pk=done.pk).update(done_at=timezone.now())

    assert services.follow_ups_remind() == 0
    assert not Message.objects.exists()


def test_pledge_renewal_reminds_once_per_expiry(committee, owner):
    partner = PartnerFactory(committee=committee, name="Panadería La Estrella")
    pledge = PartnerPledge.objects.create(
        partner=partner,
        text="No entry to non-public areas without a judicial warrant",
        expires_on=timezone.localdate() + timedelta(days=20),
        owner=owner,
    )
    PartnerPledge.objects.create(
        partner=partner, text="Far away", expires_on=timezone.localdate() + timedelta(days=200)
    )

    assert services.pledge_renewals_remind() == 1
    assert services.pledge_renewals_remind() == 0
    message = Message.objects.get(person=owner.person)
    assert "Panadería La Estrella" in message.body
    assert message.language == "es"

    # Renewed with a new expiry date: reminded again when that one nears.
    PartnerPledge.objects.filter(pk=pledge.pk).update(
        expires_on=timezone.localdate() + timedelta(days=10)
    )
    assert services.pledge_renewals_remind() == 1


def test_follow_up_owner_must_be_able_to_open_the_coalition_part(committee, coordinator, owner):
    from django.core.exceptions import ValidationError

    from committees.access import load_viewer

    actor = load_viewer(coordinator.person.user)
    meeting = Meeting.objects.create(
        committee=committee, title="Council", held_on=date(2026, 11, 2)
    )
    with pytest.raises(ValidationError):
        services.follow_up_add(
            actor=actor, meeting=meeting, text="Call", owner=owner, due_on=date(2026, 11, 9)
        )
    follow_up = services.follow_up_add(
        actor=actor, meeting=meeting, text="Call", owner=coordinator, due_on=date(2026, 11, 9)
    )
    assert follow_up.owner == coordinator
