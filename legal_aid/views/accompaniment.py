"""The accompanier's side: offers to answer, the hearing's card (first name, court or
office, date and time, language, meeting point, the team's phone — nothing else), the
one-tap "detained" report, and the court-watch form afterwards."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from committees.access import Action, get_object_or_404, requires

from .. import selectors, services
from ..forms import CourtWatchForm, in_committee_time
from ..models import AccompanimentStatus, Hearing
from .common import error_text, render_in_committee_time


@requires()
def my_accompaniments(request):
    viewer = request.viewer
    return render_in_committee_time(
        request,
        viewer.committee,
        "legal_aid/my_accompaniments.html",
        {"accompaniments": list(selectors.my_accompaniments(viewer=viewer))},
    )


def _accompaniment(request, accompaniment_id):
    return get_object_or_404(
        selectors.accompaniment_for_viewer(viewer=request.viewer),
        request.viewer,
        Action.ACCOMPANY,
        pk=accompaniment_id,
    )


@requires()
def accompaniment_card(request, accompaniment_id):
    accompaniment = _accompaniment(request, accompaniment_id)
    hearing = accompaniment.hearing
    return render_in_committee_time(
        request,
        hearing.case.committee,
        "legal_aid/card.html",
        {
            "accompaniment": accompaniment,
            "hearing": hearing,
            "first_name": hearing.case.first_name,
            "team_phone": services.settings_for(hearing.case.committee).team_phone,
            "going": accompaniment.status == AccompanimentStatus.ACCEPTED,
        },
    )


@requires()
@require_POST
def accompaniment_answer(request, accompaniment_id):
    accompaniment = _accompaniment(request, accompaniment_id)
    accept = request.POST.get("answer") == "yes"
    answer = services.member_answer(
        viewer=request.viewer, accompaniment=accompaniment, accept=accept
    )
    texts = {
        services.Answer.GOING: _("Thank you! You are going."),
        services.Answer.FULL: _("Thank you! Enough people are already going this time."),
        services.Answer.CLOSED: _("This hearing no longer needs accompaniers."),
        services.Answer.DECLINED: _("Thank you for letting us know."),
    }
    messages.info(request, texts[answer])
    return redirect("legal_aid:card", accompaniment.pk)


@requires()
@require_POST
def accompaniment_detained(request, accompaniment_id):
    accompaniment = _accompaniment(request, accompaniment_id)
    try:
        services.member_report_detained(viewer=request.viewer, accompaniment=accompaniment)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        messages.warning(
            request,
            _("The legal team and the family contact are being alerted now. Stay nearby if safe."),
        )
    return redirect("legal_aid:card", accompaniment.pk)


@requires()
def court_watch(request, hearing_id):
    """The accompanier (or the team) records what happened."""
    viewer = request.viewer
    hearing = get_object_or_404(
        Hearing.objects.select_related("case__committee", "case__person").prefetch_related(
            "accompaniments", "case__team_members"
        ),
        viewer,
        pk=hearing_id,
    )
    if not (
        hearing.has_accompanier(viewer.person.pk) or viewer.can(Action.EDIT_CASE, hearing.case)
    ):
        raise Http404
    committee = hearing.case.committee
    form = CourtWatchForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.court_watch_record(
                    viewer=viewer,
                    hearing=hearing,
                    result=data["result"],
                    postponed_to=in_committee_time(data["postponed_to"], committee),
                    interpreter_provided=data["interpreter_provided"],
                    notes=data["notes"],
                )
            except ValidationError as error:
                form.add_error(None, error_text(error))
            else:
                messages.success(request, _("Thank you. The legal team has your report."))
                return redirect("legal_aid:my_accompaniments")
    return render_in_committee_time(
        request,
        committee,
        "legal_aid/court_watch.html",
        {"hearing": hearing, "first_name": hearing.case.first_name, "form": form},
        status=status,
    )
