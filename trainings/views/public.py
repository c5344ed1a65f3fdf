"""Public pages (no login): the calendar and its feed, a training's sign-up form, and a
person's own registration page by signed link."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from committees import confirm
from committees.access import public
from committees.models import Committee
from lib import throttle
from lib.dates import format_when

from .. import calendar as ical
from .. import selectors, services
from ..forms import PublicSignUpForm
from ..links import registration_id_from_token, registration_url
from ..models import SEAT_STATUSES, Registration, RegistrationStatus, Training
from .common import PAGE_SIZE, _ask_give_up, _errors, _render


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


def _flood_refusal(form, training) -> tuple[str, int] | None:
    """A replayed anti-bot stamp (one stamp sent 48 times made 48 sign-ups), too many
    sign-ups for this training, or a run of numbers from one block: refused."""
    if not form.claim_stamp():
        return (
            _("Sorry, we could not accept the form. Please check your details and send it again."),
            400,
        )
    phone = form.cleaned_data["phone"]
    if not (
        throttle.allow(f"training:{training.pk}", _training_limit(training))
        and (not phone or throttle.allow_number_in_block(phone))
    ):
        return _("Too many attempts. Please wait an hour and try again."), 429
    return None


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
        problem = form.refusal(request) or ((refusal, 400) if refusal else None)
        if problem:
            message, status = problem
            form.add_error(None, message)
        elif form.is_valid() and (problem := _flood_refusal(form, training)):
            message, status = problem
            form.add_error(None, message)
        elif form.is_valid():
            data = form.cleaned_data
            try:
                throttle.contact_check(data["phone"] or data["email"])
                result = services.public_sign_up(
                    training=training,
                    name=data["name"],
                    phone=data["phone"],
                    email=data["email"],
                    language=data["language"],
                    consent_wording=form.wording,
                    wording_language=translation.get_language(),
                )
            except throttle.Throttled as error:
                form.add_error(None, error)
                status = 429
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
                        "when": format_when(
                            training.starts_at, committee, translation.get_language()
                        ),
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
    page_url = reverse(
        "trainings_public:registration", kwargs={"registration_token": registration_token}
    )
    if not confirm.confirmed(request):
        return _ask_give_up(request, registration.training, cancel_url=page_url)
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
