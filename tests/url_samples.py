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

OBJECT_KWARGS = {
    "membership_id",
    "invitation_id",
    "zone_id",
    "person_id",
    "skill_id",
    "batch_id",
}


def build_samples(world) -> dict:
    """`world` holds the committee-A objects made by the test (see test_urls.World)."""
    coordinator_viewer = load_viewer(world.coordinator.person.user)
    invitation, token = services.invitation_create(
        actor=coordinator_viewer, email="sample-invitee@example.org", roles=[]
    )
    assert Invitation.objects.filter(pk=invitation.pk).exists()
    skill = Skill.objects.create(
        committee=world.coordinator.committee, slug="cooking", name_en="Cooking", name_es="Cocina"
    )
    batch = member_services.import_preview(
        actor=coordinator_viewer,
        upload=SimpleUploadedFile("people.csv", b"name,phone\nSample Person,(213) 555-0199\n"),
    )
    return {
        "membership_id": world.vetted_member.pk,
        "invitation_id": invitation.pk,
        "zone_id": world.zone.pk,
        "person_id": world.vetted_member.person.pk,
        "skill_id": skill.pk,
        "batch_id": batch.pk,
        "token": token,
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
