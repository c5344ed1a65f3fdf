"""Every coalition page: as many queries with many rows as with a few, who may see
what (partner contacts, documents), the campaign action's group message, erasure and
the demo data."""

from datetime import date, timedelta
from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone

from coalition import services
from coalition.models import (
    Agency,
    Agreement287g,
    Campaign,
    CampaignAction,
    CampaignStep,
    Commitment,
    CommitmentEvent,
    FollowUp,
    Meeting,
    OfficeHolder,
    Partner,
    PartnerNote,
    PartnerPledge,
    VolunteerInterest,
    Vote,
)
from committees.access import load_viewer
from committees.roles import Role
from members.models import Person
from notifications.models import Broadcast

from ..factories import AgencyFactory, PartnerFactory, PersonFactory, bulk_people, make_member
from ..helpers import assert_constant_queries

pytestmark = pytest.mark.django_db


def _add_rows(committee, coordinator, n):
    """n of every kind of coalition row, with their children."""
    agencies = Agency.objects.bulk_create(
        [Agency(committee=committee, name=f"Agency {i}", kind="police") for i in range(n)]
    )
    holders = OfficeHolder.objects.bulk_create(
        [OfficeHolder(agency=a, name=f"Chief {a.pk}") for a in agencies]
    )
    meetings = Meeting.objects.bulk_create(
        [
            Meeting(committee=committee, title=f"Meeting {i}", held_on=date(2026, 1, 1), agency=a)
            for i, a in enumerate(agencies)
        ]
    )
    FollowUp.objects.bulk_create(
        [
            FollowUp(meeting=m, text="Call", owner=coordinator, due_on=date(2026, 2, 1))
            for m in meetings
        ]
    )
    campaigns = Campaign.objects.bulk_create(
        [
            Campaign(committee=committee, kind="bill", title_en=f"Bill {i}", body=a)
            for i, a in enumerate(agencies)
        ]
    )
    Agreement287g.objects.bulk_create(
        [
            Agreement287g(
                committee=committee,
                external_id=f"X-{Agreement287g.objects.count()}-{i}",
                agency_name=f"Agency {i}",
                state="TX",
                type="jail",
                status="active",
            )
            for i in range(n)
        ]
    )
    return agencies, holders, meetings, campaigns


@pytest.mark.parametrize(
    "url_name",
    [
        "coalition:home",
        "coalition:agency_list",
        "coalition:meeting_list",
        "coalition:campaign_list",
        "coalition:agreement_list",
        "dashboard",
    ],
)
def test_lists_make_constant_queries(committee, coordinator, client_for, url_name):
    client = client_for(coordinator)
    assert_constant_queries(
        lambda n: _add_rows(committee, coordinator, n), lambda: client.get(reverse(url_name))
    )


def test_detail_pages_make_constant_queries_with_many_children(committee, coordinator, client_for):
    client = client_for(coordinator)
    partner = PartnerFactory(committee=committee)
    agency = AgencyFactory(committee=committee)
    commitment = Commitment.objects.create(committee=committee, agency=agency, kind="no_287g")
    meeting = Meeting.objects.create(committee=committee, title="M", held_on=date(2026, 1, 1))
    campaign = Campaign.objects.create(
        committee=committee, kind="ordinance", title_en="O", body=agency
    )
    step = CampaignStep.objects.create(
        campaign=campaign, stage="introduced", on=date(2026, 1, 1), source="Agenda"
    )

    def add(n):
        PartnerNote.objects.bulk_create(
            [
                PartnerNote(partner=partner, kind="ask", on=date(2026, 1, 1), summary="Ask")
                for _ in range(n)
            ]
        )
        PartnerPledge.objects.bulk_create(
            [PartnerPledge(partner=partner, text="Pledge", owner=coordinator) for _ in range(n)]
        )
        holders = OfficeHolder.objects.bulk_create(
            [OfficeHolder(agency=agency, name="Member") for _ in range(n)]
        )
        Vote.objects.bulk_create(
            [Vote(campaign=campaign, step=step, office_holder=h, choice="yes") for h in holders]
        )
        CommitmentEvent.objects.bulk_create(
            [
                CommitmentEvent(commitment=commitment, status="asked", on=date(2026, 1, 1))
                for _ in range(n)
            ]
        )
        FollowUp.objects.bulk_create(
            [
                FollowUp(meeting=meeting, text="Call", owner=coordinator, due_on=date(2026, 2, 1))
                for _ in range(n)
            ]
        )
        meeting.attendees.add(*bulk_people(committee, n, start=Person.objects.count() + 100))
        CampaignAction.objects.bulk_create(
            [CampaignAction(campaign=campaign, kind="call", text_en="Call") for _ in range(n)]
        )

    for url in (
        reverse("coalition:partner_detail", args=[partner.pk]),
        reverse("coalition:agency_detail", args=[agency.pk]),
        reverse("coalition:commitment_detail", args=[commitment.pk]),
        reverse("coalition:meeting_detail", args=[meeting.pk]),
        reverse("coalition:campaign_detail", args=[campaign.pk]),
    ):
        assert_constant_queries(add, lambda url=url: client.get(url), small=3, large=40)


def test_partner_contact_is_encrypted_and_shown_only_to_those_allowed(
    committee, coordinator, client_for
):
    actor = load_viewer(coordinator.person.user)
    partner = services.partner_save(
        actor=actor,
        name="Iglesia San José",
        kind="faith",
        relationship="ally",
        contact_name="Padre Tomás",
        contact_phone="+12135550188",
        contact_email="Tomas@Example.org",
    )
    from django.db import connection

    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT contact_phone, contact_name FROM coalition_partner WHERE id = %s", [partner.pk]
        )
        stored_phone, stored_name = cursor.fetchone()
    assert "+12135550188" not in str(stored_phone) and "Tomás" not in str(stored_name)
    assert (
        Partner.objects.get(contact_phone_hash=partner.contact_phone_hash).contact_email
        == "tomas@example.org"
    )

    url = reverse("coalition:partner_detail", args=[partner.pk])
    assert "+12135550188" in client_for(coordinator).get(url).content.decode()
    from members.audit import AuditEvent

    viewed = AuditEvent.objects.get(kind="coalition.partner_contact_viewed")
    assert (viewed.actor, viewed.target_id) == (coordinator.person, partner.pk)
    trainer = make_member(committee, roles=[Role.TRAINER], name="Tina")
    body = client_for(trainer).get(url).content.decode()
    assert "Iglesia San José" in body and "+12135550188" not in body and "Padre Tomás" not in body


def test_members_without_a_coalition_role_do_not_see_it(
    committee, vetted_member, probationary_member, client_for
):
    for membership in (vetted_member, probationary_member):
        client = client_for(membership)
        assert client.get(reverse("coalition:home")).status_code in (403, 404)
        assert reverse("coalition:home") not in client.get(reverse("dashboard")).content.decode()


def test_campaign_action_becomes_a_group_message_draft_to_people_with_that_interest(
    committee, coordinator, client_for
):
    from members.models import Skill

    skill = Skill.objects.create(
        committee=committee, slug="testify", name_en="Testifying", name_es="Testificar"
    )
    campaign = Campaign.objects.create(
        committee=committee, kind="ordinance", title_en="Welcoming City"
    )
    action = CampaignAction.objects.create(
        campaign=campaign,
        kind="testify",
        text_en="Testify Tuesday",
        text_es="Testifique el martes",
        skill=skill,
    )
    response = client_for(coordinator).post(
        reverse("coalition:action_message", args=[campaign.pk, action.pk])
    )
    broadcast = Broadcast.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("notifications:broadcast_detail", args=[broadcast.pk])
    assert broadcast.state == Broadcast.State.DRAFT  # nothing sent until confirmed there
    assert (broadcast.text_en, broadcast.text_es) == ("Testify Tuesday", "Testifique el martes")
    assert broadcast.recipient_filter == {"skill": str(skill.pk)}
    action.refresh_from_db()
    assert action.broadcast_id == broadcast.pk


def test_erasing_a_person_removes_their_meeting_attendance_and_volunteer_offer(
    committee, coordinator
):
    from members.services import person_erase

    person = PersonFactory(committee=committee)
    meeting = Meeting.objects.create(committee=committee, title="M", held_on=date(2026, 1, 1))
    meeting.attendees.add(person)
    VolunteerInterest.objects.create(committee=committee, person=person, interests=["driving"])
    partner = PartnerFactory(committee=committee)
    partner.set_contact(name="Not a person", phone="+12135550111")
    partner.save()

    person_erase(actor=load_viewer(coordinator.person.user), person=person)

    assert not meeting.attendees.exists()
    assert not VolunteerInterest.objects.exists()
    partner.refresh_from_db()
    assert partner.contact_name == "Not a person"  # partner contacts are not people


def test_demo_seeds_the_coalition_once(db):
    call_command("seed_demo", "--force", stdout=StringIO())
    counts = (Partner.objects.count(), Commitment.objects.count(), CommitmentEvent.objects.count())
    call_command("seed_demo", "--force", stdout=StringIO())
    assert (
        Partner.objects.count(),
        Commitment.objects.count(),
        CommitmentEvent.objects.count(),
    ) == counts
    assert set(Partner.objects.values_list("kind", flat=True)) == {
        "immigrant_led",
        "union",
        "faith",
        "business",
        "national",
        "legal",
        "other",
    }
    sheriff_promise = Commitment.objects.get(agency__kind="sheriff")
    assert sheriff_promise.status == "broken" and sheriff_promise.in_writing
    assert "promised_in_writing" in sheriff_promise.events.values_list("status", flat=True)
    assert Campaign.objects.get(kind="ordinance").stage == "in_committee"
    assert timezone.localdate() - timedelta(days=1) <= FollowUp.objects.get().due_on
