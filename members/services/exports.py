"""Getting data out: the coordinators' CSV export and a person's own data download."""

from __future__ import annotations

from collections.abc import Iterator

from django.db import transaction
from django.db.models import Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.access import Action, Viewer
from committees.models import MembershipRole

from .. import availability
from ..audit import AuditEvent, audit_record
from ..consent import Channel, ConsentEvent, Purpose
from ..models import Person
from ..selectors import with_row_details

CONSENT_PAIRS = [(purpose, channel) for purpose in Purpose for channel in Channel]


def export_header() -> list[str]:
    """Column names in the reader's language; the import understands both languages."""
    header = [
        _("name"),
        _("full name"),
        _("phone"),
        _("email"),
        _("language"),
        _("other languages"),
        _("skills"),
        _("zones"),
        _("availability"),
        _("trainings"),
        _("status"),
        _("roles"),
    ]
    header += [
        _("consent: %(purpose)s by %(channel)s")
        % {"purpose": purpose.label, "channel": channel.label}
        for purpose, channel in CONSENT_PAIRS
    ]
    return header


def _row(person: Person) -> list[str]:
    membership = getattr(person, "membership", None)
    answers = {(c.purpose, c.channel): c.granted for c in person.consents.all()}
    yes, no = _("yes"), _("no")
    return [
        person.preferred_name,
        person.full_name,
        person.phone or "",
        person.email or "",
        person.get_language_display(),
        "; ".join(lang.label for lang in person.other_languages.all()),
        "; ".join(skill.label for skill in person.skills.all()),
        "; ".join(zone.name for zone in person.zones.all()),
        "; ".join(
            f"{day} ({', '.join(parts)})"
            for day, parts in availability.describe(person.availability)
        ),
        "; ".join(sorted({record.get_kind_display() for record in person.training_records.all()})),
        membership.get_status_display() if membership else _("Contact (not a member)"),
        ", ".join(role.get_role_display() for role in membership.roles.all()) if membership else "",
    ] + [
        ("" if (p, c) not in answers else yes if answers[(p, c)] else no) for p, c in CONSENT_PAIRS
    ]


@transaction.atomic
def people_export(*, actor: Viewer, people: QuerySet, description: dict) -> tuple[int, Iterator]:
    """Export a filtered list of people: coordinators only, recorded in the audit log.

    `people` comes from PersonFilter (already scoped to the committee); the audit
    event keeps who, when, how many rows and `description` (the filters, without
    any personal data). Returns the row count and an iterator of rows to write.
    """
    actor.require(Action.EXPORT_PEOPLE)
    count = people.count()
    audit_record(viewer=actor, kind=AuditEvent.Kind.EXPORTED, row_count=count, details=description)
    rows = with_row_details(people).prefetch_related("consents")
    return count, (_row(person) for person in rows.iterator(chunk_size=1000))


def my_data(*, actor: Viewer) -> dict:
    """Everything the committee keeps about the signed-in person (not coordinators'
    notes, which are the committee's own working notes)."""
    person = (
        Person.objects.select_related("committee", "membership", "user")
        .prefetch_related(
            "other_languages",
            "skills",
            "zones",
            "training_records",
            Prefetch("membership__roles", queryset=MembershipRole.objects.order_by("role")),
        )
        .get(pk=actor.person.pk)
    )
    membership = getattr(person, "membership", None)
    events = ConsentEvent.objects.filter(person=person).order_by("created_at", "id")
    return {
        "exported_at": timezone.now().isoformat(),
        "committee": person.committee.name,
        "person": {
            "preferred_name": person.preferred_name,
            "full_name": person.full_name,
            "phone": person.phone or "",
            "email": person.email or "",
            "preferred_language": person.language,
            "other_languages": [lang.code for lang in person.other_languages.all()],
            "skills": [skill.label for skill in person.skills.all()],
            "zones": [zone.name for zone in person.zones.all()],
            "availability": availability.to_slots(person.availability),
            "created_at": person.created_at.isoformat(),
        },
        "login": {"email": person.user.email, "language": person.user.language}
        if person.user
        else None,
        "membership": {
            "status": membership.status,
            "joined_at": membership.joined_at.isoformat(),
            "roles": [role.role for role in membership.roles.all()],
        }
        if membership
        else None,
        "trainings": [
            {"kind": r.kind, "completed_at": r.completed_at.isoformat(), "source": r.source}
            for r in person.training_records.all()
        ],
        "consent_events": [
            {
                "purpose": e.purpose,
                "channel": e.channel,
                "granted": e.granted,
                "wording": e.wording,
                "language": e.language,
                "source": e.source,
                "at": e.created_at.isoformat(),
            }
            for e in events
        ],
    }
