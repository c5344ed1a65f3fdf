import factory
from allauth.mfa.models import Authenticator
from allauth.mfa.totp.internal.auth import TOTP

from committees.models import Committee, Membership, MembershipRole, Zone
from committees.roles import MFA_ROLES, MembershipStatus, Role
from members.models import Person, User

TEST_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


class CommitteeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Committee

    name = factory.Sequence(lambda n: f"Committee {n}")
    slug = factory.Sequence(lambda n: f"committee-{n}")
    area = "Eastside"


class ZoneFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Zone

    committee = factory.SubFactory(CommitteeFactory)
    name = factory.Sequence(lambda n: f"Zone {n}")


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    language = "en"
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery staple")

    @factory.post_generation
    def save_password(obj, create, extracted, **kwargs):
        if create:
            obj.save()


class PersonFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Person
        skip_postgeneration_save = True

    committee = factory.SubFactory(CommitteeFactory)
    preferred_name = factory.Sequence(lambda n: f"Person{n}")
    language = "es"

    @factory.post_generation
    def contact(obj, create, extracted, **kwargs):
        n = obj.pk or 0
        obj.set_names(preferred_name=obj.preferred_name, full_name=obj.full_name)
        obj.set_contact(
            phone=kwargs.get("phone", f"+1213555{n % 10000:04d}"),
            email=kwargs.get("email", f"person{n}@example.org"),
        )
        if create:
            obj.save()


def make_member(
    committee,
    *,
    roles=(),
    status=MembershipStatus.VETTED,
    with_login=True,
    mfa=None,
    name=None,
    language="en",
):
    """A person in `committee` with a membership; with a login (and TOTP for staff roles)."""
    user = UserFactory(language=language) if with_login else None
    kwargs = {"committee": committee, "user": user, "language": language}
    if name:
        kwargs["preferred_name"] = name
    person = PersonFactory(**kwargs)
    membership = Membership.objects.create(committee=committee, person=person, status=status)
    for role in {Role.MEMBER, *roles}:
        MembershipRole.objects.create(membership=membership, role=role)
    if mfa is None:
        mfa = bool(set(roles) & MFA_ROLES)
    if user and mfa:
        TOTP.activate(user, TEST_TOTP_SECRET)
    return membership


def has_authenticator(user) -> bool:
    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


FIRST_NAMES = ["María", "José", "Ana", "Luis", "Rosa", "Pedro", "Lupe", "Jorge", "Inés", "Tomás"]


def bulk_people(committee, count, *, zones=(), skills=(), start=0, with_memberships=True):
    """`count` people made with bulk_create (fast enough for thousands), each with a
    phone, an email, a membership with roles, other languages, a skill, a zone, a
    training and a consent, so that every row of the directory has something to show."""
    from members import availability
    from members.consent import Channel, Consent, ConsentEvent, ConsentSource, Purpose
    from members.models import TrainingKind, TrainingRecord

    people = []
    for i in range(start, start + count):
        person = Person(
            committee=committee,
            language="es" if i % 3 else "en",
            availability=availability.mask_for(i % 7) | availability.bit(1, "evening"),
        )
        person.set_names(
            preferred_name=f"{FIRST_NAMES[i % len(FIRST_NAMES)]} {i:05d}",
            full_name=f"{FIRST_NAMES[i % len(FIRST_NAMES)]} Bulk {i:05d}",
        )
        person.set_contact(phone=f"+1323555{i:04d}", email=f"bulk{i}@example.org")
        people.append(person)
    Person.objects.bulk_create(people, batch_size=1000)
    links = {"zones": [], "skills": [], "other_languages": []}
    for i, person in enumerate(people):
        if zones:
            links["zones"].append(Person.zones.through(person=person, zone=zones[i % len(zones)]))
        if skills:
            links["skills"].append(
                Person.skills.through(person=person, skill=skills[i % len(skills)])
            )
        links["other_languages"].append(
            Person.other_languages.through(person=person, spokenlanguage_id=("pt", "mix")[i % 2])
        )
    for name, rows in links.items():
        getattr(Person, name).through.objects.bulk_create(rows, batch_size=1000)
    TrainingRecord.objects.bulk_create(
        [
            TrainingRecord(person=p, kind=TrainingKind.KNOW_YOUR_RIGHTS, source="session")
            for p in people[::2]
        ],
        batch_size=1000,
    )
    events = ConsentEvent.objects.bulk_create(
        [
            ConsentEvent(
                person=p,
                purpose=Purpose.RAID_ALERTS,
                channel=Channel.SMS,
                granted=True,
                wording="Test wording",
                language="es",
                source=ConsentSource.IMPORT,
            )
            for p in people
        ],
        batch_size=1000,
    )
    Consent.objects.bulk_create(
        [
            Consent(person=e.person, purpose=e.purpose, channel=e.channel, granted=True, event=e)
            for e in events
        ],
        batch_size=1000,
    )
    if with_memberships:
        memberships = Membership.objects.bulk_create(
            [
                Membership(
                    committee=committee,
                    person=p,
                    status=MembershipStatus.VETTED if i % 4 else MembershipStatus.PROBATIONARY,
                )
                for i, p in enumerate(people)
            ],
            batch_size=1000,
        )
        MembershipRole.objects.bulk_create(
            [MembershipRole(membership=m, role=Role.MEMBER) for m in memberships]
            + [MembershipRole(membership=m, role=Role.RESPONDER) for m in memberships[::3]],
            batch_size=1000,
        )
    return people


# --- Legal aid ------------------------------------------------------------------------------


def make_legal_request(committee, *, name="Rosa Martínez", urgency="general", **fields):
    """A request written directly (no messages), with its person."""
    from legal_aid.models import LegalRequest

    person = fields.pop("person", None) or PersonFactory(committee=committee)
    if name:
        person.set_names(preferred_name=name)
        person.save()
    values = {"help_kind": "find_lawyer", "language": "es", "source": "public"}
    values.update(fields)
    return LegalRequest.objects.create(
        committee=committee, person=person, contact=person, urgency=urgency, **values
    )


def make_case(committee, *, team=(), name="Rosa Martínez", person=None, **fields):
    """A case with its person and its team (legal-role memberships), written directly."""
    from legal_aid.models import Case, TeamMember

    if person is None:
        person = PersonFactory(committee=committee)
        person.set_names(preferred_name=name)
        person.save()
    values = {"urgency": "hearing_soon", "status": "seeking", "contact": person}
    values.update(fields)
    case = Case.objects.create(committee=committee, person=person, **values)
    for membership in team:
        TeamMember.objects.create(case=case, membership=membership)
    return case


def make_hearing(case, *, starts_in=None, **fields):
    from datetime import timedelta

    from django.utils import timezone

    from legal_aid.models import Hearing

    values = {
        "kind": "master",
        "starts_at": timezone.now() + (starts_in or timedelta(days=9)),
        "place": "Los Angeles Immigration Court",
        "meeting_point": "Front steps",
        "accompaniers_needed": 2,
        "accompaniment_language": "es",
    }
    values.update(fields)
    return Hearing.objects.create(case=case, **values)


def make_accompanier(committee, *, language="es", name=None, trained=True):
    """A vetted member trained in court accompaniment who agreed to reminders."""
    from members.consent import Channel, ConsentSource, Purpose, consent_record
    from members.models import TrainingKind, TrainingRecord

    membership = make_member(committee, roles=[Role.RESPONDER], name=name, language=language)
    person = membership.person
    if trained:
        TrainingRecord.objects.create(
            person=person, kind=TrainingKind.COURT_ACCOMPANIMENT, source="session"
        )
    for channel in (Channel.SMS, Channel.EMAIL):
        consent_record(
            person=person,
            purpose=Purpose.REMINDERS,
            channel=channel,
            granted=True,
            wording="ok",
            language=language,
            source=ConsentSource.WEB_FORM,
        )
    return membership
