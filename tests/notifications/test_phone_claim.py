"""Issue 11, point 9: a member cannot claim someone else's phone, and a number a member
put on their own profile is not trusted for inbound texts until it is confirmed."""

import re

from django.urls import reverse

from committees.roles import MembershipStatus
from members.models import Person
from notifications.models import InboundMessage, Message
from notifications.services import inbound_receive

from ..factories import PersonFactory, make_member
from .conftest import COMMITTEE_NUMBER

VICTIM_PHONE = "+12135550142"


def _receive(body, from_number):
    return inbound_receive(
        provider_id=f"SM{abs(hash(body)) % 10**30:030d}",
        from_number=from_number,
        to_number=COMMITTEE_NUMBER,
        body=body,
    )


def _edit_profile(client, phone):
    return client.post(
        reverse("profile:edit"), {"preferred_name": "Pablo", "phone": phone, "language": "es"}
    )


def test_probationary_member_cannot_put_a_neighbours_phone_on_their_profile(
    open_committee, client_for
):
    victim = PersonFactory(committee=open_committee, contact__phone=VICTIM_PHONE)
    infiltrator = make_member(open_committee, status=MembershipStatus.PROBATIONARY)
    response = _edit_profile(client_for(infiltrator), "(213) 555-0142")
    assert response.status_code == 400
    infiltrator.person.refresh_from_db()
    assert str(infiltrator.person.phone) != VICTIM_PHONE
    inbound = _receive("help, agents at my door", VICTIM_PHONE)
    assert inbound.person == victim


def test_text_from_a_number_already_shared_by_two_records_is_attributed_to_no_one(
    open_committee,
):
    """Records made before the fix may share a number: the migration unconfirms them,
    and an unconfirmed number is never trusted."""
    victim = PersonFactory(committee=open_committee, contact__phone=VICTIM_PHONE)
    infiltrator = make_member(open_committee).person
    Person.objects.filter(pk=infiltrator.pk).update(
        phone=VICTIM_PHONE, phone_hash=victim.phone_hash, phone_confirmed=False
    )
    inbound = _receive("help, agents at my door", VICTIM_PHONE)
    assert inbound.person == victim
    Person.objects.filter(pk=victim.pk).update(phone_confirmed=False)
    second = _receive("still here, please come", VICTIM_PHONE)
    assert second.person is None
    assert second.outcome == InboundMessage.Outcome.UNMATCHED


def test_own_new_number_is_trusted_only_after_it_confirms(open_committee, client_for):
    member = make_member(open_committee)
    client = client_for(member)
    assert _edit_profile(client, "(213) 555-0188").status_code == 302
    person = Person.objects.get(pk=member.person.pk)
    assert str(person.phone) == "+12135550188" and not person.phone_confirmed
    assert _receive("hola", "+12135550188").person is None
    proof_sms = Message.objects.get(template="contact_proof")
    assert proof_sms.to_address == "+12135550188"
    link = re.search(r"(/confirm/[^/\s]+/)", proof_sms.body).group(1)
    assert client.post(link).status_code == 200
    person.refresh_from_db()
    assert person.phone_confirmed
    assert _receive("hola otra vez", "+12135550188").person == person


def test_organizer_entered_number_is_trusted_at_once(open_committee, client_for):
    from committees.roles import Role

    coordinator = make_member(open_committee, roles=[Role.COORDINATOR])
    contact = PersonFactory(committee=open_committee, contact__phone="+12135550160")
    response = client_for(coordinator).post(
        reverse("members:person_edit", args=[contact.pk]),
        {"preferred_name": contact.preferred_name, "phone": "(213) 555-0161", "language": "es"},
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.phone_confirmed
    assert _receive("sí", "+12135550161").person == contact
