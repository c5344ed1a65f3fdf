from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from committees.access import Action, get_object_or_404, requires
from members import audit

from .. import selectors, services
from ..forms import AcceptForm, AddressChangeForm, CaseForm, CloseForm, DocumentForm, HearingForm
from ..models import DeadlineTask, Document
from .common import PAGE_SIZE, error_text, render_in_committee_time
from .triage import _proceeding_types


@requires(Action.VIEW_CASE_STATUS)
def case_list(request):
    viewer = request.viewer
    closed = request.GET.get("show") == "closed"
    page = Paginator(selectors.case_list(viewer=viewer, closed=closed), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render_in_committee_time(
        request,
        viewer.committee,
        "legal_aid/case_list.html",
        {"page": page, "closed": closed, "show_names": viewer.can(Action.VIEW_CASE)},
    )


def _case(request, case_id, action=Action.VIEW_CASE):
    return get_object_or_404(
        selectors.case_for_viewer(viewer=request.viewer), request.viewer, action, pk=case_id
    )


def case_page(request, case, *, forms=None, status=200):
    """The case page. Its team sees the contents; another legal-role member sees the
    case's existence, people, hearings and team. Every view is in the audit trail."""
    viewer = request.viewer
    audit.audit_record(viewer=viewer, kind="legal_aid.case_viewed", person=case.person, target=case)
    contents = viewer.can(Action.VIEW_CASE_CONTENTS, case)
    forms = forms or {}
    parties = {p.pk: p for p in (case.person, case.contact) if p is not None}.values()
    conflicts = {
        c.case_id: c
        for party in parties
        for c in selectors.conflicts(
            committee=case.committee, name=party.preferred_name, exclude_case_id=case.pk
        )
    }
    context = {
        "case": case,
        "contents": contents,
        "conflicts": sorted(conflicts.values(), key=lambda c: -c.similarity),
        "can_triage": viewer.can(Action.TRIAGE_LEGAL_REQUESTS),
        **(selectors.case_page(case) if contents else {"hearings": list(case.hearings.all())}),
    }
    if contents:
        context.update(
            case_form=forms.get("case")
            or CaseForm(
                proceeding_types=_proceeding_types(case.committee),
                initial={
                    "status": case.status,
                    "representation": case.representation,
                    "proceeding_type": case.proceeding_type_id,
                    "a_number": case.a_number or "",
                    "detention_facility": case.detention_facility or "",
                    "notes": case.notes or "",
                },
            ),
            hearing_form=forms.get("hearing")
            or HearingForm(initial={"accompaniment_language": "es"}),
            document_form=forms.get("document") or DocumentForm(),
            address_form=forms.get("address") or AddressChangeForm(),
            close_form=CloseForm(),
        )
    if context["can_triage"]:
        context["assign_form"] = AcceptForm(
            members=selectors.legal_members(committee=case.committee),
            proceeding_types=_proceeding_types(case.committee),
            initial={
                "team": [m.membership_id for m in case.team_members.all()],
                "partner_organization": case.partner_organization,
            },
        )
    return render_in_committee_time(
        request, case.committee, "legal_aid/case_detail.html", context, status=status
    )


@requires()
def case_detail(request, case_id):
    return case_page(request, _case(request, case_id))


@requires()
def case_edit(request, case_id):
    case = _case(request, case_id, Action.EDIT_CASE)
    if request.method != "POST":
        return redirect("legal_aid:case", case.pk)
    form = CaseForm(request.POST, proceeding_types=_proceeding_types(case.committee))
    if form.is_valid():
        try:
            services.case_update(actor=request.viewer, case=case, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error_text(error))
        else:
            messages.success(request, _("Saved."))
            return redirect("legal_aid:case", case.pk)
    return case_page(request, case, forms={"case": form}, status=400)


@requires()
@require_POST
def case_assign(request, case_id):
    case = _case(request, case_id, Action.TRIAGE_LEGAL_REQUESTS)
    form = AcceptForm(
        request.POST,
        members=selectors.legal_members(committee=case.committee),
        proceeding_types=_proceeding_types(case.committee),
    )
    if form.is_valid():
        try:
            services.case_assign(
                actor=request.viewer,
                case=case,
                team=[m.pk for m in form.cleaned_data["team"]],
                partner_organization=form.cleaned_data["partner_organization"],
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("The team is updated."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("legal_aid:case", case.pk)


@requires()
@require_POST
def case_close(request, case_id):
    case = _case(request, case_id, Action.EDIT_CASE)
    form = CloseForm(request.POST)
    if form.is_valid():
        services.case_close(actor=request.viewer, case=case, reason=form.cleaned_data["reason"])
        messages.success(request, _("The case is closed."))
    else:
        messages.error(request, _("Give a reason for closing the case."))
    return redirect("legal_aid:case", case.pk)


@requires()
@require_POST
def case_address(request, case_id):
    case = _case(request, case_id, Action.EDIT_CASE)
    form = AddressChangeForm(request.POST)
    if form.is_valid():
        try:
            services.case_address_changed(
                actor=request.viewer, case=case, moved_on=form.cleaned_data["moved_on"]
            )
        except ValidationError as error:
            messages.error(request, error_text(error))
        else:
            messages.success(request, _("A change-of-address (EOIR-33) deadline was added."))
    else:
        messages.error(request, _("Enter the date of the move."))
    return redirect("legal_aid:case", case.pk)


@requires()
@require_POST
def document_upload(request, case_id):
    case = _case(request, case_id, Action.EDIT_CASE)
    form = DocumentForm(request.POST, request.FILES)
    if form.is_valid():
        try:
            services.document_upload(
                actor=request.viewer, case=case, upload=form.cleaned_data["upload"]
            )
        except ValidationError as error:
            form.add_error("upload", error_text(error))
        else:
            messages.success(request, _("The document is stored, encrypted."))
            return redirect("legal_aid:case", case.pk)
    return case_page(request, case, forms={"document": form}, status=400)


@requires()
def document_download(request, document_id):
    viewer = request.viewer
    document = get_object_or_404(
        Document.objects.select_related("case__committee", "case__person").prefetch_related(
            "case__team_members"
        ),
        viewer,
        Action.VIEW_CASE_CONTENTS,
        pk=document_id,
    )
    content, content_type, filename = services.document_read(actor=viewer, document=document)
    response = HttpResponse(content, content_type=content_type)
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@requires()
@require_POST
def deadline_done(request, deadline_id):
    viewer = request.viewer
    task = get_object_or_404(
        DeadlineTask.objects.select_related("case").prefetch_related("case__team_members"),
        viewer,
        Action.EDIT_CASE,
        pk=deadline_id,
    )
    services.deadline_done(actor=viewer, task=task)
    return redirect("legal_aid:case", task.case_id)


def hearing_form_page(request, case, form):
    return case_page(request, case, forms={"hearing": form}, status=400)
