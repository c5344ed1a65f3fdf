"""Officials and agencies, the people in office, and their commitments over time."""

from __future__ import annotations

from datetime import date

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.access import Action, Viewer

from .. import incidents
from ..models import (
    Agency,
    Commitment,
    CommitmentEvent,
    CommitmentIncident,
    CommitmentKind,
    CommitmentStatus,
    OfficeHolder,
)

WRITTEN = frozenset({CommitmentStatus.PROMISED_IN_WRITING, CommitmentStatus.IN_FORCE})


def _own(actor: Viewer, *objects) -> None:
    for obj in objects:
        if obj is not None and obj.committee_id != actor.committee.pk:
            raise ValidationError(_("This is not in your committee."))


@transaction.atomic
def agency_save(
    *, actor: Viewer, agency: Agency | None = None, name: str, kind: str, jurisdiction: str = ""
) -> Agency:
    actor.require(Action.MANAGE_COALITION)
    _own(actor, agency)
    agency = agency or Agency(committee=actor.committee)
    agency.name, agency.kind, agency.jurisdiction = name.strip(), kind, jurisdiction.strip()
    agency.full_clean(exclude=["committee"])
    agency.save()
    return agency


@transaction.atomic
def office_holder_save(
    *,
    actor: Viewer,
    agency: Agency,
    holder: OfficeHolder | None = None,
    name: str,
    title: str = "",
    term_start: date | None = None,
    term_end: date | None = None,
) -> OfficeHolder:
    actor.require(Action.MANAGE_COALITION)
    _own(actor, agency)
    if term_start and term_end and term_end < term_start:
        raise ValidationError({"term_end": _("A term cannot end before it starts.")})
    holder = holder or OfficeHolder(agency=agency)
    holder.name, holder.title = name.strip(), title.strip()
    holder.term_start, holder.term_end = term_start, term_end
    holder.save()
    return holder


@transaction.atomic
def commitment_create(
    *,
    actor: Viewer,
    agency: Agency,
    kind: str,
    status: str = CommitmentStatus.ASKED,
    on: date | None = None,
    office_holder: OfficeHolder | None = None,
    other_en: str = "",
    other_es: str = "",
    in_writing: bool = False,
    note: str = "",
    source_url: str = "",
) -> Commitment:
    """A new commitment and the first row of its history."""
    actor.require(Action.MANAGE_COALITION)
    _own(actor, agency)
    if office_holder is not None and office_holder.agency_id != agency.pk:
        raise ValidationError({"office_holder": _("Choose someone in office at this agency.")})
    if kind == CommitmentKind.OTHER and not (other_en.strip() or other_es.strip()):
        raise ValidationError({"other_en": _("Say what the commitment is.")})
    on = on or timezone.localdate()
    commitment = Commitment.objects.create(
        committee=actor.committee,
        agency=agency,
        office_holder=office_holder,
        kind=kind,
        other_en=other_en.strip(),
        other_es=other_es.strip(),
        in_writing=in_writing or status in WRITTEN,
        status=status,
        status_since=on,
    )
    CommitmentEvent.objects.create(
        commitment=commitment,
        status=status,
        on=on,
        in_writing=commitment.in_writing,
        note=note.strip(),
        source_url=source_url.strip(),
        recorded_by=actor.membership,
    )
    return commitment


@transaction.atomic
def commitment_status_set(
    *,
    actor: Viewer,
    commitment: Commitment,
    status: str,
    on: date | None = None,
    note: str = "",
    source_url: str = "",
    incident_ids: list[int] = (),
) -> CommitmentEvent:
    """Move a commitment to `status`, keeping the change as a new history row.

    "Broken" may name the incidents that show it; each is checked against the
    rapid-response part (it must be this committee's) before its id is kept."""
    actor.require(Action.MANAGE_COALITION)
    _own(actor, commitment)
    status = CommitmentStatus(status)
    on = on or timezone.localdate()
    if on > timezone.localdate():
        raise ValidationError({"on": _("The date cannot be in the future.")})
    if incident_ids and status != CommitmentStatus.BROKEN:
        raise ValidationError(_("Incidents can be linked only when the commitment is broken."))
    commitment = Commitment.objects.select_for_update().get(pk=commitment.pk)
    in_writing = commitment.in_writing or status in WRITTEN
    event = CommitmentEvent.objects.create(
        commitment=commitment,
        status=status,
        on=on,
        in_writing=in_writing,
        note=note.strip(),
        source_url=source_url.strip(),
        recorded_by=actor.membership,
    )
    Commitment.objects.filter(pk=commitment.pk).update(
        status=status, status_since=on, in_writing=in_writing
    )
    for incident_id in incident_ids:
        _link(actor, commitment, incident_id, event)
    return event


def _link(actor: Viewer, commitment: Commitment, incident_id: int, event=None):
    if incidents.incident_label(incident_id=incident_id, committee=actor.committee) is None:
        raise ValidationError(_("That incident was not found in your committee's reports."))
    link, _created = CommitmentIncident.objects.get_or_create(
        commitment=commitment, incident_id=incident_id, defaults={"event": event}
    )
    return link


@transaction.atomic
def commitment_incident_link(
    *, actor: Viewer, commitment: Commitment, incident_id: int
) -> CommitmentIncident:
    """Point a broken commitment at one more incident that shows it."""
    actor.require(Action.MANAGE_COALITION)
    _own(actor, commitment)
    if commitment.status != CommitmentStatus.BROKEN:
        raise ValidationError(_("Incidents can be linked only when the commitment is broken."))
    return _link(actor, commitment, incident_id)


@transaction.atomic
def commitment_document_attach(
    *, actor: Viewer, commitment: Commitment, document, public: bool = False
) -> Commitment:
    actor.require(Action.MANAGE_COALITION)
    _own(actor, commitment, document)
    commitment.document = document
    commitment.document_public = public
    commitment.save(update_fields=["document", "document_public"])
    return commitment


@transaction.atomic
def commitment_publish(
    *, actor: Viewer, commitment: Commitment, published: bool, document_public: bool
) -> Commitment:
    """Put a commitment on the public scorecard (or take it off), with its document or not."""
    actor.require(Action.MANAGE_COALITION)
    _own(actor, commitment)
    commitment.published = published
    commitment.document_public = document_public and commitment.document_id is not None
    commitment.save(update_fields=["published", "document_public"])
    return commitment
