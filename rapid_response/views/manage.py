"""The dispatch roster, the committee's rapid-response settings, and the reports page."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from committees.access import Action, get_object_or_404, requires

from .. import selectors, services, stats
from ..forms import SettingsForm, ShiftForm
from ..models import DispatcherShift
from .common import refused, render_local


@requires(Action.DISPATCH)
def shifts(request):
    viewer = request.viewer
    people = services.dispatcher_choices(viewer.committee)
    if not viewer.can(Action.MANAGE_DISPATCH):
        people = people.filter(pk=viewer.person.pk)
    people = list(people.order_by("preferred_name", "id"))
    form = ShiftForm(
        request.POST or None,
        people=people,
        initial={"person": viewer.person.pk, "languages": [viewer.person.language]},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        person = next((p for p in people if p.pk == data["person"]), None)
        try:
            if person is None:
                raise ValidationError(_("Only a vetted dispatcher can be on call."))
            services.shift_add(
                actor=viewer,
                person=person,
                starts_at=data["starts_at"],
                ends_at=data["ends_at"],
                languages=data["languages"],
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Shift added."))
            return redirect("rapid_response:shifts")
    return render_local(
        request,
        "rapid_response/shifts.html",
        {"form": form, "shifts": list(selectors.shifts(viewer=viewer))},
        status=400 if form.errors else 200,
    )


@requires(Action.DISPATCH)
@require_POST
def shift_end(request, shift_id):
    shift = get_object_or_404(DispatcherShift, request.viewer, pk=shift_id)
    try:
        services.shift_end(actor=request.viewer, shift=shift)
    except ValidationError as error:
        return refused(request, error, "rapid_response:shifts")
    return redirect("rapid_response:shifts")


@requires(Action.MANAGE_DISPATCH)
def dispatch_settings(request):
    viewer = request.viewer
    row = services.dispatch_settings(viewer.committee)
    form = SettingsForm(
        request.POST or None,
        initial={
            "alert_expiry_minutes": row.alert_expiry_minutes,
            "retention_days": row.retention_days,
            "claim_stale_minutes": row.claim_stale_minutes,
        },
    )
    if request.method == "POST" and form.is_valid():
        services.dispatch_settings_update(actor=viewer, **form.cleaned_data)
        messages.success(request, _("Settings saved."))
        return redirect("rapid_response:settings")
    return render_local(
        request,
        "rapid_response/settings.html",
        {"form": form},
        status=400 if form.errors else 200,
    )


@requires(Action.VIEW_RAPID_REPORTS)
def reports(request):
    rows = stats.weekly(viewer=request.viewer)
    return render_local(
        request, "rapid_response/reports.html", {"rows": rows, "chart": stats.chart(rows)}
    )
