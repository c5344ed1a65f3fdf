from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from committees.access import Action, requires

from .. import reports as numbers
from .. import services
from ..forms import SettingsForm
from .common import error_text, render_in_committee_time


@requires(Action.VIEW_LEGAL_REPORTS)
def reports(request):
    viewer = request.viewer
    return render_in_committee_time(
        request, viewer.committee, "legal_aid/reports.html", numbers.report(viewer.committee)
    )


@requires(Action.MANAGE_LEGAL_SETTINGS)
def legal_settings(request):
    viewer = request.viewer
    current = services.settings_for(viewer.committee)
    form = SettingsForm(
        request.POST if request.method == "POST" else None,
        initial={"retention_days": current.retention_days, "team_phone": current.team_phone},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.settings_update(actor=viewer, **form.cleaned_data)
            except ValidationError as error:
                form.add_error(None, error_text(error))
            else:
                messages.success(request, _("Saved."))
                return redirect("legal_aid:settings")
    return render_in_committee_time(
        request, viewer.committee, "legal_aid/settings.html", {"form": form}, status=status
    )
