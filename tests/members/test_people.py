"""Organizers add, find, edit and merge people; the filters answer their questions."""

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from committees.access import load_viewer
from committees.roles import MembershipStatus, Role
from members import availability, services
from members.audit import AuditEvent
from members.consent import (
    Channel,
    ConsentEvent,
    ConsentSource,
    Purpose,
    consent_record,
    may_contact,
)
from members.filters import PersonFilter
from members.models import Person, Skill, TrainingKind, TrainingRecord

from ..factories import PersonFactory, ZoneFactory, make_member


def skill(slug):
    return Skill.objects.get(committee__isnull=True, slug=slug)


def names(people):
    return sorted(p.preferred_name for p in people)


@pytest.fixture
def viewer(coordinator):
    return load_viewer(coordinator.person.user)


def test_who_can_interpret_spanish_in_court_on_tuesday(committee, viewer, zone):
    interpreter = skill("interpreter")
    tuesday = availability.bit(1, "morning")
    yes = PersonFactory(committee=committee, preferred_name="Yes", language="es")
    yes.skills.add(interpreter)
    yes.availability = tuesday
    yes.save()
    english_only = PersonFactory(committee=committee, preferred_name="English", language="en")
    english_only.skills.add(interpreter)
    english_only.availability = tuesday
    english_only.save()
    speaks_it = PersonFactory(committee=committee, preferred_name="Also speaks", language="en")
    speaks_it.other_languages.add("es")
    speaks_it.skills.add(interpreter)
    speaks_it.availability = availability.bit(1, "evening")
    speaks_it.save()
    wednesday = PersonFactory(committee=committee, preferred_name="Wednesday", language="es")
    wednesday.skills.add(interpreter)
    wednesday.availability = availability.bit(2, "morning")
    wednesday.save()

    found = PersonFilter({"skill": interpreter.pk, "language": "es", "day": "1"}, viewer=viewer).qs
    assert names(found) == ["Also speaks", "Yes"]
    mornings = PersonFilter(
        {"skill": interpreter.pk, "language": "es", "day": "1", "part": "morning"}, viewer=viewer
    ).qs
    assert names(mornings) == ["Yes"]


def test_which_vetted_trained_responders_live_in_zone_3(committee, viewer, zone):
    def responder(name, status=MembershipStatus.VETTED, trained=True, in_zone=True):
        member = make_member(
            committee, roles=[Role.RESPONDER], status=status, name=name, with_login=False
        )
        if in_zone:
            member.person.zones.add(zone)
        if trained:
            TrainingRecord.objects.create(
                person=member.person, kind=TrainingKind.RAPID_RESPONDER, source="session"
            )
        return member

    responder("Ready")
    responder("Not trained", trained=False)
    responder("On probation", status=MembershipStatus.PROBATIONARY)
    responder("Other zone", in_zone=False)
    make_member(committee, name="Member in zone", with_login=False).person.zones.add(zone)
    found = PersonFilter(
        {"role": "responder", "status": "vetted", "zone": zone.pk, "trained": "rapid_responder"},
        viewer=viewer,
    ).qs
    assert names(found) == ["Ready"]
    untrained = PersonFilter({"zone": zone.pk, "trained": "none"}, viewer=viewer).qs
    assert names(untrained) == ["Member in zone", "Not trained"]


def test_filter_by_consent_and_contact_status(committee, viewer):
    agreed = PersonFactory(committee=committee, preferred_name="Agreed")
    consent_record(
        person=agreed,
        purpose=Purpose.RAID_ALERTS,
        channel=Channel.SMS,
        granted=True,
        wording="w",
        language="es",
        source=ConsentSource.WEB_FORM,
    )
    PersonFactory(committee=committee, preferred_name="Never asked")
    found = PersonFilter({"consent": "raid_alerts:sms"}, viewer=viewer).qs
    assert names(found) == ["Agreed"]
    contacts = PersonFilter({"status": "contact"}, viewer=viewer).qs
    assert names(contacts) == ["Agreed", "Never asked"]


def test_filter_is_scoped_to_the_viewers_committee_whatever_the_data(
    committee, other_committee, viewer
):
    foreign_zone = ZoneFactory(committee=other_committee)
    PersonFactory(committee=other_committee, preferred_name="Foreign").zones.add(foreign_zone)
    people_filter = PersonFilter({"zone": foreign_zone.pk}, viewer=viewer)
    assert not people_filter.is_valid()
    assert "Foreign" not in names(people_filter.qs)
    assert "Foreign" not in names(PersonFilter({"q": "Foreign"}, viewer=viewer).qs)


@pytest.mark.parametrize(
    "query",
    [
        "jose",
        "JOSÉ",
        "Peña",
        "pena",
        "José Peña",
        "(213) 555-0142",
        "213.555.0142",
        "+1 213 555 0142",
        "2135550142",
        "JOSE@EXAMPLE.ORG",
    ],
)
def test_search_by_name_without_accents_or_case_and_by_any_phone_format(committee, viewer, query):
    jose = PersonFactory(committee=committee, preferred_name="José", full_name="José Peña López")
    jose.set_contact(phone="+12135550142", email="jose@example.org")
    jose.save()
    PersonFactory(committee=committee, preferred_name="Someone else")
    assert names(PersonFilter({"q": query}, viewer=viewer).qs) == ["José"]


def test_a_partial_phone_or_email_finds_nobody(committee, viewer):
    """Contacts are encrypted: only an exact number or address is looked up."""
    jose = PersonFactory(committee=committee, preferred_name="José")
    jose.set_contact(phone="+12135550142", email="jose@example.org")
    jose.save()
    assert names(PersonFilter({"q": "555-0142"}, viewer=viewer).qs) == []
    assert names(PersonFilter({"q": "jose@"}, viewer=viewer).qs) == []


def test_organizer_adds_a_person_through_the_form(coordinator, client_for, zone):
    client = client_for(coordinator)
    response = client.post(
        reverse("members:person_create"),
        {
            "preferred_name": "Nueva",
            "phone": "213 555 0188",
            "language": "es",
            "skills": [skill("childcare").pk],
            "zones": [zone.pk],
            "availability": ["6-afternoon"],
            "other_languages": ["zap"],
            "notes": "Met at the school",
        },
    )
    assert response.status_code == 302
    person = Person.objects.get(preferred_name="Nueva")
    assert person.phone == "+12135550188" and person.notes == "Met at the school"
    assert person.availability == availability.bit(6, "afternoon")
    assert person.search_name == "nueva"
    assert not hasattr(person, "membership") or person.membership is None


def test_a_second_record_with_the_same_phone_is_refused(coordinator, client_for, committee):
    existing = PersonFactory(committee=committee, preferred_name="Existing")
    response = client_for(coordinator).post(
        reverse("members:person_create"),
        {"preferred_name": "Twin", "phone": existing.phone, "language": "es"},
    )
    assert response.status_code == 400
    assert "Someone in the directory already has this phone number." in response.content.decode()
    assert not Person.objects.filter(preferred_name="Twin").exists()


def test_organizer_edits_a_skill_and_gets_a_clear_error_for_a_bad_email(
    coordinator, client_for, committee
):
    person = PersonFactory(committee=committee, preferred_name="Edna")
    client = client_for(coordinator)
    url = reverse("members:person_edit", args=[person.pk])
    bad = client.post(url, {"preferred_name": "Edna", "email": "not-an-email", "language": "es"})
    assert bad.status_code == 400 and "Enter a valid email address." in bad.content.decode()
    ok = client.post(
        url,
        {
            "preferred_name": "Edna",
            "phone": person.phone,
            "email": person.email,
            "language": "es",
            "skills": [skill("driver").pk],
        },
    )
    assert ok.status_code == 302
    assert [s.slug for s in person.skills.all()] == ["driver"]


def test_organizer_records_spoken_consent_in_the_persons_language(
    coordinator, client_for, committee
):
    person = PersonFactory(committee=committee, preferred_name="Oral", language="es")
    response = client_for(coordinator).post(
        reverse("members:person_consent", args=[person.pk]),
        {"purpose": "reminders", "channel": "sms", "granted": "yes"},
    )
    assert response.status_code == 302
    event = ConsentEvent.objects.get(person=person)
    assert (event.source, event.language, event.recorded_by) == ("spoken", "es", coordinator.person)
    assert "recordatorios" in event.wording.lower()
    assert may_contact(person=person, purpose=Purpose.REMINDERS, channel=Channel.SMS)


def test_merge_combines_two_records_and_keeps_the_latest_consent(committee, viewer, zone):
    keep = PersonFactory(committee=committee, preferred_name="Lupita")
    keep.set_contact(phone="+12135550111", email="")
    keep.save()
    keep.skills.add(skill("driver"))
    twin = PersonFactory(committee=committee, preferred_name="Guadalupe")
    twin.set_contact(phone="+12135550111", email="lupe@example.org")
    twin.full_name = "Guadalupe Ruiz"
    twin.availability = availability.bit(0, "evening")
    twin.save()
    twin.skills.add(skill("medic"))
    twin.zones.add(zone)
    TrainingRecord.objects.create(person=twin, kind=TrainingKind.KNOW_YOUR_RIGHTS, source="import")
    for person, granted in ((keep, True), (twin, False)):  # the twin's answer is newer
        consent_record(
            person=person,
            purpose=Purpose.NEWS,
            channel=Channel.EMAIL,
            granted=granted,
            wording="w",
            language="es",
            source=ConsentSource.WEB_FORM,
        )

    services.person_merge(actor=viewer, keep=keep, duplicate=twin)

    assert not Person.objects.filter(pk=twin.pk).exists()
    keep.refresh_from_db()
    assert keep.preferred_name == "Lupita" and keep.full_name == "Guadalupe Ruiz"
    assert keep.email == "lupe@example.org"
    assert sorted(s.slug for s in keep.skills.all()) == ["driver", "medic"]
    assert list(keep.zones.all()) == [zone]
    assert keep.availability == availability.bit(0, "evening")
    assert keep.training_records.count() == 1
    assert ConsentEvent.objects.filter(person=keep).count() == 2
    assert not may_contact(person=keep, purpose=Purpose.NEWS, channel=Channel.EMAIL)
    assert AuditEvent.objects.filter(kind="merged", person=keep).exists()


def test_two_members_with_their_own_memberships_are_not_merged(committee, viewer):
    one = make_member(committee, name="One", with_login=False)
    two = make_member(committee, name="Two", with_login=False)
    with pytest.raises(ValidationError):
        services.person_merge(actor=viewer, keep=one.person, duplicate=two.person)
    assert Person.objects.filter(pk=two.person.pk).exists()


def test_merge_page_finds_duplicates_and_merges_on_confirmation(coordinator, client_for, committee):
    keep = PersonFactory(committee=committee, preferred_name="Ramón")
    twin = PersonFactory(committee=committee, preferred_name="Ramon")
    twin.set_contact(phone=keep.phone, email="")
    twin.save()
    client = client_for(coordinator)
    page = client.get(reverse("members:person_detail", args=[keep.pk])).content.decode()
    assert "Possible duplicates" in page
    url = reverse("members:person_merge", args=[keep.pk])
    compare = client.get(url, {"duplicate": twin.pk})
    assert compare.status_code == 200 and "Merge into one record" in compare.content.decode()
    assert Person.objects.filter(pk=twin.pk).exists()
    client.post(url, {"duplicate": twin.pk})
    assert not Person.objects.filter(pk=twin.pk).exists()


def test_committee_adds_its_own_skill_and_uses_it(coordinator, client_for, committee):
    client = client_for(coordinator)
    client.post(reverse("members:skill_list"), {"name_en": "Cooking", "name_es": "Cocina"})
    cooking = Skill.objects.get(committee=committee, slug="cooking")
    duplicate = client.post(
        reverse("members:skill_list"), {"name_en": "cooking", "name_es": "Cocina"}
    )
    assert duplicate.status_code == 400
    assert Skill.objects.filter(name_en__iexact="cooking").count() == 1
    client.post(
        reverse("members:skill_edit", args=[cooking.pk]),
        {"name_en": "Cooking for events", "name_es": "Cocina para eventos"},
    )
    cooking.refresh_from_db()
    assert cooking.name_es == "Cocina para eventos"
    builtin = skill("driver")
    assert client.get(reverse("members:skill_edit", args=[builtin.pk])).status_code == 404


def test_inviting_someone_from_the_directory_links_their_record_when_they_accept(
    coordinator, client_for, committee
):
    from django.test import Client

    contact = PersonFactory(committee=committee, preferred_name="Volunteer Vi")
    response = client_for(coordinator).post(reverse("members:person_invite", args=[contact.pk]))
    assert response.status_code == 200
    link = response.context["link"]
    visitor = Client()
    opened = visitor.get(link)  # the token leaves the address bar first
    assert opened.status_code == 302
    response = visitor.post(
        opened["Location"],
        {
            "preferred_name": "Vi",
            "email": contact.email,
            "language": "es",
            "password1": "a long enough secret 42",
            "password2": "a long enough secret 42",
        },
    )
    assert response.status_code == 302
    contact.refresh_from_db()
    assert contact.user is not None and contact.user.email == contact.email
    assert Person.objects.filter(committee=committee, email_hash=contact.email_hash).count() == 1
    assert visitor.get(reverse("profile:detail")).context["person"] == contact


def test_an_invitation_by_email_finds_the_existing_contact(coordinator, committee):
    from committees import services as committee_services

    contact = PersonFactory(committee=committee, preferred_name="Already Known")
    invitation, _token = committee_services.invitation_create(
        actor=load_viewer(coordinator.person.user), email=contact.email.upper(), roles=[]
    )
    assert invitation.person == contact


def test_a_second_invitation_for_a_record_already_claimed_is_refused(coordinator, committee):
    from committees import services as committee_services
    from members.models import User

    contact = PersonFactory(committee=committee, preferred_name="Claimed")
    viewer = load_viewer(coordinator.person.user)
    first, _t1 = committee_services.invitation_create(
        actor=viewer, email=contact.email, roles=[], person=contact
    )
    second, _t2 = committee_services.invitation_create(
        actor=viewer, email=contact.email, roles=[], person=contact
    )
    owner = User.objects.create_user(contact.email, "a long enough secret 42")
    committee_services.invitation_accept(invitation_id=first.pk, user=owner)
    intruder = User.objects.create_user("other@example.org", "a long enough secret 42")
    with pytest.raises(committee_services.InvitationUnusable):
        committee_services.invitation_accept(invitation_id=second.pk, user=intruder)
    contact.refresh_from_db()
    assert contact.user == owner


def test_person_page_links_to_message_history_and_membership(
    coordinator, vetted_member, client_for
):
    from django.urls import reverse as _reverse

    page = client_for(coordinator).get(
        _reverse("members:person_detail", args=[vetted_member.person.pk])
    )
    text = page.content.decode()
    assert _reverse("notifications:person_history", args=[vetted_member.person.pk]) in text
    assert _reverse("committees:membership_detail", args=[vetted_member.pk]) in text


def test_organizer_records_consent_for_several_purposes_and_channels_at_once(
    coordinator, client_for, committee
):
    person = PersonFactory(committee=committee, preferred_name="Varias", language="en")
    response = client_for(coordinator).post(
        reverse("members:person_consent", args=[person.pk]),
        {"purpose": ["reminders", "news"], "channel": ["sms", "email"], "granted": "yes"},
    )
    assert response.status_code == 302
    assert ConsentEvent.objects.filter(person=person, granted=True).count() == 4
    for purpose in (Purpose.REMINDERS, Purpose.NEWS):
        for channel in (Channel.SMS, Channel.EMAIL):
            assert may_contact(person=person, purpose=purpose, channel=channel)
    assert not may_contact(person=person, purpose=Purpose.RAID_ALERTS, channel=Channel.SMS)
