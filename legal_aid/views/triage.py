from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db.models import Q
from django.shortcuts import redirect
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from committees.access import Action, get_object_or_404, requires

from .. import selectors, services
from ..forms import AcceptForm, CloseForm, OrganizerRequestForm, ReferForm
from ..models import ProceedingType
from .common import PAGE_SIZE, error_text, form_error, render_in_committee_time


def _proceeding_types(committee):
    return ProceedingType.objects.filter(Q(committee=committee) | Q(committee__isnull=True))


@requires(Action.VIEW_LEGAL_QUEUE)
def triage_queue(request):
    viewer = request.viewer
    page = Paginator(selectors.triage_queue(viewer=viewer), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render_in_committee_time(
        request,
        viewer.committee,
        "legal_aid/queue.html",
        {
            "page": page,
            "show_names": viewer.can(Action.TRIAGE_LEGAL_REQUESTS),
            "can_open": viewer.can(Action.OPEN_LEGAL_REQUEST),
        },
    )


@requires(Action.OPEN_LEGAL_REQUEST)
def request_create(request):
    viewer = request.viewer
    form = OrganizerRequestForm(
        request.POST if request.method == "POST" else None,
        initial={"language": "es", "contact_time": "any"},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            data = form.cleaned_data
            try:
                legal_request = services.legal_request_open_for(
                    actor=viewer,
                    urgency=data["urgency"],
                    help_kind=data["help_kind"],
                    language=data["language"],
                    name=data["name"],
                    phone=data["phone"],
                    email=data["email"],
                    for_someone_else=data["for_someone_else"],
                    contact_name=data["contact_name"],
                    contact_time=data["contact_time"],
                    may_leave_message=data["may_leave_message"],
                    may_text=data["may_text"],
                    consent_wording=str(form.fields["may_text"].label),
                    wording_language=translation.get_language(),
                    note=data["note"],
                )
            except ValidationError as error:
                form_error(form, error)
            else:
                messages.success(request, _("The request is in the legal team's queue."))
                if viewer.can(Action.TRIAGE_LEGAL_REQUESTS):
                    return redirect("legal_aid:request", legal_request.pk)
                return redirect("legal_aid:queue")
    return render_in_committee_time(
        request, viewer.committee, "legal_aid/request_form.html", {"form": form}, status=status
    )


def _request(request, request_id):
    return get_object_or_404(
        selectors.request_for_triage(viewer=request.viewer),
        request.viewer,
        Action.TRIAGE_LEGAL_REQUESTS,
        pk=request_id,
    )


def _request_page(request, legal_request, forms=None, status=200):
    viewer = request.viewer
    names = [p.preferred_name for p in (legal_request.person, legal_request.contact) if p]
    found = {}
    for name in names:
        for conflict in selectors.conflicts(committee=viewer.committee, name=name):
            found.setdefault(conflict.case_id, conflict)
    forms = forms or {}
    members = selectors.legal_members(committee=viewer.committee)
    return render_in_committee_time(
        request,
        viewer.committee,
        "legal_aid/request_detail.html",
        {
            "legal_request": legal_request,
            "conflicts": sorted(found.values(), key=lambda c: -c.similarity),
            "accept_form": forms.get("accept")
            or AcceptForm(members=members, proceeding_types=_proceeding_types(viewer.committee)),
            "refer_form": forms.get("refer") or ReferForm(),
            "close_form": forms.get("close") or CloseForm(),
        },
        status=status,
    )


@requires()
def request_detail(request, request_id):
    return _request_page(request, _request(request, request_id))


@requires()
@require_POST
def request_accept(request, request_id):
    viewer = request.viewer
    legal_request = _request(request, request_id)
    form = AcceptForm(
        request.POST,
        members=selectors.legal_members(committee=viewer.committee),
        proceeding_types=_proceeding_types(viewer.committee),
    )
    if form.is_valid():
        try:
            case = services.request_accept(
                actor=viewer,
                request=legal_request,
                team=[m.pk for m in form.cleaned_data["team"]],
                partner_organization=form.cleaned_data["partner_organization"],
                proceeding_type=form.cleaned_data["proceeding_type"],
            )
        except ValidationError as error:
            form_error(form, error)
        else:
            messages.success(request, _("Accepted: the case is open."))
            return redirect("legal_aid:case", case.pk)
    return _request_page(request, legal_request, {"accept": form}, status=400)


@requires()
@require_POST
def request_refer(request, request_id):
    legal_request = _request(request, request_id)
    form = ReferForm(request.POST)
    if form.is_valid():
        try:
            services.request_refer(actor=request.viewer, request=legal_request, **form.cleaned_data)
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("Referred to the partner organization."))
        return redirect("legal_aid:queue")
    return _request_page(request, legal_request, {"refer": form}, status=400)


@requires()
@require_POST
def request_close(request, request_id):
    legal_request = _request(request, request_id)
    form = CloseForm(request.POST)
    if form.is_valid():
        try:
            services.request_close(
                actor=request.viewer, request=legal_request, reason=form.cleaned_data["reason"]
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("The request is closed."))
        return redirect("legal_aid:queue")
    return _request_page(request, legal_request, {"close": form}, status=400)
