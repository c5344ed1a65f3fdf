"""Sample values for every URL keyword argument, used by tests/test_urls.py.

Each app that adds a URL with a new keyword adds a sample here; test_urls fails for a
keyword it has no sample for. `OBJECT_KWARGS` are ids of one committee's objects:
for those URLs, a member of another committee must get a 404.
"""

from django.core.files.uploadedfile import SimpleUploadedFile

from committees import services
from committees.access import load_viewer
from committees.models import Invitation
from members import services as member_services
from members.models import Skill
from trainings.links import registration_token

OBJECT_KWARGS = {
    "accompaniment_id",
    "action_id",
    "agency_id",
    "alert_id",
    "batch_id",
    "bond_id",
    "broadcast_id",
    "campaign_id",
    "case_id",
    "commitment_id",
    "deadline_id",
    "declarant_id",
    "disbursement_id",
    "document_id",
    "fact_id",
    "follow_up_id",
    "handoff_id",
    "hearing_id",
    "import_id",
    "inbound_id",
    "incident_id",
    "invitation_id",
    "key_date_id",
    "matter_document_id",
    "matter_id",
    "meeting_id",
    "membership_id",
    "partner_id",
    "person_id",
    "pledge_id",
    "registration_id",
    "request_id",
    "seat_id",
    "shift_id",
    "skill_id",
    "source_id",
    "training_id",
    "transaction_id",
    "zone_id",
}


def build_samples(world) -> dict:
    """`world` holds the committee-A objects made by the test (see test_urls.World)."""
    coordinator_viewer = load_viewer(world.coordinator.person.user)
    invitation, token = services.invitation_create(
        actor=coordinator_viewer, email="sample-invitee@example.org", roles=[]
    )
    assert Invitation.objects.filter(pk=invitation.pk).exists()
    training, registration = _training_samples(world)
    skill = Skill.objects.create(
        committee=world.coordinator.committee, slug="cooking", name_en="Cooking", name_es="Cocina"
    )
    batch = member_services.import_preview(
        actor=coordinator_viewer,
        upload=SimpleUploadedFile("people.csv", b"name,phone\nSample Person,(213) 555-0199\n"),
    )
    broadcast, inbound = _messages(world, coordinator_viewer)
    incident, alert, handoff, shift = _rapid_response(world, coordinator_viewer)
    return {
        # Apps whose keywords share a name (pledge_id, document_id...) are looked up by
        # their URL namespace first (test_urls.sample_for).
        **_namespaced("coalition", _coalition_samples(world, coordinator_viewer)),
        **_namespaced("bond_fund", _bond_samples(world)),
        **_namespaced("legal_aid", _legal_samples(world)),
        # rapid response: a confirmed, alerted incident with a hand-off, a dispatcher shift
        "incident_id": incident.pk,
        "alert_id": alert.pk,
        "handoff_id": handoff.pk,
        "shift_id": shift.pk,
        "broadcast_id": broadcast.pk,
        "inbound_id": inbound.pk,
        "person_id": world.vetted_member.person.pk,
        "membership_id": world.vetted_member.pk,
        "invitation_id": invitation.pk,
        "zone_id": world.zone.pk,
        "skill_id": skill.pk,
        "batch_id": batch.pk,
        "token": token,
        # trainings: a public training's page is public (not an object kwarg); the
        # registration link is the one its SMS carries.
        "training_id": training.pk,
        "registration_id": registration.pk,
        "committee_slug": world.coordinator.committee.slug,
        "public_training_id": training.pk,
        "registration_token": registration_token(registration),
        # allauth and admin keywords
        "key": "0-0",
        "uidb36": "0",
        "app_label": "committees",
        "object_id": world.zone.pk,
        "content_type_id": 1,
        "pk": 1,
        "id": 1,
        "type": "totp",
        "url": "missing",
    }


def _training_samples(world):
    """A public training of committee A led by the coordinator, the vetted member seated."""
    from datetime import timedelta

    from django.utils import timezone

    from trainings.models import Registration, Training

    starts_at = timezone.now() + timedelta(days=2)
    training = Training.objects.create(
        committee=world.coordinator.committee,
        kind="know_your_rights",
        title_en="Sample training",
        title_es="Capacitación de muestra",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        place_name="Sample hall",
        address="1 Private Street",
        capacity=10,
    )
    training.trainers.set([world.coordinator.person])
    registration = Registration.objects.create(
        training=training,
        person=world.vetted_member.person,
        status="registered",
        source="member",
        registered_at=timezone.now(),
    )
    return training, registration


def _messages(world, coordinator_viewer):
    """A group message and an unmatched reply of committee A (the vetted member texted)."""
    from notifications import services as notifications

    broadcast = notifications.broadcast_draft(
        actor=coordinator_viewer,
        channel="sms",
        purpose="news",
        text_en="Meeting moved",
        text_es="Cambio de sala",
        recipient_filter={},
    )
    committee = world.coordinator.committee
    committee.sms_number = "+12135550100"
    committee.save()
    inbound = notifications.inbound_receive(
        provider_id="SMsample",
        from_number=str(world.vetted_member.person.phone),
        to_number="+12135550100",
        body="Who is this?",
    )
    return broadcast, inbound


def _namespaced(namespace: str, samples: dict) -> dict:
    return {f"{namespace}:{key}": value for key, value in samples.items()}


def _coalition_samples(world, coordinator_viewer) -> dict:
    """One of each coalition object of committee A, with a document and a published
    commitment (its public document URL is public)."""
    from datetime import date

    from coalition import services as coalition
    from coalition.models import (
        CampaignAction,
        FollowUp,
        Meeting,
        NeighbourFact,
        PartnerPledge,
    )

    actor = coordinator_viewer
    committee = world.coordinator.committee
    partner = coalition.partner_save(
        actor=actor, name="Sample church", kind="faith", relationship="ally"
    )
    document = coalition.document_store(
        actor=actor, upload=SimpleUploadedFile("letter.pdf", b"%PDF-1.4 sample", "application/pdf")
    )
    pledge = PartnerPledge.objects.create(partner=partner, text="Sanctuary", document=document)
    agency = coalition.agency_save(actor=actor, name="Sample sheriff", kind="sheriff")
    commitment = coalition.commitment_create(actor=actor, agency=agency, kind="no_287g")
    coalition.commitment_document_attach(
        actor=actor, commitment=commitment, document=document, public=True
    )
    coalition.commitment_publish(
        actor=actor, commitment=commitment, published=True, document_public=True
    )
    meeting = Meeting.objects.create(committee=committee, title="Sample", held_on=date(2026, 1, 2))
    follow_up = FollowUp.objects.create(
        meeting=meeting, text="Call back", owner=world.coordinator, due_on=date(2026, 1, 9)
    )
    campaign = coalition.campaign_save(actor=actor, kind="ordinance", title_en="Sample ordinance")
    action = CampaignAction.objects.create(campaign=campaign, kind="call", text_en="Call them")
    batch = coalition.agreements_import(
        actor=actor,
        upload=SimpleUploadedFile(
            "287g.csv", b"state,agency,type\nTX,Sample sheriff,jail\n", "text/csv"
        ),
    ).batch
    fact = NeighbourFact.objects.create(
        committee=committee, text_en="Fact", text_es="Dato", source="Census"
    )
    return {
        "partner_id": partner.pk,
        "pledge_id": pledge.pk,
        "agency_id": agency.pk,
        "commitment_id": commitment.pk,
        "public_commitment_id": commitment.pk,
        "meeting_id": meeting.pk,
        "follow_up_id": follow_up.pk,
        "campaign_id": campaign.pk,
        "action_id": action.pk,
        "import_id": batch.pk,
        "fact_id": fact.pk,
    }


def _bond_samples(world) -> dict:
    """A bond of committee A raising money (its public page is public), with a form, a
    payment waiting for a second approval, and a pledge. Made directly: the case is
    legal_aid's, which this walk does not need."""
    from datetime import timedelta

    from django.utils import timezone

    from bond_fund.models import BondDocument, BondRequest, Disbursement, Pledge

    committee = world.coordinator.committee
    bond = BondRequest.objects.create(
        committee=committee,
        case_id=1,
        person=world.vetted_member.person,
        amount_cents=2_000_00,
        status="funding",
        story_en="A father of two, detained at a traffic stop.",
    )
    document = BondDocument.objects.create(
        bond=bond,
        kind="i352",
        filename="i352.pdf",
        content_type="application/pdf",
        size=3,
        content="UERG",
    )
    disbursement = Disbursement.objects.create(
        bond=bond,
        amount_cents=2_000_00,
        status="waiting",
        requested_by=world.coordinator.person,
        idempotency_key="sample",
    )
    pledge = Pledge.objects.create(
        committee=committee,
        person=world.vetted_member.person,
        bond=bond,
        amount_cents=100_00,
        due_on=timezone.localdate() + timedelta(days=3),
        source="treasurer",
    )
    from bond_fund.services.ledger import transaction_post

    gift = transaction_post(
        committee=committee,
        kind="payment",
        lines=[("cash", 100_00), ("donations", -100_00)],
        reason="Sample gift",
        idempotency_key="sample-gift",
    )
    return {
        "transaction_id": gift.pk,
        "bond_id": bond.pk,
        "public_bond_id": bond.pk,
        "document_id": document.pk,
        "disbursement_id": disbursement.pk,
        "pledge_id": pledge.pk,
        "step": "approve",
    }


def _rapid_response(world, coordinator_viewer):
    """An incident of committee A in its zone, confirmed and alerted, with a hand-off."""
    from datetime import timedelta

    from django.utils import timezone

    from rapid_response import services as rapid
    from rapid_response.models import DispatcherShift, Handoff, Report

    committee = world.coordinator.committee
    report = rapid.report_submit(
        committee=committee,
        source=Report.Source.WEB,
        zone=world.zone,
        cross_streets="Sample St and 1st Ave",
        activity="Agents at the corner",
    )
    incident = report.incident
    rapid.incident_status_set(actor=coordinator_viewer, incident=incident, status="confirmed")
    alert = rapid.alert_send(actor=coordinator_viewer, incident=incident)
    handoff = Handoff.objects.create(incident=incident, legal_request_id=1)
    now = timezone.now()
    shift = DispatcherShift.objects.create(
        committee=committee,
        person=world.coordinator.person,
        starts_at=now,
        ends_at=now + timedelta(hours=4),
        languages=["es"],
    )
    return incident, alert, handoff, shift


def _litigation_samples(world, accompaniment):
    """A matter with a seat, a key date, a document, evidence (the accompaniment) and a
    declarant (the vetted member who accompanied)."""
    from datetime import date

    from legal_aid.models import Declarant, Evidence, KeyDate, MatterDocument
    from tests.factories import make_matter

    matter = make_matter(world.coordinator.committee, team=[world.coordinator])
    evidence = Evidence.objects.create(
        matter=matter, source_kind="accompaniment", source_id=accompaniment.pk, conduct="other"
    )
    declarant = Declarant.objects.create(
        matter=matter, person=world.vetted_member.person, evidence=evidence
    )
    key_date = KeyDate.objects.create(matter=matter, kind="filing", due_on=date(2026, 6, 1))
    document = MatterDocument.objects.create(
        matter=matter,
        kind="complaint",
        filename="complaint.pdf",
        content_type="application/pdf",
        size=5,
        content="JVBERi0=",
    )
    return {
        "matter_id": matter.pk,
        "seat_id": matter.team.get().pk,
        "key_date_id": key_date.pk,
        "matter_document_id": document.pk,
        "declarant_id": declarant.pk,
        "source_kind": "accompaniment",
        "source_id": accompaniment.pk,
    }


def _legal_samples(world):
    """A request, a case with a hearing, a deadline and a document; the vetted member
    accompanies the hearing."""
    from legal_aid.models import Accompaniment, DeadlineTask, Document
    from tests.factories import make_case, make_hearing, make_legal_request

    committee = world.coordinator.committee
    request = make_legal_request(committee, name="Sample Client")
    case = make_case(committee, team=[world.coordinator], name="Sample Client", request=request)
    hearing = make_hearing(case)
    deadline = DeadlineTask.objects.create(
        case=case, hearing=hearing, kind="filing_master", due_on=hearing.starts_at.date()
    )
    document = Document.objects.create(
        case=case, filename="nta.pdf", content_type="application/pdf", size=5, content="JVBERi0="
    )
    accompaniment = Accompaniment.objects.create(
        hearing=hearing, person=world.vetted_member.person, status="accepted"
    )
    return {
        **_litigation_samples(world, accompaniment),
        "request_id": request.pk,
        "case_id": case.pk,
        "hearing_id": hearing.pk,
        "deadline_id": deadline.pk,
        "document_id": document.pk,
        "accompaniment_id": accompaniment.pk,
    }
