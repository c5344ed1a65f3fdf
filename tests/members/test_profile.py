"""My profile: every member sees and edits their own details, manages their consents,
downloads their data and may ask to be deleted."""

import json

from django.urls import reverse

from members.consent import (
    Channel,
    ConsentEvent,
    ConsentSource,
    Purpose,
    consent_record,
    may_contact,
)
from members.models import ErasureRequest, Skill

from ..factories import ZoneFactory


def grant(person, purpose, channel=Channel.SMS):
    consent_record(
        person=person,
        purpose=purpose,
        channel=channel,
        granted=True,
        wording="Signed up at the meeting",
        language="es",
        source=ConsentSource.WEB_FORM,
    )


def test_member_withdraws_sms_reminders_and_keeps_raid_alerts(vetted_member, client_for):
    person = vetted_member.person
    grant(person, Purpose.REMINDERS)
    grant(person, Purpose.RAID_ALERTS)
    client = client_for(vetted_member)
    page = client.get(reverse("profile:detail")).content.decode()
    assert "How we may contact you" in page and "Withdraw" in page

    response = client.post(
        reverse("profile:consent"), {"purpose": "reminders", "channel": "sms", "granted": "0"}
    )
    assert response.status_code == 302
    assert not may_contact(person=person, purpose=Purpose.REMINDERS, channel=Channel.SMS)
    assert may_contact(person=person, purpose=Purpose.RAID_ALERTS, channel=Channel.SMS)
    withdrawal = ConsentEvent.objects.filter(person=person).first()
    assert (withdrawal.granted, withdrawal.source) == (False, "profile")
    assert withdrawal.recorded_by == person
    assert "I no longer want" in withdrawal.wording and "reminders" in withdrawal.wording


def test_member_gives_consent_with_the_wording_they_saw_in_their_language(
    vetted_member, client_for
):
    client = client_for(vetted_member, language="es")
    vetted_member.person.user.language = "es"
    vetted_member.person.user.save()
    page = client.get(reverse("profile:detail")).content.decode()
    client.post(reverse("profile:consent"), {"purpose": "news", "channel": "email", "granted": "1"})
    event = ConsentEvent.objects.get(person=vetted_member.person)
    assert event.granted and event.language == "es"
    assert event.wording in page  # exactly what the page showed


def test_probationary_member_sees_and_edits_their_own_profile(
    probationary_member, client_for, committee
):
    zone = ZoneFactory(committee=committee, name="Zona Norte")
    interpreter = Skill.objects.get(slug="interpreter", committee__isnull=True)
    client = client_for(probationary_member)
    assert client.get(reverse("profile:detail")).status_code == 200
    response = client.post(
        reverse("profile:edit"),
        {
            "preferred_name": "Pablo P.",
            "phone": "(213) 555-0177",
            "email": "pablo@example.org",
            "language": "es",
            "other_languages": ["mix"],
            "skills": [interpreter.pk],
            "zones": [zone.pk],
            "availability": ["1-evening", "5-morning"],
        },
    )
    assert response.status_code == 302
    person = probationary_member.person
    person.refresh_from_db()
    assert person.preferred_name == "Pablo P." and person.phone == "+12135550177"
    assert [s.slug for s in person.skills.all()] == ["interpreter"]
    assert [z.name for z in person.zones.all()] == ["Zona Norte"]
    assert [lang.code for lang in person.other_languages.all()] == ["mix"]
    page = client.get(reverse("profile:detail")).content.decode()
    assert "Tuesday: Evening" in page and "Saturday: Morning" in page


def test_profile_form_rejects_a_bad_phone_with_a_clear_message(vetted_member, client_for):
    response = client_for(vetted_member).post(
        reverse("profile:edit"), {"preferred_name": "Vera", "phone": "12", "language": "en"}
    )
    assert response.status_code == 400
    assert "Enter a valid phone number" in response.content.decode()


def test_member_may_not_write_notes_or_choose_another_committees_zone(
    vetted_member, client_for, other_committee
):
    foreign_zone = ZoneFactory(committee=other_committee, name="Far Away")
    response = client_for(vetted_member).post(
        reverse("profile:edit"),
        {
            "preferred_name": "Vera",
            "language": "en",
            "zones": [foreign_zone.pk],
            "notes": "I am a coordinator",
        },
    )
    assert response.status_code == 400
    person = vetted_member.person
    person.refresh_from_db()
    assert not person.zones.exists() and not person.notes


def test_download_my_data_is_json_with_my_consents(vetted_member, client_for):
    grant(vetted_member.person, Purpose.RAID_ALERTS)
    vetted_member.person.notes = "Coordinator-only remark"
    vetted_member.person.save()
    response = client_for(vetted_member).get(reverse("profile:data"))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    assert "attachment" in response["Content-Disposition"]
    data = json.loads(response.content)
    assert data["person"]["preferred_name"] == "Vera Vetted"
    assert data["person"]["phone"] == vetted_member.person.phone
    assert data["membership"]["status"] == "vetted"
    assert data["consent_events"][0]["wording"] == "Signed up at the meeting"
    assert "Coordinator-only remark" not in response.content.decode()


def test_ask_to_be_deleted_then_change_my_mind(vetted_member, client_for):
    client = client_for(vetted_member)
    assert client.get(reverse("profile:erase")).status_code == 200
    client.post(reverse("profile:erase"))
    client.post(reverse("profile:erase"))  # twice is still one request
    request = ErasureRequest.objects.get(person=vetted_member.person)
    assert request.status == ErasureRequest.Status.PENDING
    client.post(reverse("profile:erase"), {"cancel": "1"})
    request.refresh_from_db()
    assert request.status == ErasureRequest.Status.CANCELLED
    vetted_member.person.refresh_from_db()
    assert vetted_member.person.erased_at is None


def test_everyone_has_a_profile_link(probationary_member, client_for):
    page = client_for(probationary_member).get(reverse("dashboard")).content.decode()
    assert reverse("profile:detail") in page
