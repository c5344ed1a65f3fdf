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


def grant_consent(person, purpose, channels=("sms",)):
    from members.consent import ConsentSource, consent_record

    for channel in channels:
        consent_record(
            person=person,
            purpose=purpose,
            channel=channel,
            granted=True,
            wording="Test wording",
            language=person.language,
            source=ConsentSource.WEB_FORM,
        )


def make_responder(
    committee,
    zones=(),
    *,
    trained="rapid_responder",
    consent=True,
    status=MembershipStatus.VETTED,
    roles=(Role.RESPONDER,),
    language="es",
    name=None,
    with_login=False,
):
    """A responder of `zones`: vetted, trained and agreeing to raid alerts by SMS unless
    told otherwise (trained=None: untrained; consent=False: no raid-alert consent)."""
    from members.consent import Purpose
    from members.models import TrainingRecord

    membership = make_member(
        committee,
        roles=roles,
        status=status,
        with_login=with_login,
        name=name,
        language=language,
    )
    person = membership.person
    person.zones.set(zones)
    if trained:
        TrainingRecord.objects.create(person=person, kind=trained, source="session")
    if consent:
        grant_consent(person, Purpose.RAID_ALERTS)
    return person


def bulk_responders(committee, zone, count, *, start=0):
    """`count` vetted, trained responders of `zone` with raid-alert consent, written in
    a few statements (for the board's query count with thousands of rows)."""
    from members.consent import Channel, Consent, ConsentEvent, ConsentSource, Purpose
    from members.models import TrainingKind, TrainingRecord

    people = []
    for i in range(start, start + count):
        person = Person(committee=committee, language="es" if i % 2 else "en")
        person.set_names(preferred_name=f"Responder {i:05d}")
        person.set_contact(phone=f"+1424555{i:04d}")
        people.append(person)
    Person.objects.bulk_create(people, batch_size=1000)
    Person.zones.through.objects.bulk_create(
        [Person.zones.through(person=p, zone=zone) for p in people], batch_size=1000
    )
    TrainingRecord.objects.bulk_create(
        [
            TrainingRecord(person=p, kind=TrainingKind.RAPID_RESPONDER, source="session")
            for p in people
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
                language=p.language,
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
    memberships = Membership.objects.bulk_create(
        [Membership(committee=committee, person=p, status=MembershipStatus.VETTED) for p in people],
        batch_size=1000,
    )
    MembershipRole.objects.bulk_create(
        [
            MembershipRole(membership=m, role=r)
            for m in memberships
            for r in (Role.MEMBER, Role.RESPONDER)
        ],
        batch_size=1000,
    )
    return people
