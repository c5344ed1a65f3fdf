"""Officials and agencies, their commitments, and the commitments' documents."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils import timezone
from django.utils.http import content_disposition_header
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from committees.access import Action, get_object_or_404, requires

from .. import incidents, selectors, services
from ..forms import (
    AgencyForm,
    CommitmentForm,
    DocumentForm,
    IncidentLinkForm,
    OfficeHolderForm,
    PublishForm,
    StatusForm,
)
from ..models import CommitmentStatus, PartnerPledge
from .common import PAGE_SIZE, add_errors, errors_text, page


@requires(Action.VIEW_COALITION)
def agency_list(request):
    viewer = request.viewer
    return page(
        request,
        "coalition/agency_list.html",
        {
            "agencies": Paginator(selectors.agencies(viewer=viewer), PAGE_SIZE).get_page(
                request.GET.get("page")
            ),
            "can_manage": viewer.can(Action.MANAGE_COALITION),
        },
    )


@requires(Action.MANAGE_COALITION)
def agency_edit(request, agency_id=None):
    viewer = request.viewer
    agency = None
    initial = {}
    if agency_id is not None:
        agency = get_object_or_404(selectors.agencies(viewer=viewer), viewer, pk=agency_id)
        initial = {"name": agency.name, "kind": agency.kind, "jurisdiction": agency.jurisdiction}
    form = AgencyForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            agency = services.agency_save(actor=viewer, agency=agency, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Saved."))
            return redirect("coalition:agency_detail", agency_id=agency.pk)
    return page(
        request,
        "coalition/form.html",
        {"form": form, "title": _("Official or agency")},
        status=400 if form.errors else 200,
    )


@requires(Action.VIEW_COALITION)
def agency_detail(request, agency_id):
    viewer = request.viewer
    agency = get_object_or_404(selectors.agencies(viewer=viewer), viewer, pk=agency_id)
    return page(
        request,
        "coalition/agency_detail.html",
        {
            "agency": agency,
            "commitments": selectors.commitments(viewer=viewer).filter(agency=agency),
            "can_manage": viewer.can(Action.MANAGE_COALITION),
            "holder_form": OfficeHolderForm(),
        },
    )


@requires(Action.MANAGE_COALITION)
@require_POST
def office_holder_add(request, agency_id):
    viewer = request.viewer
    agency = get_object_or_404(selectors.agencies(viewer=viewer), viewer, pk=agency_id)
    form = OfficeHolderForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Give at least the name."))
        services.office_holder_save(actor=viewer, agency=agency, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, errors_text(error))
    else:
        messages.success(request, _("Saved."))
    return redirect("coalition:agency_detail", agency_id=agency.pk)


@requires(Action.VIEW_COALITION)
def commitment_list(request):
    viewer = request.viewer
    status = request.GET.get("status", "")
    status = status if status in CommitmentStatus.values else ""
    commitments = selectors.commitments(viewer=viewer, status=status)
    return page(
        request,
        "coalition/commitment_list.html",
        {
            "page": Paginator(commitments, PAGE_SIZE).get_page(request.GET.get("page")),
            "statuses": CommitmentStatus.choices,
            "status": status,
            "can_manage": viewer.can(Action.MANAGE_COALITION),
        },
    )


@requires(Action.MANAGE_COALITION)
def commitment_create(request):
    viewer = request.viewer
    form = CommitmentForm(
        request.POST or None,
        committee=viewer.committee,
        initial={"on": timezone.localdate(), "agency": request.GET.get("agency")},
    )
    if request.method == "POST" and form.is_valid():
        try:
            commitment = services.commitment_create(actor=viewer, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Commitment saved."))
            return redirect("coalition:commitment_detail", commitment_id=commitment.pk)
    return page(
        request,
        "coalition/form.html",
        {"form": form, "title": _("New commitment")},
        status=400 if form.errors else 200,
    )


def _commitment(request, commitment_id, queryset=None):
    viewer = request.viewer
    return get_object_or_404(
        queryset if queryset is not None else selectors.commitments(viewer=viewer),
        viewer,
        pk=commitment_id,
    )


@requires(Action.VIEW_COALITION)
def commitment_detail(request, commitment_id, status_form=None, status=200):
    viewer = request.viewer
    commitment = _commitment(request, commitment_id, selectors.commitment_detail(viewer=viewer))
    can_manage = viewer.can(Action.MANAGE_COALITION)
    committee = viewer.committee
    links = list(commitment.incidents.all())
    labels = incidents.labels_for(incident_ids=[i.incident_id for i in links], committee=committee)
    choices = incidents.incidents_for_link(committee=committee) if can_manage else []
    if can_manage and status_form is None:
        status_form = StatusForm(
            initial={"on": timezone.localdate(), "status": commitment.status},
            incident_choices=choices,
        )
    return page(
        request,
        "coalition/commitment_detail.html",
        {
            "commitment": commitment,
            "events": commitment.events.all(),
            "incidents": [(link, labels.get(link.incident_id)) for link in links],
            "can_manage": can_manage,
            "can_documents": viewer.can(Action.VIEW_COALITION_DOCUMENTS),
            "status_form": status_form,
            "document_form": DocumentForm() if can_manage else None,
            "incident_form": IncidentLinkForm(incident_choices=choices)
            if choices and commitment.is_broken
            else None,
            "publish_form": PublishForm(
                initial={
                    "published": commitment.published,
                    "document_public": commitment.document_public,
                }
            )
            if can_manage
            else None,
        },
        status=status,
    )


@requires(Action.MANAGE_COALITION)
@require_POST
def commitment_status(request, commitment_id):
    viewer = request.viewer
    commitment = _commitment(request, commitment_id)
    form = StatusForm(
        request.POST, incident_choices=incidents.incidents_for_link(committee=viewer.committee)
    )
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.commitment_status_set(
                actor=viewer,
                commitment=commitment,
                status=data["status"],
                on=data["on"],
                note=data["note"],
                source_url=data["source_url"],
                incident_ids=data.get("incidents", []),
            )
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Status changed. The change is kept in the history."))
            return redirect("coalition:commitment_detail", commitment_id=commitment.pk)
    return commitment_detail(request, commitment.pk, status_form=form, status=400)


@requires(Action.MANAGE_COALITION)
@require_POST
def commitment_incident_add(request, commitment_id):
    """Point a broken commitment at one more incident that shows it."""
    viewer = request.viewer
    commitment = _commitment(request, commitment_id)
    form = IncidentLinkForm(
        request.POST, incident_choices=incidents.incidents_for_link(committee=viewer.committee)
    )
    try:
        if not form.is_valid():
            raise ValidationError(_("Choose an incident from your committee's reports."))
        services.commitment_incident_link(
            actor=viewer, commitment=commitment, incident_id=form.cleaned_data["incident"]
        )
    except ValidationError as error:
        messages.error(request, errors_text(error))
    else:
        messages.success(request, _("Incident linked."))
    return redirect("coalition:commitment_detail", commitment_id=commitment.pk)


@requires(Action.MANAGE_COALITION)
@require_POST
def commitment_document_upload(request, commitment_id):
    viewer = request.viewer
    commitment = _commitment(request, commitment_id)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose a file to upload."))
    else:
        try:
            with transaction.atomic():
                document = services.document_store(
                    actor=viewer, upload=form.cleaned_data["document"]
                )
                services.commitment_document_attach(
                    actor=viewer,
                    commitment=commitment,
                    document=document,
                    public=form.cleaned_data["public"],
                )
        except ValidationError as error:
            messages.error(request, errors_text(error))
        else:
            messages.success(request, _("Document uploaded. It is stored encrypted."))
    return redirect("coalition:commitment_detail", commitment_id=commitment.pk)


@requires(Action.MANAGE_COALITION)
@require_POST
def commitment_publish(request, commitment_id):
    viewer = request.viewer
    commitment = _commitment(request, commitment_id)
    form = PublishForm(request.POST)
    form.is_valid()
    services.commitment_publish(
        actor=viewer,
        commitment=commitment,
        published=form.cleaned_data.get("published", False),
        document_public=form.cleaned_data.get("document_public", False),
    )
    messages.success(request, _("Public scorecard updated."))
    return redirect("coalition:commitment_detail", commitment_id=commitment.pk)


def _download(document) -> HttpResponse:
    response = HttpResponse(services.document_read(document), content_type=document.content_type)
    response["Content-Disposition"] = content_disposition_header(True, document.filename)
    response["Cache-Control"] = "no-store"
    response["X-Content-Type-Options"] = "nosniff"
    return response


@requires(Action.VIEW_COALITION_DOCUMENTS)
def commitment_document(request, commitment_id):
    """The commitment's document, for those who may see documents; every download is
    written to the audit trail."""
    viewer = request.viewer
    commitment = get_object_or_404(
        selectors.commitment_detail(viewer=viewer),
        viewer,
        Action.VIEW_COALITION_DOCUMENTS,
        pk=commitment_id,
        document__isnull=False,
    )
    services.document_download_log(viewer=viewer, document=commitment.document, target=commitment)
    return _download(commitment.document)


@requires(Action.VIEW_COALITION_DOCUMENTS)
def pledge_document(request, pledge_id):
    viewer = request.viewer
    pledge = get_object_or_404(
        PartnerPledge.objects.select_related("document"),
        viewer,
        Action.VIEW_COALITION_DOCUMENTS,
        pk=pledge_id,
        document__isnull=False,
    )
    services.document_download_log(viewer=viewer, document=pledge.document, target=pledge)
    return _download(pledge.document)
