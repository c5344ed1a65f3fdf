from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.db import transaction
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from committees.access import Action, get_object_or_404, requires

from .. import selectors, services
from ..forms import PartnerForm, PartnerNoteForm, PledgeForm
from ..models import PartnerKind
from .common import PAGE_SIZE, add_errors, page


@requires(Action.VIEW_COALITION)
def partner_list(request):
    kind = request.GET.get("kind", "")
    kind = kind if kind in PartnerKind.values else ""
    partners = selectors.partners(
        viewer=request.viewer, kind=kind, q=request.GET.get("q", "")[:100]
    )
    return page(
        request,
        "coalition/partner_list.html",
        {
            "page": Paginator(partners, PAGE_SIZE).get_page(request.GET.get("page")),
            "kinds": PartnerKind.choices,
            "kind": kind,
            "q": request.GET.get("q", "")[:100],
            "can_manage": request.viewer.can(Action.MANAGE_COALITION),
        },
    )


@requires(Action.MANAGE_COALITION)
def partner_edit(request, partner_id=None):
    viewer = request.viewer
    partner = None
    initial = {"relationship": "talking"}
    if partner_id is not None:
        partner = get_object_or_404(selectors.partners(viewer=viewer), viewer, pk=partner_id)
        initial = PartnerForm.initial_for(partner)
    form = PartnerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            partner = services.partner_save(actor=viewer, partner=partner, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Partner saved."))
            return redirect("coalition:partner_detail", partner_id=partner.pk)
    return page(
        request,
        "coalition/form.html",
        {"form": form, "title": _("Edit partner") if partner else _("New partner")},
        status=400 if form.errors else 200,
    )


@requires(Action.VIEW_COALITION)
def partner_detail(request, partner_id):
    viewer = request.viewer
    partner = get_object_or_404(selectors.partner_detail(viewer=viewer), viewer, pk=partner_id)
    can_manage = viewer.can(Action.MANAGE_COALITION)
    show_contact = viewer.can(Action.VIEW_PARTNER_CONTACTS)
    if show_contact and partner.contact_phone_hash + partner.contact_email_hash:
        services.partner_contact_viewed(viewer=viewer, partner=partner)
    return page(
        request,
        "coalition/partner_detail.html",
        {
            "partner": partner,
            "can_manage": can_manage,
            "show_contact": show_contact,
            "can_documents": viewer.can(Action.VIEW_COALITION_DOCUMENTS),
            "note_form": PartnerNoteForm() if can_manage else None,
            "pledge_form": PledgeForm(committee=viewer.committee) if can_manage else None,
        },
    )


@requires(Action.MANAGE_COALITION)
@require_POST
def partner_note_add(request, partner_id):
    viewer = request.viewer
    partner = get_object_or_404(selectors.partners(viewer=viewer), viewer, pk=partner_id)
    form = PartnerNoteForm(request.POST)
    if form.is_valid():
        services.partner_note_add(actor=viewer, partner=partner, **form.cleaned_data)
        messages.success(request, _("Added to the history."))
    else:
        messages.error(request, _("Fill in the date and what happened."))
    return redirect("coalition:partner_detail", partner_id=partner.pk)


@requires(Action.MANAGE_COALITION)
@require_POST
def pledge_add(request, partner_id):
    viewer = request.viewer
    partner = get_object_or_404(selectors.partners(viewer=viewer), viewer, pk=partner_id)
    form = PledgeForm(request.POST, request.FILES, committee=viewer.committee)
    if form.is_valid():
        data = dict(form.cleaned_data)
        upload = data.pop("document")
        try:
            with transaction.atomic():
                document = services.document_store(actor=viewer, upload=upload) if upload else None
                services.pledge_save(actor=viewer, partner=partner, document=document, **data)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Pledge saved."))
    else:
        messages.error(request, " ".join(e for errs in form.errors.values() for e in errs))
    return redirect("coalition:partner_detail", partner_id=partner.pk)
