"""Demo data to click through: a committee with zones, ~50 people in every role and
status, and demo logins. Running it again changes nothing."""

from allauth.account.models import EmailAddress
from allauth.mfa.models import Authenticator
from allauth.mfa.recovery_codes.internal.auth import RecoveryCodes
from allauth.mfa.totp.internal.auth import TOTP
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from committees import demo
from committees.models import Committee, Membership, MembershipRole, Zone
from committees.roles import MFA_ROLES, MembershipStatus, Role
from members import availability
from members.consent import Channel, ConsentEvent, ConsentSource, Purpose, consent_record
from members.models import Person, Skill, TrainingKind, TrainingRecord, User

DEMO_PASSWORD = "defensa-demo-2026"
# A fixed secret so that `python manage.py demo_totp` can print the current code.
DEMO_TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"
DEMO_DOMAIN = "demo.defensa.test"

ZONES = [
    ("Zona 1 – Boyle Heights", "East of the river, 1st St to Whittier"),
    ("Zona 2 – El Sereno", "Huntington Dr corridor"),
    ("Zona 3 – Lincoln Heights", "Broadway and Main"),
    ("Zona 4 – City Terrace", "City Terrace Dr and Eastern Ave"),
    ("Zona 5 – Highland Park", "York Blvd and Figueroa"),
    ("Zona 6 – Cypress Park", "Cypress Ave and Figueroa"),
]

# (login, name, language, roles, status)
DEMO_LOGINS = [
    ("coordinator", "Ana", "es", [Role.COORDINATOR], MembershipStatus.VETTED),
    ("legal", "Beto", "es", [Role.LEGAL], MembershipStatus.VETTED),
    ("treasurer", "Carmen", "en", [Role.TREASURER], MembershipStatus.VETTED),
    ("dispatcher", "Diego", "es", [Role.DISPATCHER, Role.RESPONDER], MembershipStatus.VETTED),
    ("trainer", "Elena", "en", [Role.TRAINER], MembershipStatus.VETTED),
    ("responder", "Fernando", "es", [Role.RESPONDER], MembershipStatus.VETTED),
    ("member", "Gloria", "es", [], MembershipStatus.VETTED),
    ("newcomer", "Hugo", "es", [], MembershipStatus.PROBATIONARY),
]

OTHER_NAMES = (
    "Inés Jorge Karla Luis Marisol Nico Olga Pablo Quetzal Rosa Samuel Teresa Ulises Valeria "
    "Walter Ximena Yolanda Zoe Adriana Bruno Cecilia Daniel Esperanza Felipe Guadalupe Héctor "
    "Isabel Javier Lupe Mateo Noemí Óscar Paola Ramón Sofía Tomás Úrsula Víctor Wendy Yahir "
    "Zulema Alma"
).split()
OTHER_LANGUAGES = [[], ["en"], ["mix"], [], ["pt", "en"], ["zap"], [], ["quc"], ["es"]]
ROLE_CYCLE = [
    [Role.RESPONDER],
    [],
    [Role.RESPONDER],
    [Role.TRAINER],
    [],
    [Role.LEGAL],
    [Role.RESPONDER],
    [],
    [Role.DISPATCHER],
    [Role.RESPONDER],
]
STATUS_CYCLE = [MembershipStatus.VETTED] * 7 + [
    MembershipStatus.PROBATIONARY,
    MembershipStatus.PROBATIONARY,
    MembershipStatus.SUSPENDED,
]


class Command(BaseCommand):
    help = "Load demo data (idempotent). Refuses to run unless DEBUG is on, or with --force."

    def add_arguments(self, parser):
        parser.add_argument("--force", action="store_true")
        parser.add_argument("--quiet-logins", action="store_true", help="Do not print the logins.")

    def handle(self, *args, **options):
        if not settings.DEBUG and not options["force"]:
            raise CommandError(
                "seed_demo creates known passwords; run it only on a laptop (DEBUG)."
            )
        with transaction.atomic():
            committee = self._committee("eastside", "Comité de Defensa Eastside", "Eastside")
            for name, description in ZONES:
                Zone.objects.get_or_create(
                    committee=committee, name=name, defaults={"description": description}
                )
            coordinator = None
            for index, (login, name, language, roles, status) in enumerate(DEMO_LOGINS):
                user = self._user(f"{login}@{DEMO_DOMAIN}", language, roles, status)
                membership = self._person(committee, name, language, roles, status, index, user)
                coordinator = coordinator or membership
            for index, name in enumerate(OTHER_NAMES):
                self._person(
                    committee,
                    name,
                    "es" if index % 3 else "en",
                    ROLE_CYCLE[index % len(ROLE_CYCLE)],
                    STATUS_CYCLE[index % len(STATUS_CYCLE)],
                    index + len(DEMO_LOGINS),
                    None,
                    vouched_by=coordinator if index % 2 else None,
                )
            # The coordinator also belongs to a second committee, to show switching.
            westside = self._committee("westside", "Westside Defense Committee", "Westside")
            Zone.objects.get_or_create(committee=westside, name="Zone A – Mar Vista")
            self._person(
                westside,
                "Ana",
                "es",
                [Role.COORDINATOR],
                MembershipStatus.VETTED,
                90,
                User.objects.get(email=f"coordinator@{DEMO_DOMAIN}"),
            )
            self._person(
                westside, "Rafa", "es", [Role.RESPONDER], MembershipStatus.VETTED, 91, None
            )
            for contribute in demo.contributors():
                contribute(committee, stdout=self.stdout)
        if not options["quiet_logins"]:
            self.print_logins()

    def _committee(self, slug, name, area):
        committee, _created = Committee.objects.get_or_create(
            slug=slug, defaults={"name": name, "area": area, "timezone": settings.TIME_ZONE}
        )
        return committee

    def _user(self, email, language, roles, status):
        user, created = User.objects.get_or_create(email=email, defaults={"language": language})
        if created:
            user.set_password(DEMO_PASSWORD)
            user.save()
        EmailAddress.objects.get_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        needs_mfa = status == MembershipStatus.VETTED and any(r in MFA_ROLES for r in roles)
        if (
            needs_mfa
            and not Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()
        ):
            TOTP.activate(user, DEMO_TOTP_SECRET)
            RecoveryCodes.activate(user)
        return user

    def _person(self, committee, name, language, roles, status, index, user, vouched_by=None):
        person = Person.objects.filter(committee=committee, preferred_name=name).first()
        if person is None:
            person = Person(committee=committee, language=language, user=user)
            person.set_names(preferred_name=name)
            email = user.email if user else f"{name.lower()}.{committee.slug}@example.org"
            person.set_contact(phone=f"+1213555{100 + index % 100:04d}", email=email)
            person.save()
            self._details(person, index)
        membership, created = Membership.objects.get_or_create(
            person=person, defaults={"committee": committee, "status": status}
        )
        if created:
            if status == MembershipStatus.VETTED:
                membership.approved_at = membership.joined_at
            if vouched_by is not None and status == MembershipStatus.PROBATIONARY:
                membership.vouched_by = vouched_by
                membership.vouched_at = membership.joined_at
            membership.save()
            for role in {Role.MEMBER, *roles}:
                MembershipRole.objects.get_or_create(membership=membership, role=role)
        return membership

    def _details(self, person, index):
        """Skills, zones, languages, availability, a training and consents, varied by index."""
        skills = list(Skill.objects.filter(committee__isnull=True).order_by("slug"))
        zones = list(Zone.objects.filter(committee=person.committee).order_by("name"))
        person.skills.set(skills[index % len(skills) :: 5][:2])
        if zones:
            person.zones.set([zones[index % len(zones)]])
        person.other_languages.set(OTHER_LANGUAGES[index % len(OTHER_LANGUAGES)])
        person.availability = availability.mask_for(index % 7) | availability.bit(
            (index + 3) % 7, "evening"
        )
        person.save(update_fields=["availability"])
        if index % 3 != 2:
            TrainingRecord.objects.create(
                person=person,
                kind=list(TrainingKind)[index % len(TrainingKind)],
                source=TrainingRecord.Source.SESSION,
            )
        if not ConsentEvent.objects.filter(person=person).exists():
            wording = {
                "es": "Acepto recibir alertas y recordatorios del comité por mensaje de texto.",
                "en": "I agree to receive alerts and reminders from the committee by text.",
            }[person.language]
            for purpose in (Purpose.RAID_ALERTS, Purpose.REMINDERS)[: 1 + index % 2]:
                consent_record(
                    person=person,
                    purpose=purpose,
                    channel=Channel.SMS,
                    granted=True,
                    wording=wording,
                    language=person.language,
                    source=ConsentSource.WEB_FORM,
                )

    def print_logins(self):
        lines = [
            "",
            f"Demo logins (password for all: {DEMO_PASSWORD})",
        ]
        for login, name, _language, roles, status in DEMO_LOGINS:
            role_text = ", ".join(str(r.label) for r in roles) or "member"
            email = f"{login}@{DEMO_DOMAIN}"
            lines.append(f"  {email:<32} {name:<9} {role_text} ({status.label!s})")
        lines += [
            "Coordinator, legal, treasurer, dispatcher and trainer sign in with a second factor:",
            "  `make totp` prints the current code (.venv/bin/python manage.py demo_totp).",
            "",
        ]
        self.stdout.write("\n".join(str(line) for line in lines))
