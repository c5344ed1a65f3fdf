from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from committees.access import Action, get_object_or_404, requires

from .. import selectors, services
from ..forms import FollowUpForm, MeetingForm
from ..models import FollowUp
from .common import PAGE_SIZE, add_errors, errors_text, page


@requires(Action.VIEW_COALITION)
def meeting_list(request):
    viewer = request.viewer
    return page(
        request,
        "coalition/meeting_list.html",
        {
            "page": Paginator(selectors.meetings(viewer=viewer), PAGE_SIZE).get_page(
                request.GET.get("page")
            ),
            "mine": selectors.my_follow_ups(viewer=viewer),
            "can_manage": viewer.can(Action.MANAGE_COALITION),
        },
    )


@requires(Action.MANAGE_COALITION)
def meeting_edit(request, meeting_id=None):
    viewer = request.viewer
    meeting = None
    initial = {"held_on": timezone.localdate()}
    if meeting_id is not None:
        meeting = get_object_or_404(selectors.meeting_detail(viewer=viewer), viewer, pk=meeting_id)
        initial = {
            "title": meeting.title,
            "held_on": meeting.held_on,
            "agency": meeting.agency_id,
            "partner": meeting.partner_id,
            "attendees": list(meeting.attendees.all()),
            "others_present": meeting.others_present,
            "asked": meeting.asked or "",
            "answered": meeting.answered or "",
        }
    form = MeetingForm(request.POST or None, committee=viewer.committee, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            meeting = services.meeting_save(actor=viewer, meeting=meeting, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Meeting saved."))
            return redirect("coalition:meeting_detail", meeting_id=meeting.pk)
    return page(
        request,
        "coalition/form.html",
        {"form": form, "title": _("Meeting")},
        status=400 if form.errors else 200,
    )


@requires(Action.VIEW_COALITION)
def meeting_detail(request, meeting_id):
    viewer = request.viewer
    meeting = get_object_or_404(selectors.meeting_detail(viewer=viewer), viewer, pk=meeting_id)
    can_manage = viewer.can(Action.MANAGE_COALITION)
    return page(
        request,
        "coalition/meeting_detail.html",
        {
            "meeting": meeting,
            "can_manage": can_manage,
            "follow_up_form": FollowUpForm(committee=viewer.committee) if can_manage else None,
            "membership_id": viewer.membership.pk,
        },
    )


@requires(Action.MANAGE_COALITION)
@require_POST
def follow_up_add(request, meeting_id):
    viewer = request.viewer
    meeting = get_object_or_404(selectors.meetings(viewer=viewer), viewer, pk=meeting_id)
    form = FollowUpForm(request.POST, committee=viewer.committee)
    try:
        if not form.is_valid():
            raise ValidationError(_("Say what to do, who owns it and when it is due."))
        services.follow_up_add(actor=viewer, meeting=meeting, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, errors_text(error))
    else:
        messages.success(request, _("Follow-up added. Its owner will be reminded when it is due."))
    return redirect("coalition:meeting_detail", meeting_id=meeting.pk)


@requires(Action.VIEW_COALITION)
@require_POST
def follow_up_done(request, follow_up_id):
    viewer = request.viewer
    follow_up = get_object_or_404(
        FollowUp.objects.select_related("meeting"), viewer, pk=follow_up_id
    )
    try:
        services.follow_up_done(actor=viewer, follow_up=follow_up)
    except ValidationError as error:
        messages.error(request, errors_text(error))
    else:
        messages.success(request, _("Marked done."))
    return redirect("coalition:meeting_detail", meeting_id=follow_up.meeting_id)
