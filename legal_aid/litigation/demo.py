"""Demo data for impact litigation (manage.py seed_demo): one matter in each status,
with its lawyers' group, key dates, evidence from the demo incidents and court-watch
forms, and declarants who agreed and who did not yet. Written directly, so nothing is
queued; idempotent (a second run finds the matters by name and changes nothing)."""

from __future__ import annotations

from datetime import timedelta

from django.utils import timezone

from committees import demo
from committees.models import Membership
from committees.roles import MembershipStatus, Role

from ..models import (
    Accompaniment,
    AccompanimentStatus,
    ClaimKind,
    Conduct,
    ConsentMethod,
    ConsentState,
    CounselRole,
    CourtWatchReport,
    Declarant,
    DeclarantConsent,
    Evidence,
    KeyDate,
    KeyDateKind,
    Matter,
    MatterStatus,
    MatterTeamMember,
    SourceKind,
)
from . import messaging, sources

S, K = MatterStatus, ClaimKind
MATTERS = [
    (S.INVESTIGATING, K.POLICE_ASSISTING_ICE, "Sheriff's help to ICE at traffic stops", ""),
    (S.DRAFTING, K.WARRANTLESS_ENTRY, "Home entries on Calle Ñandú", ""),
    (S.FILED, K.COURTHOUSE_ARREST, "Courthouse arrests at the immigration court", "2:26-cv-01234"),
    (S.DISCOVERY, K.NO_JUDICIAL_WARRANT, "Detentions without a judge's warrant", "2:25-cv-08765"),
    (S.DECIDED, K.UNLAWFUL_STOP, "Stops at the day-labor corner", "2:24-cv-04321"),
    (S.APPEAL, K.BIRTHRIGHT, "Birthright citizenship: newborns' passports", "25-5512"),
]


@demo.register(order=90)
def seed_litigation(committee, *, stdout) -> None:
    if Matter.objects.filter(committee=committee).exists():
        return
    lawyers = list(
        Membership.objects.filter(
            committee=committee, status=MembershipStatus.VETTED, roles__role=Role.LEGAL
        )
        .select_related("person")
        .distinct()
        .order_by("id")[:3]
    )
    if not lawyers:
        return
    today = timezone.localdate()
    incidents = [pk for pk, _label in sources.choices(committee, SourceKind.INCIDENT)][:4]
    watch = list(
        CourtWatchReport.objects.filter(hearing__case__committee=committee).values_list(
            "pk", flat=True
        )[:2]
    )
    escorted = list(
        Accompaniment.objects.filter(
            hearing__case__committee=committee, status=AccompanimentStatus.ACCEPTED
        ).values_list("pk", flat=True)[:6]
    )
    partners = sources.legal_partners(committee)
    for index, (status, claim_kind, name, number) in enumerate(MATTERS):
        matter = Matter.objects.create(
            committee=committee,
            public_name=name,
            claim_kind=claim_kind,
            claim="Fourth Amendment: entries and seizures without a judicial warrant.",
            parties="Plaintiffs: neighbours (pseudonymous). Defendants: the county sheriff.",
            court="U.S. District Court, Central District of California" if number else "",
            case_number=number,
            status=status,
            status_since=today - timedelta(days=30 * (6 - index)),
            opened_by=lawyers[0].person,
        )
        MatterTeamMember.objects.bulk_create(
            MatterTeamMember(
                matter=matter,
                membership=m,
                role=CounselRole.LEAD if i == 0 else CounselRole.CO_COUNSEL,
            )
            for i, m in enumerate(lawyers[: 1 + index % len(lawyers)])
        )
        if partners:
            MatterTeamMember.objects.create(
                matter=matter,
                partner_id=partners[0][0],
                partner_name=partners[0][1],
                name="Lic. Mónica Ibáñez",
                email="monica@example.org",
            )
        KeyDate.objects.create(
            matter=matter,
            kind=KeyDateKind.RESPONSE if number else KeyDateKind.FILING,
            due_on=today + timedelta(days=10 + 7 * index),
            label="",
        )
        links = [
            Evidence.objects.create(
                matter=matter,
                source_kind=SourceKind.INCIDENT,
                source_id=pk,
                conduct=Conduct.NO_JUDICIAL_WARRANT,
            )
            for pk in incidents[index % 2 : index % 2 + 2]
        ]
        links += [
            Evidence.objects.create(
                matter=matter,
                source_kind=SourceKind.COURT_WATCH,
                source_id=pk,
                conduct=Conduct.COURTHOUSE_ARREST,
            )
            for pk in watch[:1]
        ]
        links += [
            Evidence.objects.create(
                matter=matter,
                source_kind=SourceKind.ACCOMPANIMENT,
                source_id=pk,
                conduct=Conduct.COURTHOUSE_ARREST,
            )
            for pk in escorted[index : index + 1]
        ]
        _declarants(committee, matter, links, agreed=index % 2 == 0)
    stdout.write(f"  litigation: {len(MATTERS)} matters, one in each status")


def _declarants(committee, matter, links, *, agreed: bool) -> None:
    by_link = sources.witnesses(committee, links)
    for link in links:
        for person_id, _role in by_link.get(link.pk, [])[:1]:
            declarant, created = Declarant.objects.get_or_create(
                matter=matter, person_id=person_id, defaults={"evidence": link}
            )
            if not created or not agreed:
                continue
            language = declarant.person.language
            DeclarantConsent.objects.create(
                declarant=declarant,
                granted=True,
                wording=messaging.consent_wording(
                    committee_name=committee.name,
                    claim=messaging.claim_phrase(matter, language),
                    language=language,
                ),
                language=language,
                method=ConsentMethod.IN_PERSON,
            )
            declarant.consent_state = ConsentState.GRANTED
            declarant.save(update_fields=["consent_state"])
