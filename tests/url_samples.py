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
    "membership_id",
    "invitation_id",
    "zone_id",
    "person_id",
    "skill_id",
    "batch_id",
    "training_id",
    "registration_id",
    "broadcast_id",
    "inbound_id",
    "request_id",
    "case_id",
    "document_id",
    "deadline_id",
    "hearing_id",
    "accompaniment_id",
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
    legal = _legal_samples(world)
    return {
        **legal,
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
        "request_id": request.pk,
        "case_id": case.pk,
        "hearing_id": hearing.pk,
        "deadline_id": deadline.pk,
        "document_id": document.pk,
        "accompaniment_id": accompaniment.pk,
    }
