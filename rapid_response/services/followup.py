"""After the alert: the observer log, and the hand-off of a detained person who wants help
to legal aid (a "detained now" request) and, when the team decides, the bond fund."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from committees.access import Action

from .. import handoff
from ..models import Agency, Handoff, LogEntry, ObserverLog
from .common import log


@transaction.atomic
def observer_log_file(
    *, actor, incident, agencies=(), warrant: str, detained_count: int, note: str = ""
) -> ObserverLog:
    """What happened: agencies present, warrant shown or not, how many were detained."""
    actor.require(Action.DISPATCH)
    if warrant not in ObserverLog.Warrant.values:
        raise ValidationError(_("Say whether a warrant was shown."))
    if not 0 <= int(detained_count) <= 500:
        raise ValidationError(_("Give the number of people detained (0 if none)."))
    observation = ObserverLog.objects.create(
        incident=incident,
        agencies=[a for a in agencies if a in Agency.values],
        warrant=warrant,
        detained_count=int(detained_count),
        note=(note or "").strip()[:2000] or None,
        filed_by=actor.membership,
    )
    log(incident, LogEntry.Kind.OBSERVED, actor=actor, note=str(observation.detained_count))
    return observation


@transaction.atomic
def detained_handoff(
    *, actor, incident, name: str = "", phone: str = "", language: str = "es", note: str = ""
) -> Handoff:
    """A detained person (or their family) wants help: open a "detained now" legal-aid
    request through legal aid's service and keep its id. Nothing about the person is
    kept here."""
    actor.require(Action.HANDOFF_DETAINED)
    request = handoff.legal_request_open(
        actor=actor,
        incident_id=incident.pk,
        name=name.strip()[:120],
        phone=phone,
        language=language,
        note=note.strip()[:2000],
    )
    record = Handoff.objects.create(
        incident=incident, legal_request_id=request.pk, created_by=actor.membership
    )
    log(incident, LogEntry.Kind.HANDOFF, actor=actor)
    return record


@transaction.atomic
def bond_handoff(
    *, actor, record: Handoff, case_id: int, amount_cents: int | None = None, note: str = ""
) -> Handoff:
    """The team decided to ask the bond fund: a bond request for the person's case."""
    actor.require(Action.HANDOFF_BOND)
    record = Handoff.objects.select_for_update().get(pk=record.pk)
    if record.bond_request_id:
        raise ValidationError(_("A bond request was already made for this person."))
    request = handoff.bond_request_open(
        actor=actor, case_id=case_id, amount_cents=amount_cents, note=note.strip()[:2000]
    )
    record.bond_request_id, record.bond_requested_at = request.pk, timezone.now()
    record.save(update_fields=["bond_request_id", "bond_requested_at"])
    log(record.incident, LogEntry.Kind.HANDOFF, actor=actor)
    return record
