"""Demo data for legal aid (manage.py seed_demo): a dozen cases in every state, requests
in the queue, hearings next week with accompaniers. Written directly, so no message is
queued; idempotent (a second run finds the marker case and changes nothing)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from committees import demo
from committees.models import Membership
from committees.roles import MembershipStatus, Role
from members.models import Person, TrainingKind, TrainingRecord

from .models import (
    Accompaniment,
    AccompanimentStatus,
    Case,
    CaseStatus,
    DeadlineTask,
    Hearing,
    HearingKind,
    HelpKind,
    LegalAidSettings,
    LegalRequest,
    ProceedingType,
    Representation,
    RequestSource,
    RequestStatus,
    TeamMember,
    Urgency,
)
from .services.hearings import deadlines_compute

CLIENTS = [
    "Rosa Martínez", "José Hernández", "María López", "Luis García", "Guadalupe Pérez",
    "Jorge Ramírez", "Carmen Flores", "Miguel Torres", "Ana Rivera", "Pedro Gómez",
    "Lucía Díaz", "Francisco Cruz",
]  # fmt: skip
STATES = [CaseStatus.SEEKING_COUNSEL, CaseStatus.REPRESENTED, CaseStatus.REFERRED]
URGENCIES = [Urgency.DETAINED, Urgency.HEARING_SOON, Urgency.GENERAL]
KINDS = [HearingKind.MASTER, HearingKind.INDIVIDUAL, HearingKind.BOND, HearingKind.CHECK_IN]
PLACES = [
    "Los Angeles Immigration Court, 606 S Olive St",
    "ICE ERO Los Angeles, 300 N Los Angeles St",
    "Adelanto Immigration Court",
]


def _client(committee, name: str, language: str) -> Person:
    person = Person.objects.filter(committee=committee, preferred_name=name).first()
    if person is None:
        person = Person(committee=committee, language=language)
        person.set_names(preferred_name=name)
        # A way to reach them (often a relative's phone): the intake asks for one, and
        # the directory's own export must import back (every row needs a contact).
        taken = Person.objects.filter(committee=committee).count()
        person.set_contact(phone=f"+1323555{100 + taken % 100:04d}")
        person.save()
    return person


@demo.register(order=40)
def seed_legal_aid(committee, *, stdout) -> None:
    if Case.objects.filter(committee=committee).exists():
        return
    now = timezone.now()
    LegalAidSettings.objects.get_or_create(
        committee=committee, defaults={"team_phone": "+12135550199"}
    )
    legal = list(
        Membership.objects.filter(
            committee=committee, status=MembershipStatus.VETTED, roles__role=Role.LEGAL
        ).order_by("person__preferred_name", "id")
    )
    removal = ProceedingType.objects.filter(committee=None, slug="removal").first()
    accompaniers = list(
        Person.objects.filter(committee=committee, membership__status=MembershipStatus.VETTED)
        .exclude(membership__roles__role=Role.LEGAL)
        .order_by("pk")[:4]
    )
    for person in accompaniers:
        if not person.training_records.filter(kind=TrainingKind.COURT_ACCOMPANIMENT).exists():
            TrainingRecord.objects.create(
                person=person,
                kind=TrainingKind.COURT_ACCOMPANIMENT,
                source=TrainingRecord.Source.ORGANIZER,
            )
    for index, name in enumerate(CLIENTS):
        language = "es" if index % 4 else "en"
        client = _client(committee, name, language)
        urgency = URGENCIES[index % 3]
        request = LegalRequest.objects.create(
            committee=committee,
            person=client,
            contact=client,
            urgency=urgency,
            help_kind=[HelpKind.DETENTION, HelpKind.ACCOMPANIMENT, HelpKind.FIND_LAWYER][index % 3],
            language=language,
            source=[RequestSource.PUBLIC, RequestSource.ORGANIZER][index % 2],
            status=RequestStatus.ACCEPTED,
            received_at=now - timedelta(days=40 - index * 3),
            decided_at=now - timedelta(days=39 - index * 3),
        )
        closed = index >= 10
        case = Case.objects.create(
            committee=committee,
            request=request,
            person=client,
            contact=client,
            urgency=urgency,
            status=CaseStatus.CLOSED if closed else STATES[index % 3],
            representation=Representation.ALL if index % 3 == 1 else Representation.NONE,
            partner_organization="CHIRLA" if index % 3 == 2 else "",
            proceeding_type=removal,
            a_number=f"{200000000 + index * 1111:09d}",
            detention_facility="Adelanto ICE Processing Center" if urgency == "detained" else None,
            notes="Demo case: nothing here is real.",
            opened_at=now - timedelta(days=39 - index * 3),
            closed_at=now - timedelta(days=2) if closed else None,
            close_reason="Relief granted" if closed else "",
        )
        if legal:
            TeamMember.objects.create(case=case, membership=legal[index % len(legal)])
        if closed:
            continue
        hearing = Hearing.objects.create(
            case=case,
            kind=KINDS[index % 4],
            starts_at=(now + timedelta(days=7 + index % 5)).replace(
                hour=9 + index % 4, minute=0, second=0, microsecond=0
            ),
            place=PLACES[index % 3],
            meeting_point="Coffee shop on the corner, 30 minutes before",
            accompaniers_needed=2,
            accompaniment_language=language,
        )
        deadlines_compute(hearing)
        for offset, person in enumerate(accompaniers[: 1 + index % 2]):
            Accompaniment.objects.get_or_create(
                hearing=hearing,
                person=person,
                defaults={
                    "status": AccompanimentStatus.ACCEPTED
                    if offset == 0
                    else AccompanimentStatus.OFFERED
                },
            )
    DeadlineTask.objects.filter(case__committee=committee, due_on__lt=now.date()).update(
        done_at=now
    )
    # Three requests waiting in the queue, one of them about someone detained now.
    for index, (name, urgency) in enumerate(
        [("Esteban Morales", Urgency.DETAINED), ("Silvia Reyes", Urgency.HEARING_SOON),
         ("Tomás Vega", Urgency.GENERAL)]
    ):  # fmt: skip
        person = _client(committee, name, "es")
        LegalRequest.objects.create(
            committee=committee,
            person=person,
            contact=person,
            urgency=urgency,
            help_kind=HelpKind.FIND_LAWYER,
            language="es",
            source=RequestSource.PUBLIC,
            received_at=now - timedelta(hours=5 - index),
        )
    stdout.write("Legal aid: 12 cases, 10 hearings next week, 3 requests waiting.")
