"""Training screens: members, organizers and trainers (signed in), and the public pages.

Views parse input, call one service or selector, and render in the committee's time
zone. Access goes through committees.access: another committee's training is a 404.
"""

from __future__ import annotations

from zoneinfo import ZoneInfo

from allauth.account.decorators import reauthentication_required
from django.conf import settings
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from committees.access import Action, get_object_or_404, public, requires
from committees.dashboard import Panel, register
from committees.models import Committee
from lib import throttle
from lib.csv_io import write_csv
from members import audit

from . import calendar as ical
from . import selectors, services
from .apps import ROSTER_VIEWED
from .forms import NoteForm, PublicSignUpForm, TrainingForm, WalkInForm
from .links import registration_id_from_token, registration_url
from .models import SEAT_STATUSES, Registration, RegistrationStatus, Training

PAGE_SIZE = 50


def _render(request, committee, template, context, status=200):
    """Render with times shown in the committee's time zone."""
    with timezone.override(ZoneInfo(committee.timezone)):
        return render(request, template, context, status=status)


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


# --- Dashboard panel ------------------------------------------------------------------------


@register
def upcoming_trainings_panel(viewer):
    if viewer.membership is None:
        return None
    trainings = list(selectors.upcoming_for_panel(viewer=viewer)[:5])
    manager = viewer.can(Action.MANAGE_TRAININGS)
    if not trainings and not manager:
        return None
    return Panel(
        template="trainings/panels/upcoming.html",
        context={
            "trainings": trainings,
            "manager": manager,
            "timezone": viewer.committee.timezone,
        },
        order=30,
    )


# --- Members -------------------------------------------------------------------------------


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
        if result.outcome == services.Outcome.REGISTERED:
            messages.success(request, _("You have a seat. We will send you a reminder."))
        elif result.outcome == services.Outcome.WAITLISTED:
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


# --- Organizers -----------------------------------------------------------------------------


@requires(Action.MANAGE_TRAININGS)
def training_manage(request):
    viewer = request.viewer
    past, page = _listing(request, selectors.trainings_for_organizer)
    return _render(
        request,
        viewer.committee,
        "trainings/manage.html",
        {
            "page": page,
            "past": past,
            "totals": selectors.organizer_totals(viewer=viewer),
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
    training = get_object_or_404(Training, request.viewer, pk=training_id)
    services.training_cancel(actor=request.viewer, training=training)
    messages.success(request, _("Training cancelled. Everyone on the list is being told."))
    return redirect("trainings:detail", training_id=training.pk)


# --- Trainers: roster and check-in ----------------------------------------------------------


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
    training = _runner_training(request, training_id)
    if request.viewer.can(Action.VIEW_CONTACT_DETAILS):
        # Every phone of the room: recorded like opening a person's contact details.
        audit.audit_record(viewer=request.viewer, kind=ROSTER_VIEWED, target=training)
    return _roster_page(request, training)


def _roster_page(request, training, walk_in_form=None, status=200):
    viewer = request.viewer
    registrations = list(selectors.roster(training=training))
    counts = {s: 0 for s in RegistrationStatus.values}
    for registration in registrations:
        counts[registration.status] += 1
    return _render(
        request,
        training.committee,
        "trainings/roster.html",
        {
            "training": training,
            "registrations": registrations,
            "counts": counts,
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
    viewer = request.viewer
    with_contact = viewer.can(Action.VIEW_CONTACT_DETAILS)
    registrations = list(selectors.roster(training=training))
    services.roster_export_log(actor=viewer, training=training, rows=len(registrations))
    response = HttpResponse(content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="roster-{training.pk}.csv"'
    response["Cache-Control"] = "no-store"
    header = [_("Name"), _("Status"), _("Language"), _("Source"), _("Waitlist number")]
    if with_contact:
        header += [_("Mobile phone"), _("Email")]
    header += [_("Confirmed"), _("Checked in"), _("Notes")]
    zone = ZoneInfo(training.committee.timezone)

    def when(moment):
        return timezone.localtime(moment, zone).strftime("%Y-%m-%d %H:%M") if moment else ""

    def row_for(registration):
        person = registration.person
        row = [
            person.preferred_name,
            registration.get_status_display(),
            person.get_language_display(),
            registration.get_source_display(),
            registration.waitlist_position or "",
        ]
        if with_contact:
            row += [person.phone or "", person.email or ""]
        row += [when(registration.confirmed_at), when(registration.attended_at), registration.notes]
        return row

    for chunk in write_csv((row_for(r) for r in registrations), header):
        response.write(chunk)
    return response


# --- Public pages ---------------------------------------------------------------------------


def _committee(committee_slug) -> Committee:
    committee = Committee.objects.filter(slug=committee_slug).first()
    if committee is None:
        raise Http404
    return committee


@public
def public_calendar(request, committee_slug):
    committee = _committee(committee_slug)
    trainings = selectors.public_trainings(committee=committee)
    page = Paginator(trainings, PAGE_SIZE).get_page(request.GET.get("page"))
    return _render(
        request,
        committee,
        "trainings/public_calendar.html",
        {"committee": committee, "page": page},
    )


@public
def public_feed(request, committee_slug):
    committee = _committee(committee_slug)
    language = request.GET.get("lang") or translation.get_language()
    if language not in dict(settings.LANGUAGES):
        language = "es"
    body = ical.committee_feed(
        committee, selectors.public_feed(committee=committee), language=language
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{committee.slug}-trainings.ics"'
    return response


def _public_training(committee, public_training_id) -> Training:
    training = (
        selectors.with_counts(Training.objects.filter(committee=committee, visibility="public"))
        .select_related("committee")
        .filter(pk=public_training_id)
        .first()
    )
    if training is None:
        raise Http404
    return training


def _training_limit(training) -> tuple[int, int]:
    """Public sign-ups one training accepts per hour (from every address together): the
    setting, or its capacity when that is larger (a full room signing up at the door)."""
    return (max(settings.TRAININGS_SIGNUPS_PER_TRAINING_PER_HOUR, training.capacity), 60 * 60)


@public
def public_training(request, committee_slug, public_training_id):
    """The public sign-up page. It never shows who signed up, and the page after sending
    it reads the same whether or not the phone number was already known."""
    committee = _committee(committee_slug)
    training = _public_training(committee, public_training_id)
    refusal = services.sign_up_refusal(training)
    form = PublicSignUpForm(
        # An empty POST is still a submitted (and refused) form, never an unbound one.
        request.POST if request.method == "POST" else None,
        committee=committee,
        initial={"language": translation.get_language()},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if not throttle.allow(f"ip:{throttle.client_ip(request)}", throttle.ip_limit()):
            form.add_error(None, _("Too many attempts. Please wait an hour and try again."))
            status = 429
        elif refusal:
            form.add_error(None, refusal)
        elif form.looks_automated():
            form.add_error(
                None,
                _(
                    "Sorry, we could not accept the form. "
                    "Please check your details and send it again."
                ),
            )
        elif form.is_valid():
            data = form.cleaned_data
            from lib.crypto import lookup_hash

            contact = lookup_hash(data["phone"] or data["email"])
            if not form.claim_stamp():
                form.add_error(
                    None,
                    _(
                        "Sorry, we could not accept the form. "
                        "Please check your details and send it again."
                    ),
                )
            elif not (
                throttle.allow(f"contact:{contact}", throttle.CONTACT_LIMIT)
                and throttle.allow(f"training:{training.pk}", _training_limit(training))
                and (not data["phone"] or throttle.allow_number_in_block(data["phone"]))
            ):
                form.add_error(None, _("Too many attempts. Please wait an hour and try again."))
                status = 429
            else:
                try:
                    result = services.public_sign_up(
                        training=training,
                        name=data["name"],
                        phone=data["phone"],
                        email=data["email"],
                        language=data["language"],
                        consent_wording=form.wording,
                        wording_language=translation.get_language(),
                    )
                except services.SignUpRefused as error:
                    form.add_error(None, error)
                else:
                    return _render(
                        request,
                        committee,
                        "trainings/public_result.html",
                        {
                            "committee": committee,
                            "training": training,
                            "outcome": result.public_outcome,
                            "by_sms": bool(data["phone"]),
                        },
                    )
        # A stale page, or a stamp this attempt used up: a fresh stamp lets them resend.
        if not form.stamp_is_usable() or form.stamp_claimed:
            form.data = form.data.copy()
            form.data["started"] = form.fresh_started()
    return _render(
        request,
        committee,
        "trainings/public_detail.html",
        {
            "committee": committee,
            "training": training,
            "form": form,
            "refusal": refusal,
        },
        status=status,
    )


def _registration_by_token(request, registration_token) -> Registration:
    registration_id = registration_id_from_token(registration_token)
    registration = (
        Registration.objects.select_related("training__committee", "person")
        .filter(pk=registration_id)
        .first()
        if registration_id
        else None
    )
    if registration is None:
        raise Http404
    # Their own page speaks their language, unless they picked one with the switcher.
    if settings.LANGUAGE_COOKIE_NAME not in request.COOKIES:
        translation.activate(registration.person.language)
        request.LANGUAGE_CODE = registration.person.language
    return registration


@public
def registration_page(request, registration_token, refusal=None, status=200):
    registration = _registration_by_token(request, registration_token)
    training = registration.training
    return _render(
        request,
        training.committee,
        "trainings/registration.html",
        {
            "registration": registration,
            "training": training,
            "has_seat": registration.status in SEAT_STATUSES,
            "token": registration_token,
            "refusal": refusal,
            "can_cancel": registration.status
            in (
                RegistrationStatus.REGISTERED,
                RegistrationStatus.OFFERED,
                RegistrationStatus.WAITLISTED,
            )
            and not training.cancelled_at
            and not training.has_started,
        },
        status=status,
    )


@public
def registration_calendar(request, registration_token):
    registration = _registration_by_token(request, registration_token)
    if registration.status not in SEAT_STATUSES:
        raise Http404
    body = ical.registration_calendar(registration, url=registration_url(registration))
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = (
        f'attachment; filename="training-{registration.training_id}.ics"'
    )
    return response


@public
@require_POST
def registration_cancel(request, registration_token):
    registration = _registration_by_token(request, registration_token)
    try:
        services.registration_cancel(registration=registration)
    except services.CancelRefused as refusal:
        messages.error(request, refusal.messages[0])
    else:
        messages.success(request, _("Your place has been given up. Thank you for letting us know."))
    return redirect("trainings_public:registration", registration_token=registration_token)


@public
@require_POST
def registration_claim(request, registration_token):
    registration = _registration_by_token(request, registration_token)
    try:
        services.offer_claim(registration=registration)
    except services.OfferLapsed as lapsed:
        return registration_page(request, registration_token, refusal=_errors(lapsed), status=409)
    messages.success(request, _("The seat is yours! See you there."))
    return redirect("trainings_public:registration", registration_token=registration_token)
