"""Members: the list of trainings, one training, signing up and giving up a place."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from committees.access import Action, get_object_or_404, requires

from .. import selectors, services
from ..models import SEAT_STATUSES
from .common import PAGE_SIZE, _errors, _render


def _listing(request, select):
    """Upcoming or past (?when=past) trainings from `select`, one page of them."""
    past = request.GET.get("when") == "past"
    trainings = select(viewer=request.viewer, past=past)
    return past, Paginator(trainings, PAGE_SIZE).get_page(request.GET.get("page"))


@requires()
def training_list(request):
    viewer = request.viewer
    past, page = _listing(request, selectors.trainings_for_member)
    return _render(
        request,
        viewer.committee,
        "trainings/list.html",
        {
            "page": page,
            "past": past,
            "mine": selectors.my_registrations(viewer=viewer) if not past else [],
            "seat_statuses": list(SEAT_STATUSES),
        },
    )


def _member_training(request, training_id):
    return get_object_or_404(
        selectors.training_for_member(viewer=request.viewer), request.viewer, pk=training_id
    )


@requires()
def training_detail(request, training_id):
    viewer = request.viewer
    training = _member_training(request, training_id)
    runner = viewer.can(Action.RUN_TRAINING)
    return _render(
        request,
        viewer.committee,
        "trainings/detail.html",
        {
            "training": training,
            "has_seat": training.my_status in SEAT_STATUSES,
            "show_private": runner or training.my_status in SEAT_STATUSES,
            "show_trainers": viewer.is_vetted,
            "refusal": services.sign_up_refusal(training),
            "public_url": reverse(
                "trainings_public:training",
                kwargs={
                    "committee_slug": training.committee.slug,
                    "public_training_id": training.pk,
                },
            ),
        },
    )


@requires()
@require_POST
def training_sign_up(request, training_id):
    training = _member_training(request, training_id)
    try:
        result = services.member_sign_up(viewer=request.viewer, training=training)
    except services.SignUpRefused as refusal:
        messages.error(request, _errors(refusal))
    else:
        if result.outcome == services.SignUpOutcome.REGISTERED:
            messages.success(request, _("You have a seat. We will send you a reminder."))
        elif result.outcome == services.SignUpOutcome.WAITLISTED:
            messages.success(
                request,
                _(
                    "The training is full: you are on the waitlist. If a seat frees up, we "
                    "will offer it to you."
                ),
            )
        else:
            messages.info(request, _("You are already signed up."))
    return redirect("trainings:detail", training_id=training.pk)


@requires()
@require_POST
def training_cancel_mine(request, training_id):
    training = _member_training(request, training_id)
    try:
        cancelled = services.member_cancel(viewer=request.viewer, training=training)
    except services.CancelRefused as refusal:
        messages.error(request, refusal.messages[0])
        cancelled = None
    if cancelled:
        messages.success(request, _("Your place has been given up. Thank you for letting us know."))
    return redirect("trainings:detail", training_id=training.pk)
