from __future__ import annotations

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.dateparse import parse_date
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from committees.access import Action, get_object_or_404, requires

from .. import selectors, services
from ..forms import HearingForm, MoveForm, in_committee_time
from ..models import Hearing
from .cases import _case, hearing_form_page
from .common import error_text, render_in_committee_time


@requires()
@require_POST
def hearing_create(request, case_id):
    case = _case(request, case_id, Action.EDIT_CASE)
    form = HearingForm(request.POST)
    if form.is_valid():
        data = dict(form.cleaned_data)
        data["starts_at"] = in_committee_time(data["starts_at"], case.committee)
        try:
            services.hearing_create(actor=request.viewer, case=case, **data)
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("The hearing is added, with its deadline."))
            return redirect("legal_aid:case", case.pk)
    return hearing_form_page(request, case, form)


def _hearing(request, hearing_id):
    viewer = request.viewer
    hearing = get_object_or_404(
        Hearing.objects.select_related("case__committee", "case__person").prefetch_related(
            "case__team_members"
        ),
        viewer,
        Action.EDIT_CASE,
        pk=hearing_id,
    )
    return hearing


@requires()
def hearing_move(request, hearing_id):
    hearing = _hearing(request, hearing_id)
    committee = hearing.case.committee
    form = MoveForm(request.POST if request.method == "POST" else None)
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            try:
                services.hearing_move(
                    actor=request.viewer,
                    hearing=hearing,
                    starts_at=in_committee_time(form.cleaned_data["starts_at"], committee),
                    place=form.cleaned_data["place"],
                    reason=form.cleaned_data["reason"],
                )
            except ValidationError as error:
                form.add_error(None, error_text(error))
            else:
                messages.success(
                    request,
                    _("The hearing is moved. The person, the team and the accompaniers are told."),
                )
                return redirect("legal_aid:case", hearing.case_id)
    return render_in_committee_time(
        request,
        committee,
        "legal_aid/hearing_move.html",
        {"hearing": hearing, "form": form},
        status=status,
    )


@requires()
@require_POST
def hearing_offer(request, hearing_id):
    hearing = _hearing(request, hearing_id)
    try:
        count = services.accompaniment_offer(actor=request.viewer, hearing=hearing)
    except ValidationError as error:
        messages.error(request, error_text(error))
    else:
        if count:
            messages.success(
                request, _("%(count)s trained volunteers were asked.") % {"count": count}
            )
        else:
            messages.warning(
                request, _("Nobody else trained in court accompaniment speaks that language.")
            )
    return redirect("legal_aid:case", hearing.case_id)


@requires(Action.VIEW_CASE_STATUS)
def hearing_calendar(request):
    viewer = request.viewer
    try:
        start_day = parse_date(request.GET.get("from") or "") or timezone.localdate()
    except ValueError:  # well formed but not a date (2026-02-30)
        start_day = timezone.localdate()
    if not 2000 <= start_day.year <= 2100:  # 9999-12-31 + two weeks would overflow
        start_day = timezone.localdate()
    start = datetime.combine(start_day, time.min, tzinfo=ZoneInfo(viewer.committee.timezone))
    hearings = list(selectors.hearing_calendar(viewer=viewer, start=start, days=14))
    return render_in_committee_time(
        request,
        viewer.committee,
        "legal_aid/calendar.html",
        {
            "hearings": hearings,
            "start": start_day,
            "previous": start_day - timedelta(days=14),
            "next": start_day + timedelta(days=14),
            "show_names": viewer.can(Action.VIEW_CASE),
        },
    )
