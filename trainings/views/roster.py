"""Trainers: the roster, check-in, no-shows, notes, walk-ins, closing attendance, and the
roster export."""

from __future__ import annotations

from allauth.account.decorators import reauthentication_required
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from committees.access import Action, get_object_or_404, requires
from lib.csv_io import write_csv

from .. import selectors, services
from ..forms import NoteForm, WalkInForm
from ..models import Registration, RegistrationStatus, Training
from .common import _errors, _render


def _runner_training(request, training_id):
    return get_object_or_404(
        Training.objects.select_related("committee"),
        request.viewer,
        Action.RUN_TRAINING,
        pk=training_id,
    )


def _roster_registration(request, training, registration_id):
    try:
        return Registration.objects.select_related("person", "training__committee").get(
            pk=registration_id, training=training
        )
    except (Registration.DoesNotExist, ValueError) as missing:
        raise Http404 from missing


@requires(Action.RUN_TRAINING)
def roster(request, training_id):
    return _roster_page(request, _runner_training(request, training_id), opened=True)


def _roster_page(request, training, walk_in_form=None, status=200, opened=False):
    """The roster; `opened` (the page itself, not a form sent from it) is recorded in
    the audit trail."""
    viewer = request.viewer
    registrations = list(selectors.roster(training=training))
    if opened:
        services.roster_view_record(actor=viewer, training=training, rows=len(registrations))
    counts = {s: 0 for s in RegistrationStatus.values}
    for registration in registrations:
        counts[registration.status] += 1
    query = request.GET.get("q", "").strip()[:100]
    if query:
        shown = {r.pk for r in selectors.roster(training=training, query=query)}
        registrations = [r for r in registrations if r.pk in shown]
    return _render(
        request,
        training.committee,
        "trainings/roster.html",
        {
            "training": training,
            "registrations": registrations,
            "counts": counts,
            "query": query,
            "show_contact": viewer.can(Action.VIEW_CONTACT_DETAILS),
            "can_export": viewer.can(Action.MANAGE_TRAININGS),
            "walk_in_form": walk_in_form
            or WalkInForm(committee=training.committee, initial={"language": training.language}),
            "started": training.has_started,
        },
        status=status,
    )


def _after_roster_change(request, training, registration):
    if request.htmx:
        return _render(
            request,
            training.committee,
            "trainings/_roster_row.html",
            {
                "training": training,
                "registration": registration,
                "show_contact": request.viewer.can(Action.VIEW_CONTACT_DETAILS),
                "started": training.has_started,
            },
        )
    return redirect(f"{reverse('trainings:roster', args=[training.pk])}#r{registration.pk}")


@requires(Action.RUN_TRAINING)
@require_POST
def roster_check_in(request, training_id, registration_id):
    training = _runner_training(request, training_id)
    registration = _roster_registration(request, training, registration_id)
    try:
        registration = services.registration_check_in(
            actor=request.viewer,
            registration=registration,
            attended=request.POST.get("attended", "1") == "1",
        )
    except ValidationError as error:
        messages.error(request, _errors(error))
        if request.htmx:
            response = HttpResponse(status=204)
            response["HX-Refresh"] = "true"
            return response
        return redirect("trainings:roster", training_id=training.pk)
    return _after_roster_change(request, training, registration)


@requires(Action.RUN_TRAINING)
@require_POST
def roster_no_show(request, training_id, registration_id):
    training = _runner_training(request, training_id)
    registration = _roster_registration(request, training, registration_id)
    try:
        registration = services.registration_mark_no_show(
            actor=request.viewer, registration=registration
        )
    except ValidationError as error:
        messages.error(request, _errors(error))
        return redirect("trainings:roster", training_id=training.pk)
    return _after_roster_change(request, training, registration)


@requires(Action.RUN_TRAINING)
@require_POST
def roster_note(request, training_id, registration_id):
    training = _runner_training(request, training_id)
    registration = _roster_registration(request, training, registration_id)
    form = NoteForm(request.POST)
    if form.is_valid():
        registration = services.registration_note(
            actor=request.viewer, registration=registration, notes=form.cleaned_data["notes"]
        )
        messages.success(request, _("Note saved."))
    else:
        messages.error(request, _errors(ValidationError(form.errors["notes"])))
    return redirect(f"{reverse('trainings:roster', args=[training.pk])}#r{registration.pk}")


@requires(Action.RUN_TRAINING)
@require_POST
def roster_walk_in(request, training_id):
    training = _runner_training(request, training_id)
    form = WalkInForm(request.POST, committee=training.committee)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.walk_in_add(
                actor=request.viewer,
                training=training,
                name=data["name"],
                phone=data["phone"],
                email=data["email"],
                language=data["language"],
                consent_wording=form.wording,
                wording_language=translation.get_language(),
            )
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Added and checked in."))
            return redirect("trainings:roster", training_id=training.pk)
    return _roster_page(request, training, walk_in_form=form, status=400)


@requires(Action.RUN_TRAINING)
@require_POST
def roster_close(request, training_id):
    training = _runner_training(request, training_id)
    try:
        count = services.training_close_attendance(actor=request.viewer, training=training)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(
            request,
            translation.ngettext(
                "%(count)d person marked as not coming.",
                "%(count)d people marked as not coming.",
                count,
            )
            % {"count": count},
        )
    return redirect("trainings:roster", training_id=training.pk)


@requires(Action.MANAGE_TRAININGS)
def roster_export(request, training_id):
    """The roster as CSV (every phone of the room): another committee's training is a
    404; then the password again, like the people export; recorded in the audit trail."""
    training = get_object_or_404(
        Training.objects.select_related("committee"), request.viewer, pk=training_id
    )
    return _roster_csv(request, training=training)


@reauthentication_required
def _roster_csv(request, *, training):
    header, rows = services.roster_export(actor=request.viewer, training=training)
    response = HttpResponse(
        "".join(write_csv(rows, header)), content_type="text/csv; charset=utf-8"
    )
    response["Content-Disposition"] = f'attachment; filename="roster-{training.pk}.csv"'
    response["Cache-Control"] = "no-store"
    return response
