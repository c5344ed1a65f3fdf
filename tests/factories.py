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
