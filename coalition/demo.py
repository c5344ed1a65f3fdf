"""Demo coalition data: partners of every kind, a sheriff who promised in writing and
broke it, a council ordinance in committee, a meeting with follow-ups, the public page
and its facts. Written directly: no messages are sent while seeding."""

from datetime import timedelta

from django.utils import timezone

from committees import demo
from committees.models import Membership

from . import incidents
from .models import (
    Agency,
    Agreement287g,
    Campaign,
    CampaignAction,
    CampaignStep,
    Commitment,
    CommitmentEvent,
    CommitmentIncident,
    FollowUp,
    Meeting,
    NeighbourFact,
    OfficeHolder,
    Partner,
    PartnerNote,
    PartnerPledge,
    PublicProfile,
)

PARTNERS = [
    ("Comité de Madres Unidas", "immigrant_led", ["volunteers", "interpreters"], "es, mam"),
    ("Hotel Workers Local 11", "union", ["space", "volunteers", "money"], "en, es"),
    ("Iglesia San José", "faith", ["space", "sanctuary"], "es, en"),
    ("Panadería La Estrella", "business", ["space"], "es"),
    ("National Immigrant Justice Network", "national", ["lawyers"], "en, es"),
    ("Eastside Immigration Legal Clinic", "legal", ["lawyers", "interpreters"], "en, es"),
    ("Eastside Mutual Aid", "other", ["money", "volunteers"], "en, es"),
]


@demo.register(order=60)
def seed_coalition(committee, *, stdout) -> None:
    if Partner.objects.filter(committee=committee).exists():
        return
    today = timezone.localdate()
    ana = Membership.objects.filter(committee=committee, person__preferred_name="Ana").first()
    partners = [
        Partner.objects.create(
            committee=committee,
            name=name,
            kind=kind,
            offers=offers,
            languages=languages,
            relationship="ally",
            takes_legal_referrals=kind == "legal",
            bond_fund_donor=kind in ("union", "faith"),
        )
        for name, kind, offers, languages in PARTNERS
    ]
    for partner in partners:
        partner.set_contact(
            name="María Ejemplo", phone="+12135550150", email="contacto@example.org"
        )
        partner.save()
    bakery = partners[3]
    PartnerNote.objects.create(
        partner=bakery,
        kind="ask",
        on=today - timedelta(days=40),
        summary="Asked them to adopt a no-entry-without-a-judicial-warrant policy",
        answer="Yes, they signed it",
    )
    PartnerPledge.objects.create(
        partner=bakery,
        text="No entry to non-public areas without a judicial warrant",
        signed_on=today - timedelta(days=335),
        expires_on=today + timedelta(days=30),
        owner=ana,
    )

    sheriff = Agency.objects.create(
        committee=committee, name="Eastside County Sheriff's Office", kind="sheriff"
    )
    sheriff_holder = OfficeHolder.objects.create(
        agency=sheriff,
        name="Sheriff R. Dalton",
        title="Sheriff",
        term_start=today - timedelta(days=700),
    )
    council = Agency.objects.create(
        committee=committee, name="Eastside City Council", kind="city_council"
    )
    council_members = [
        OfficeHolder.objects.create(agency=council, name=name, title="Council member")
        for name in ("L. Ortiz", "P. Nguyen", "D. Walsh", "S. Romero", "K. Brooks")
    ]
    Agency.objects.create(committee=committee, name="Eastside Police Department", kind="police")

    promise = Commitment.objects.create(
        committee=committee,
        agency=sheriff,
        office_holder=sheriff_holder,
        kind="no_detainers",
        in_writing=True,
        status="broken",
        status_since=today - timedelta(days=10),
        published=True,
    )
    history = [
        ("asked", 120, False, "Asked at the community forum"),
        ("promised_verbally", 90, False, "Said yes at the meeting"),
        ("promised_in_writing", 60, True, "Signed letter to the committee"),
        ("broken", 10, True, "Deputies held a neighbour for ICE without a judicial warrant"),
    ]
    for status, days, written, note in history:
        event = CommitmentEvent.objects.create(
            commitment=promise,
            status=status,
            on=today - timedelta(days=days),
            in_writing=written,
            note=note,
            recorded_by=ana,
        )
    for incident_id, _label in incidents.incidents_for_link(committee=committee)[:1]:
        CommitmentIncident.objects.create(commitment=promise, incident_id=incident_id, event=event)
    Commitment.objects.create(
        committee=committee, agency=council, kind="decline_stonegarden", status="asked"
    )

    ordinance = Campaign.objects.create(
        committee=committee,
        kind="ordinance",
        title_en="Eastside Welcoming City Ordinance",
        title_es="Ordenanza de Ciudad Acogedora de Eastside",
        body=council,
        stage="in_committee",
        stage_since=today - timedelta(days=14),
    )
    CampaignStep.objects.create(
        campaign=ordinance, stage="drafted", on=today - timedelta(days=60), source="Coalition draft"
    )
    CampaignStep.objects.create(
        campaign=ordinance,
        stage="introduced",
        on=today - timedelta(days=30),
        source="Council agenda item 12",
    )
    CampaignStep.objects.create(
        campaign=ordinance,
        stage="in_committee",
        on=today - timedelta(days=14),
        source="Public Safety Committee minutes",
    )
    CampaignAction.objects.create(
        campaign=ordinance,
        kind="testify",
        text_en="Testify for the Welcoming City Ordinance at the committee hearing.",
        text_es="Venga a testificar a favor de la Ordenanza de Ciudad Acogedora.",
    )
    del council_members

    meeting = Meeting.objects.create(
        committee=committee,
        agency=sheriff,
        title="Meeting with the sheriff",
        held_on=today - timedelta(days=5),
        others_present="Sheriff R. Dalton, Undersheriff",
        asked="Honour the written promise on detainers",
        answered="Will review",
        organizer=ana,
    )
    if ana is not None:
        meeting.attendees.add(ana.person)
        FollowUp.objects.create(
            meeting=meeting,
            text="Send the signed letter and the incident report to the sheriff",
            owner=ana,
            due_on=today + timedelta(days=2),
        )

    PublicProfile.objects.update_or_create(
        committee=committee,
        defaults={
            "about_en": "We are neighbours defending neighbours in Eastside.",
            "about_es": "Somos vecinos que defendemos a nuestros vecinos en Eastside.",
            # The committee's own hotline (never a volunteer's personal number).
            "hotline": "+18185550142",
            "state": "CA",
            "counties": "Eastside",
        },
    )
    NeighbourFact.objects.create(
        committee=committee,
        text_en="Immigrants are about one in five workers in the United States.",
        text_es="Los inmigrantes son cerca de uno de cada cinco trabajadores en Estados Unidos.",
        source="U.S. Bureau of Labor Statistics",
        source_url="https://www.bls.gov/news.release/forbrn.nr0.htm",
    )
    Agreement287g.objects.create(
        committee=committee,
        external_id="demo-CA-1",
        agency_name="Eastside County Sheriff's Office",
        state="CA",
        county="Eastside",
        type="jail",
        status="active",
    )
    stdout.write("Coalition: partners, a broken sheriff's promise, an ordinance in committee.")
