"""Members: the list of trainings, one training, signing up and giving up a place."""

from __future__ import annotations

from django.contrib import messages
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from committees import confirm
from committees.access import Action, get_object_or_404, requires

from .. import reach, selectors, services
from ..models import SEAT_STATUSES
from .common import PAGE_SIZE, _ask_give_up, _errors, _render, reminders_wording


class _CountedPaginator(Paginator):
    """A paginator told how many rows there are (counted already, beside other totals),
    so it does not count the annotated list again."""

    def __init__(self, object_list, per_page, *, count: int):
        super().__init__(object_list, per_page)
        self._known_count = count

    @property
    def count(self) -> int:
        return self._known_count


def _listing(request, select, counts=None):
    """Upcoming or past (?when=past) trainings from `select`, one page of them.
    `counts(past)`, when given, tells how many there are (else they are counted)."""
    past = request.GET.get("when") == "past"
    trainings = select(viewer=request.viewer, past=past)
    if counts is None:
        paginator = Paginator(trainings, PAGE_SIZE)
    else:
        paginator = _CountedPaginator(trainings, PAGE_SIZE, count=counts(past))
    return past, paginator.get_page(request.GET.get("page"))


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
            "reminder_channel": reach.reminder_channel(viewer.person),
            "has_address": bool(viewer.person.phone or viewer.person.email),
            "reminders_wording": reminders_wording(),
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
        reachable = reach.reminder_channel(request.viewer.person) is not None
        if result.outcome == services.SignUpOutcome.REGISTERED and reachable:
            messages.success(request, _("You have a seat. We will send you a reminder."))
        elif result.outcome == services.SignUpOutcome.REGISTERED:
            messages.warning(
                request,
                _(
                    "You have a seat. We will not send you a confirmation or reminders, "
                    "because you have not agreed to them: note the date, or turn reminders "
                    "on below."
                ),
            )
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
def reminders_turn_on(request, training_id):
    training = _member_training(request, training_id)
    channels = reach.reminders_turn_on(
        viewer=request.viewer,
        wording=reminders_wording(),
        language=translation.get_language(),
    )
    if channels:
        messages.success(request, _("Reminders are on. Thank you."))
    else:
        messages.error(request, _("Add a phone number or an email to your profile first."))
    return redirect("trainings:detail", training_id=training.pk)


@requires()
@require_POST
def training_cancel_mine(request, training_id):
    training = _member_training(request, training_id)
    detail_url = reverse("trainings:detail", kwargs={"training_id": training.pk})
    if not confirm.confirmed(request):
        return _ask_give_up(request, training, cancel_url=detail_url)
    try:
        cancelled = services.member_cancel(viewer=request.viewer, training=training)
    except services.CancelRefused as refusal:
        messages.error(request, refusal.messages[0])
        cancelled = None
    if cancelled:
        messages.success(
            request,
            _(
                "Your place has been given up. Thank you for letting us know. "
                "You can sign up again below while there is room."
            ),
        )
    return redirect("trainings:detail", training_id=training.pk)
