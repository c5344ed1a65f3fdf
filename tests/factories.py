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


# --- Bond fund -----------------------------------------------------------------------------


def fund_money_in(actor, committee, cents, *, key, person=None, at=None):
    """Put `cents` into the fund: a pledge and its payment, through the services."""
    from datetime import timedelta

    from django.utils import timezone

    from bond_fund import services

    pledge = services.pledge_create(
        committee=committee,
        person=person or PersonFactory(committee=committee),
        amount_cents=cents,
        due_on=timezone.localdate() + timedelta(days=10),
        source="treasurer",
        actor=actor,
    )
    services.payment_record(
        actor=actor, pledge=pledge, amount_cents=cents, method="check", idempotency_key=key
    )
    return pledge


def make_bond(actor, legal_cases, *, amount_cents=2_000_00, status="approved", person=None):
    """A bond request through the services, moved on to `status` (requested, approved or
    funding)."""
    from bond_fund import services

    case_id = legal_cases.add(actor.committee, person=person)
    bond = services.bond_request_open(actor=actor, case_id=case_id, amount_cents=amount_cents)
    bond = services.bond_update(
        actor=actor, bond=bond, obligor_name="Casa Libre", obligor_kind="organization"
    )
    if status in ("approved", "funding"):
        bond = services.bond_approve(actor=actor, bond=bond)
    if status == "funding":
        bond = services.bond_funding_open(actor=actor, bond=bond)
    return bond


def donor(committee, *, language="es", channels=("sms", "email"), **kwargs):
    """A person who agreed to fundraising messages on `channels`."""
    from members.consent import ConsentSource, Purpose, consent_record

    person = PersonFactory(committee=committee, language=language, **kwargs)
    for channel in channels:
        consent_record(
            person=person,
            purpose=Purpose.FUNDRAISING,
            channel=channel,
            granted=True,
            wording="ok",
            language=language,
            source=ConsentSource.WEB_FORM,
        )
    return person


def bulk_ledger(committee, entries: int, *, actor=None, start=None):
    """About `entries` ledger entries (payments in, two entries each) made with
    bulk_create, spread over the past year: fast enough for 100,000."""
    from datetime import timedelta

    from django.utils import timezone

    from bond_fund.models import Entry, Transaction
    from bond_fund.services.ledger import accounts_for

    accounts = accounts_for(committee)
    start = start or timezone.now() - timedelta(days=365)
    count = entries // 2
    step = timedelta(days=365) / max(count, 1)
    prefix = f"bulk:{committee.pk}:{Transaction.objects.count()}"
    transactions = Transaction.objects.bulk_create(
        [
            Transaction(
                committee=committee,
                kind="payment",
                at=start + step * n,
                actor=actor.person if actor is not None else None,
                reason=f"Gift {n}",
                idempotency_key=f"{prefix}:{n}",
            )
            for n in range(count)
        ],
        batch_size=2000,
    )
    Entry.objects.bulk_create(
        [
            entry
            for n, txn in enumerate(transactions)
            for entry in (
                Entry(transaction=txn, account=accounts["cash"], amount_cents=1_000 + n % 500),
                Entry(
                    transaction=txn, account=accounts["donations"], amount_cents=-(1_000 + n % 500)
                ),
            )
        ],
        batch_size=4000,
    )
    return transactions


# --- coalition ---------------------------------------------------------------------------


def grant_consent(person, purpose="reminders", channels=("sms", "email")):
    """Record that `person` agreed to messages for `purpose` on `channels`."""
    from members.consent import consent_record

    for channel in channels:
        consent_record(
            person=person,
            purpose=purpose,
            channel=channel,
            granted=True,
            wording="Test consent",
            language=person.language,
            source="spoken",
        )


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "coalition.Partner"

    committee = factory.SubFactory(CommitteeFactory)
    name = factory.Sequence(lambda n: f"Partner {n}")
    kind = "faith"
    relationship = "ally"
    offers = factory.LazyFunction(lambda: ["space", "volunteers"])


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "coalition.Agency"

    committee = factory.SubFactory(CommitteeFactory)
    name = factory.Sequence(lambda n: f"Agency {n}")
    kind = "sheriff"


class CommitmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = "coalition.Commitment"

    committee = factory.SelfAttribute("agency.committee")
    agency = factory.SubFactory(AgencyFactory)
    kind = "no_287g"
    status = "asked"


# --- legal aid: impact litigation ----------------------------------------------------------


def make_matter(committee, *, team=(), public_name="Courthouse arrests suit", **fields):
    """A litigation matter with committee members on its team, written directly."""
    from legal_aid.models import Matter, MatterTeamMember

    values = {"claim_kind": "courthouse_arrest", "claim": "Arrests at the courthouse steps"}
    values.update(fields)
    matter = Matter.objects.create(committee=committee, public_name=public_name, **values)
    for membership in team:
        MatterTeamMember.objects.create(matter=matter, membership=membership)
    return matter


def make_incident(committee, *, zone=None, observer=None, when=None, **log):
    """A confirmed rapid-response incident with one observer log (agencies, warrant)."""
    from django.utils import timezone

    from rapid_response.models import Incident, ObserverLog

    when = when or timezone.now()
    incident = Incident.objects.create(
        committee=committee,
        zone=zone,
        status="confirmed",
        opened_at=when,
        last_report_at=when,
        verified_at=when,
        report_count=2,
    )
    values = {"agencies": ["ice"], "warrant": "none", "detained_count": 1, "note": ""}
    values.update(log)
    ObserverLog.objects.create(incident=incident, filed_by=observer, filed_at=when, **values)
    return incident
