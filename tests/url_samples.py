"""Sample values for every URL keyword argument, used by tests/test_urls.py.

Each app that adds a URL with a new keyword adds a sample here; test_urls fails for a
keyword it has no sample for. `OBJECT_KWARGS` are ids of one committee's objects:
for those URLs, a member of another committee must get a 404.
"""

from committees import services
from committees.access import load_viewer
from committees.models import Invitation

OBJECT_KWARGS = {
    "membership_id",
    "invitation_id",
    "zone_id",
    "broadcast_id",
    "inbound_id",
    "person_id",
}


def build_samples(world) -> dict:
    """`world` holds the committee-A objects made by the test (see test_urls.World)."""
    coordinator_viewer = load_viewer(world.coordinator.person.user)
    invitation, token = services.invitation_create(
        actor=coordinator_viewer, email="sample-invitee@example.org", roles=[]
    )
    assert Invitation.objects.filter(pk=invitation.pk).exists()
    broadcast, inbound = _messages(world, coordinator_viewer)
    return {
        "broadcast_id": broadcast.pk,
        "inbound_id": inbound.pk,
        "person_id": world.vetted_member.person.pk,
        "membership_id": world.vetted_member.pk,
        "invitation_id": invitation.pk,
        "zone_id": world.zone.pk,
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
