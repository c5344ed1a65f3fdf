"""Organizers: managing, creating, editing and cancelling trainings."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_POST

from committees import confirm
from committees.access import Action, get_object_or_404, requires

from .. import selectors, services
from ..forms import TrainingForm
from ..models import Training
from .common import _render
from .members import _listing


@requires(Action.MANAGE_TRAININGS)
def training_manage(request):
    viewer = request.viewer
    totals = selectors.organizer_totals(viewer=viewer)
    past, page = _listing(
        request,
        selectors.trainings_for_organizer,
        counts=lambda past: totals["listed_past" if past else "listed_upcoming"],
    )
    # One reverse() for the page rather than a {% url %} per row.
    url_start, url_end = reverse("trainings:detail", args=[0]).rsplit("0", 1)
    for training in page:
        training.detail_url = f"{url_start}{training.pk}{url_end}"
    return _render(
        request,
        viewer.committee,
        "trainings/manage.html",
        {
            "page": page,
            "past": past,
            "totals": totals,
            "calendar_url": reverse(
                "trainings_public:calendar", kwargs={"committee_slug": viewer.committee.slug}
            ),
            "feed_url": reverse(
                "trainings_public:feed", kwargs={"committee_slug": viewer.committee.slug}
            ),
        },
    )


def _form_errors(form, error: ValidationError):
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            target = {"starts_at": "day", "ends_at": "end_time"}.get(field, field)
            form.add_error(target if target in form.fields else None, errors)
    else:
        form.add_error(None, error)


@requires(Action.MANAGE_TRAININGS)
def training_create(request):
    viewer = request.viewer
    committee = viewer.committee
    with timezone.override(ZoneInfo(committee.timezone)):
        form = TrainingForm(
            request.POST or None,
            committee=committee,
            initial={"language": "es", "visibility": "public", "weeks": 1, "capacity": 20},
        )
        if request.method == "POST" and form.is_valid():
            try:
                created = services.training_create(actor=viewer, **form.service_fields())
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(
                    request,
                    translation.ngettext(
                        "Training created.", "%(count)d trainings created.", len(created)
                    )
                    % {"count": len(created)},
                )
                return redirect("trainings:detail", training_id=created[0].pk)
    return _render(
        request,
        committee,
        "trainings/form.html",
        {"form": form, "training": None},
        status=400 if form.errors else 200,
    )


@requires(Action.MANAGE_TRAININGS)
def training_edit(request, training_id):
    viewer = request.viewer
    training = get_object_or_404(
        Training.objects.select_related("committee").prefetch_related("trainers"),
        viewer,
        pk=training_id,
    )
    committee = training.committee
    with timezone.override(ZoneInfo(committee.timezone)):
        form = TrainingForm(
            request.POST or None,
            committee=committee,
            editing=training,
            initial=TrainingForm.initial_for(training),
        )
        if request.method == "POST" and form.is_valid():
            fields = form.service_fields()
            trainers = fields.pop("trainers")
            try:
                services.training_update(
                    actor=viewer, training=training, trainers=trainers, **fields
                )
            except ValidationError as error:
                _form_errors(form, error)
            else:
                messages.success(request, _("Training saved."))
                return redirect("trainings:detail", training_id=training.pk)
    return _render(
        request,
        committee,
        "trainings/form.html",
        {"form": form, "training": training},
        status=400 if form.errors else 200,
    )


@requires(Action.MANAGE_TRAININGS)
@require_POST
def training_cancel(request, training_id):
    """Cancel only after the organizer has seen how many people will be told, and why."""
    training = get_object_or_404(Training, request.viewer, pk=training_id)
    reason = request.POST.get("reason", "").strip()
    if not confirm.confirmed(request) or not reason:
        audience = services.training_cancel_audience(training)
        return _render(
            request,
            training.committee,
            "confirm.html",
            {
                "confirmation": confirm.Confirmation(
                    title=_("Cancel “%(title)s”?") % {"title": training.title},
                    consequences=[
                        ngettext(
                            "%(count)d person with a seat, an offer or a waitlist place gets a "
                            "message saying it is cancelled, with your reason.",
                            "%(count)d people with a seat, an offer or a waitlist place get a "
                            "message saying it is cancelled, with your reason.",
                            audience,
                        )
                        % {"count": audience},
                        _("Nobody can sign up any more. This cannot be undone."),
                    ],
                    button=_("Yes, cancel the training and tell them"),
                    cancel_url=reverse("trainings:edit", kwargs={"training_id": training.pk}),
                    reason_label=_("Reason (goes into the message)"),
                    reason_help=_("For example: the trainer is ill. We will announce a new date."),
                    reason_required=True,
                    error=_("Please give a reason.") if confirm.confirmed(request) else "",
                ),
                "confirm_field": confirm.CONFIRM_FIELD,
                "confirm_value": confirm.CONFIRM_VALUE,
                "reason": reason,
            },
            status=400 if confirm.confirmed(request) else 200,
        )
    services.training_cancel(actor=request.viewer, training=training, reason=reason)
    messages.success(request, _("Training cancelled. Everyone on the list is being told."))
    return redirect("trainings:detail", training_id=training.pk)
