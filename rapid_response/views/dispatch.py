"""The dispatch inbox, a dispatcher's report entry, and the incident page with its actions."""

from __future__ import annotations

from datetime import timedelta

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from committees.access import Action, get_object_or_404, requires
from members import audit

from .. import handoff, selectors, services
from ..forms import (
    BondForm,
    DispatcherReportForm,
    HandoffForm,
    NoteForm,
    ObserverForm,
    StatusForm,
    ZoneForm,
)
from ..models import Handoff, IncidentStatus, Report
from ..shared import lookup_hash
from .common import refused, render_local


@requires(Action.DISPATCH)
def inbox(request):
    viewer = request.viewer
    incidents = list(selectors.inbox(viewer=viewer)[:100])
    return render_local(
        request,
        "rapid_response/inbox.html",
        {
            "incidents": incidents,
            "recent": list(selectors.incidents_recent(viewer=viewer)[:20]),
            "purges": selectors.purge_schedule(viewer=viewer),
            "on_call": list(services.on_shift(viewer.committee)),
            "retention": services.dispatch_settings(viewer.committee),
        },
    )


@requires(Action.DISPATCH)
def report_new(request):
    viewer = request.viewer
    form = DispatcherReportForm(request.POST or None, committee=viewer.committee)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        minutes = data["seen_minutes_ago"]
        report = services.report_submit(
            committee=viewer.committee,
            source=Report.Source.DISPATCHER,
            zone=data["zone"],
            cross_streets=data["cross_streets"],
            activity=data["activity"],
            size=data["size"],
            uniforms=data["uniforms"],
            vehicles=data["vehicles"],
            agencies=data["agencies"],
            seen_at=timezone.now() - timedelta(minutes=minutes) if minutes is not None else None,
            callback_phone=data["callback"],
            source_hash=lookup_hash(data["callback"]) if data["callback"] else "",
            language=data["language"],
            entered_by=viewer,
        )
        services.incident_claim(actor=viewer, incident=report.incident)
        messages.success(request, _("Report saved. You own this incident."))
        return redirect("rapid_response:incident", report.incident_id)
    return render_local(
        request,
        "rapid_response/report_new.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


def _incident(request, incident_id, action=Action.DISPATCH):
    viewer = request.viewer
    if not viewer.can(action):
        from django.http import Http404

        raise Http404
    return selectors.incident(viewer=viewer, incident_id=incident_id)


@requires(Action.VIEW_INCIDENTS)
def incident_detail(request, incident_id):
    viewer = request.viewer
    incident = _incident(request, incident_id, Action.VIEW_INCIDENTS)
    dispatcher = viewer.can(Action.DISPATCH)
    reports = list(incident.reports.select_related("zone").order_by("received_at", "id"))
    context = {
        "incident": incident,
        "dispatcher": dispatcher,
        "reports": reports,
        "log": list(incident.log.select_related("actor__person", "person")),
        "alerts": list(incident.alerts.prefetch_related("zones").order_by("-sent_at")),
        "observations": list(incident.observations.all()),
        "handoffs": list(incident.handoffs.all()),
        "can_handoff": viewer.can(Action.HANDOFF_DETAINED),
        "can_bond": viewer.can(Action.HANDOFF_BOND),
    }
    # Links only for those the other part lets in (the legal team): no dead links.
    legal_team = viewer.can(Action.VIEW_LEGAL_QUEUE) and viewer.can(Action.VIEW_CASE)
    for record in context["handoffs"]:
        record.legal_url = (
            handoff.legal_request_url(record.legal_request_id) if legal_team else None
        )
        record.bond_url = (
            handoff.bond_request_url(record.bond_request_id) if record.bond_request_id else None
        )
    if dispatcher:
        earlier = selectors.false_reports_by_source(incident)
        for report in reports:
            report.earlier_false = earlier.get(report.source_hash, 0)
        callbacks = [r for r in reports if r.callback_phone]
        if callbacks:
            audit.audit_record(
                viewer=viewer,
                kind="rapid_response.callback_viewed",
                target=incident,
                row_count=len(callbacks),
            )
        context.update(
            {
                "confirmers": list(incident.confirmers.select_related("person")),
                "candidates": list(services.confirmer_candidates(incident)[:30])
                if incident.status in (IncidentStatus.UNVERIFIED, IncidentStatus.PROBABLE)
                else [],
                "status_form": StatusForm(),
                "note_form": NoteForm(),
                "zone_form": ZoneForm(committee=viewer.committee),
                "observer_form": ObserverForm(),
                "stale": incident.claimed_at
                and incident.claimed_at
                < timezone.now()
                - timedelta(
                    minutes=services.dispatch_settings(incident.committee).claim_stale_minutes
                ),
            }
        )
    if context["can_handoff"]:
        context["handoff_form"] = HandoffForm(initial={"language": "es"})
    if context["can_bond"] and any(not h.bond_request_id for h in context["handoffs"]):
        context["bond_form"] = BondForm(cases=handoff.cases_for_bond_choice(viewer=viewer))
    return render_local(request, "rapid_response/incident.html", context)


@requires(Action.DISPATCH)
@require_POST
def incident_claim(request, incident_id):
    incident = _incident(request, incident_id)
    try:
        services.incident_claim(actor=request.viewer, incident=incident)
    except ValidationError as error:
        return refused(request, error, incident_url(incident))
    messages.success(request, _("You own this incident now."))
    return redirect(incident_url(incident))


def incident_url(incident):
    from django.urls import reverse

    return reverse("rapid_response:incident", args=[incident.pk])


@requires(Action.DISPATCH)
@require_POST
def incident_release(request, incident_id):
    incident = _incident(request, incident_id)
    services.incident_release(actor=request.viewer, incident=incident)
    return redirect(incident_url(incident))


@requires(Action.DISPATCH)
@require_POST
def incident_status(request, incident_id):
    incident = _incident(request, incident_id)
    form = StatusForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("Choose a status."))
        return redirect(incident_url(incident))
    try:
        services.incident_status_set(
            actor=request.viewer,
            incident=incident,
            status=form.cleaned_data["status"],
            reason=form.cleaned_data["reason"],
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        return refused(request, error, incident_url(incident))
    if form.cleaned_data["status"] == IncidentStatus.CONFIRMED:
        return redirect("rapid_response:alert_new", incident.pk)
    return redirect(incident_url(incident))


@requires(Action.DISPATCH)
@require_POST
def incident_note(request, incident_id):
    incident = _incident(request, incident_id)
    form = NoteForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Write a note first."))
        services.incident_note_add(
            actor=request.viewer, incident=incident, note=form.cleaned_data["note"]
        )
    except ValidationError as error:
        return refused(request, error, incident_url(incident))
    return redirect(incident_url(incident))


@requires(Action.DISPATCH)
@require_POST
def incident_zone(request, incident_id):
    incident = _incident(request, incident_id)
    form = ZoneForm(request.POST, committee=request.viewer.committee)
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose a zone of this committee."))
        services.incident_zone_set(
            actor=request.viewer, incident=incident, zone=form.cleaned_data["zone"]
        )
    except ValidationError as error:
        return refused(request, error, incident_url(incident))
    return redirect(incident_url(incident))


@requires(Action.DISPATCH)
@require_POST
def incident_close(request, incident_id):
    incident = _incident(request, incident_id)
    services.incident_close(actor=request.viewer, incident=incident)
    messages.success(request, _("Incident closed."))
    return redirect("rapid_response:inbox")


@requires(Action.DISPATCH)
@require_POST
def confirmers_ask(request, incident_id):
    incident = _incident(request, incident_id)
    ids = [int(v) for v in request.POST.getlist("person") if v.isdigit()]
    try:
        count = services.confirmers_ask(actor=request.viewer, incident=incident, person_ids=ids)
    except ValidationError as error:
        return refused(request, error, incident_url(incident))
    messages.success(request, _("Asked %(count)s confirmers to go and look.") % {"count": count})
    return redirect(incident_url(incident))


@requires(Action.DISPATCH)
@require_POST
def observer_log(request, incident_id):
    incident = _incident(request, incident_id)
    form = ObserverForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Check the observer form: warrant and number detained."))
        services.observer_log_file(actor=request.viewer, incident=incident, **form.cleaned_data)
    except ValidationError as error:
        return refused(request, error, incident_url(incident))
    messages.success(request, _("Observer log saved."))
    return redirect(incident_url(incident))


@requires(Action.HANDOFF_DETAINED)
@require_POST
def handoff_legal(request, incident_id):
    incident = _incident(request, incident_id, Action.HANDOFF_DETAINED)
    form = HandoffForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Check the phone number."))
        services.detained_handoff(actor=request.viewer, incident=incident, **form.cleaned_data)
    except ValidationError as error:
        return refused(request, error, incident_url(incident))
    messages.success(request, _("A detained-now request is open for the legal team."))
    return redirect(incident_url(incident))


@requires(Action.HANDOFF_BOND)
@require_POST
def handoff_bond(request, incident_id, handoff_id):
    incident = _incident(request, incident_id, Action.HANDOFF_BOND)
    record = get_object_or_404(
        Handoff.objects.filter(incident=incident), request.viewer, pk=handoff_id
    )
    form = BondForm(request.POST, cases=handoff.cases_for_bond_choice(viewer=request.viewer))
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose the person's legal case."))
        amount = form.cleaned_data["amount"]
        services.bond_handoff(
            actor=request.viewer,
            record=record,
            case_id=form.cleaned_data["case"],
            amount_cents=amount * 100 if amount else None,
            note=form.cleaned_data["note"],
        )
    except ValidationError as error:
        return refused(request, error, incident_url(incident))
    messages.success(request, _("The bond fund has the request."))
    return redirect(incident_url(incident))
