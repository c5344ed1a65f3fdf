"""Every people page makes as many queries with many rows as with few."""

from django.urls import reverse

from committees.access import load_viewer
from members import services
from members.audit import AuditEvent
from members.consent import Channel, ConsentSource, Purpose, consent_record
from members.models import ErasureRequest, Skill, TrainingKind, TrainingRecord

from ..factories import PersonFactory, ZoneFactory, bulk_people
from ..helpers import assert_constant_queries


def test_person_detail_and_edit_pages_do_not_grow_with_the_persons_data(
    coordinator, client_for, committee
):
    person = PersonFactory(committee=committee, preferred_name="Busy")
    client = client_for(coordinator)
    skills = list(Skill.objects.filter(committee__isnull=True))

    def add(n):
        for i in range(n):
            zone = ZoneFactory(committee=committee)
            person.zones.add(zone)
            person.skills.add(skills[i % len(skills)])
            TrainingRecord.objects.create(
                person=person, kind=TrainingKind.KNOW_YOUR_RIGHTS, source="session"
            )
            consent_record(
                person=person,
                purpose=list(Purpose)[i % 4],
                channel=Channel.SMS,
                granted=bool(i % 2),
                wording="w",
                language="es",
                source=ConsentSource.WEB_FORM,
                recorded_by=coordinator.person,
            )
            PersonFactory(committee=committee, contact__phone=person.phone)  # a likely twin

    for name in ("members:person_detail", "members:person_edit", "members:person_merge"):
        url = reverse(name, args=[person.pk])
        client.get(url)
        assert_constant_queries(add, lambda url=url: client.get(url), small=2, large=30)


def test_profile_page_does_not_grow_with_consents(vetted_member, client_for):
    client = client_for(vetted_member)
    client.get(reverse("profile:detail"))

    def add(n):
        for i in range(n):
            consent_record(
                person=vetted_member.person,
                purpose=list(Purpose)[i % 4],
                channel=list(Channel)[i % 2],
                granted=bool(i % 3),
                wording="w",
                language="en",
                source=ConsentSource.PROFILE,
            )

    assert_constant_queries(add, lambda: client.get(reverse("profile:detail")), small=2, large=40)


def test_audit_erasure_and_skill_pages_do_not_grow(coordinator, client_for, committee):
    client = client_for(coordinator)
    client.get(reverse("members:audit_log"))

    def add_events(n):
        people = bulk_people(committee, n, start=AuditEvent.objects.count() * 7)
        AuditEvent.objects.bulk_create(
            AuditEvent(
                committee=committee,
                actor=coordinator.person,
                person=p,
                kind=AuditEvent.Kind.VIEWED_CONTACT,
            )
            for p in people
        )

    assert_constant_queries(add_events, lambda: client.get(reverse("members:audit_log")))

    def add_requests(n):
        for _ in range(n):
            ErasureRequest.objects.create(person=PersonFactory(committee=committee))

    assert_constant_queries(
        add_requests, lambda: client.get(reverse("members:erasure_requests")), small=2, large=40
    )
    assert_constant_queries(
        add_requests, lambda: client.get(reverse("dashboard")), small=2, large=40
    )

    viewer = load_viewer(coordinator.person.user)

    def add_skills(n):
        for i in range(n):
            services.skill_save(
                actor=viewer, name_en=f"Skill {Skill.objects.count()} {i}", name_es="Habilidad"
            )

    assert_constant_queries(add_skills, lambda: client.get(reverse("members:skill_list")))
