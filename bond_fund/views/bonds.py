"""Bond screens: the queue, a request, its documents and every step of its life.

Views parse a form and call one service; the services decide who may and what a step
needs, and say so in a ValidationError shown to the person.
"""

from __future__ import annotations

import base64

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from committees.access import Action, get_object_or_404, requires
from members import audit

from .. import cases, selectors, services
from ..forms import BondEditForm, BondRequestForm, DeadlineForm, DocumentForm, RefundForm
from ..models import BondDocument, BondStatus, Disbursement, DisbursementStatus, DocumentKind

PAGE_SIZE = 50


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)


def _bond(request, bond_id, action=Action.VIEW_BONDS):
    return get_object_or_404(
        selectors.bond_for_viewer(viewer=request.viewer), request.viewer, action, pk=bond_id
    )


@requires(Action.VIEW_BONDS)
def bond_list(request):
    status = request.GET.get("status", "")
    if status not in BondStatus.values:
        status = ""
    page = Paginator(selectors.bonds(viewer=request.viewer, status=status), PAGE_SIZE).get_page(
        request.GET.get("page")
    )
    return render(
        request,
        "bond_fund/bond_list.html",
        {
            "page": page,
            "status": status,
            "statuses": BondStatus.choices,
            "counts": selectors.status_counts(viewer=request.viewer),
        },
    )


@requires(Action.REQUEST_BOND)
def bond_create(request):
    viewer = request.viewer
    form = BondRequestForm(request.POST or None, cases=cases.cases_for_bond_choice(viewer=viewer))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            bond = services.bond_request_open(
                actor=viewer,
                case_id=data["case_id"],
                amount_cents=data["amount"],
                bond_type=data["bond_type"],
                note=data["note"],
                source="bond_fund",
            )
        except ValidationError as error:
            form.add_error(None, _errors(error))
        else:
            messages.success(request, _("Bond request opened."))
            return redirect("bond_fund:bond_detail", bond_id=bond.pk)
    return render(
        request, "bond_fund/bond_form.html", {"form": form}, status=400 if form.errors else 200
    )


@requires(Action.VIEW_BONDS)
def bond_detail(request, bond_id):
    viewer = request.viewer
    bond = _bond(request, bond_id)
    manager = viewer.can(Action.MANAGE_BONDS)
    if bond.person is not None and manager:
        audit.audit_record(
            viewer=viewer, kind="bond_fund.bond_viewed", person=bond.person, target=bond
        )
    hearings = cases.hearings_for_cases(case_ids=[bond.case_id]).get(bond.case_id, [])
    disbursements = list(bond.disbursements.select_related("requested_by", "approved_by"))
    return render(
        request,
        "bond_fund/bond_detail.html",
        {
            "bond": bond,
            "manager": manager,
            "treasurer": viewer.can(Action.MOVE_MONEY),
            "events": bond.events.select_related("actor__person"),
            "documents": bond.documents.defer("content"),
            "hearings": hearings,
            "missed": [h for h in hearings if h.status == "missed"],
            "disbursements": disbursements,
            "waiting": next(
                (d for d in disbursements if d.status == DisbursementStatus.WAITING), None
            ),
            "out_cents": services.bond_out_cents(bond),
            "pledges": bond.pledges.select_related("person"),
            "document_form": DocumentForm(),
            "refund_form": RefundForm(),
            "deadline_form": DeadlineForm(),
            "pay_key": RefundForm().initial["key"],
            "posted_document_kinds": [DocumentKind.I305],
        },
    )


@requires(Action.MANAGE_BONDS)
def bond_edit(request, bond_id):
    bond = _bond(request, bond_id, Action.MANAGE_BONDS)
    initial = {name: getattr(bond, name) for name in services.bonds.EDITABLE}
    initial["facility"] = bond.facility or ""
    initial["obligor_name"] = bond.obligor_name or ""
    form = BondEditForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        changes = {k: v for k, v in form.cleaned_data.items() if v != initial.get(k)}
        try:
            services.bond_update(actor=request.viewer, bond=bond, **changes)
        except ValidationError as error:
            form.add_error(None, _errors(error))
        else:
            messages.success(request, _("Saved."))
            return redirect("bond_fund:bond_detail", bond_id=bond.pk)
    return render(
        request,
        "bond_fund/bond_form.html",
        {"form": form, "bond": bond},
        status=400 if form.errors else 200,
    )


STEPS = {
    "approve": lambda viewer, bond, post: services.bond_approve(actor=viewer, bond=bond),
    "funding": lambda viewer, bond, post: services.bond_funding_open(actor=viewer, bond=bond),
    "withdraw": lambda viewer, bond, post: services.bond_withdraw(
        actor=viewer, bond=bond, reason=post.get("reason", "")
    ),
    "claim": lambda viewer, bond, post: services.bond_refund_claim(actor=viewer, bond=bond),
    "moved": lambda viewer, bond, post: services.bond_obligor_moved(actor=viewer, bond=bond),
}


@require_POST
@requires(Action.MANAGE_BONDS)
def bond_step(request, bond_id, step):
    bond = _bond(request, bond_id, Action.MANAGE_BONDS)
    if step == "deadline":
        form = DeadlineForm(request.POST)
        if not form.is_valid():
            messages.error(request, _("Enter a date and what is due."))
            return redirect("bond_fund:bond_detail", bond_id=bond.pk)
        services.bond_deadline_set(
            actor=request.viewer,
            bond=bond,
            deadline_on=form.cleaned_data["deadline_on"],
            reason=form.cleaned_data["reason"],
        )
        return redirect("bond_fund:bond_detail", bond_id=bond.pk)
    if step not in STEPS:
        raise Http404
    try:
        STEPS[step](request.viewer, bond, request.POST)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("Done."))
    return redirect("bond_fund:bond_detail", bond_id=bond.pk)


# A form that is uploaded can move the bond on at once: the I-305 posts it, the I-391
# cancels it, the I-323 records the breach.
THEN = {
    DocumentKind.I305: services.bond_mark_posted,
    DocumentKind.I391: services.bond_mark_cancelled,
    DocumentKind.I323: services.bond_mark_breached,
}


@require_POST
@requires(Action.MANAGE_BONDS)
def bond_document_upload(request, bond_id):
    bond = _bond(request, bond_id, Action.MANAGE_BONDS)
    form = DocumentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, _("Choose the form and a file."))
        return redirect("bond_fund:bond_detail", bond_id=bond.pk)
    data = form.cleaned_data
    try:
        document = services.document_add(
            actor=request.viewer,
            bond=bond,
            kind=data["kind"],
            upload=data["upload"],
            received_on=data["received_on"],
        )
    except ValidationError as error:
        messages.error(request, _errors(error))
        return redirect("bond_fund:bond_detail", bond_id=bond.pk)
    then = THEN.get(document.kind)
    if then is not None and request.POST.get("then") == "move":
        try:
            then(actor=request.viewer, bond=bond, document=document)
        except ValidationError as error:
            messages.warning(request, _("The form is saved. %(why)s") % {"why": _errors(error)})
            return redirect("bond_fund:bond_detail", bond_id=bond.pk)
    messages.success(request, _("The form is saved."))
    return redirect("bond_fund:bond_detail", bond_id=bond.pk)


@requires(Action.MANAGE_BONDS)
def bond_document(request, bond_id, document_id):
    bond = _bond(request, bond_id, Action.MANAGE_BONDS)
    document = get_object_or_404(
        BondDocument.objects.filter(bond=bond), request.viewer, Action.MANAGE_BONDS, pk=document_id
    )
    audit.audit_record(
        viewer=request.viewer,
        kind="bond_fund.document_opened",
        person=bond.person,
        target=document,
    )
    response = HttpResponse(
        base64.b64decode(document.content or ""), content_type=document.content_type
    )
    response["Content-Disposition"] = f'attachment; filename="{document.kind}-{document.pk}"'
    response["Cache-Control"] = "no-store"
    return response


@require_POST
@requires(Action.MOVE_MONEY)
def bond_pay(request, bond_id):
    bond = _bond(request, bond_id, Action.MOVE_MONEY)
    key = (request.POST.get("key") or "")[:64]
    if not key:
        raise Http404
    try:
        disbursement = services.disbursement_request(
            actor=request.viewer, bond=bond, idempotency_key=key
        )
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        if disbursement.status == DisbursementStatus.WAITING:
            messages.info(request, _("Waiting for a second treasurer or coordinator to approve."))
        else:
            messages.success(
                request, _("Paid out of the fund. Upload the I-305 when ICE issues it.")
            )
    return redirect("bond_fund:bond_detail", bond_id=bond.pk)


@require_POST
@requires(Action.MOVE_MONEY)
def disbursement_approve(request, disbursement_id):
    disbursement = get_object_or_404(
        Disbursement.objects.select_related("bond"),
        request.viewer,
        Action.MOVE_MONEY,
        pk=disbursement_id,
    )
    try:
        services.disbursement_approve(actor=request.viewer, disbursement=disbursement)
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("Approved and paid out of the fund."))
    return redirect("bond_fund:bond_detail", bond_id=disbursement.bond_id)


@require_POST
@requires(Action.MOVE_MONEY)
def bond_refund(request, bond_id):
    bond = _bond(request, bond_id, Action.MOVE_MONEY)
    form = RefundForm(request.POST)
    if not form.is_valid():
        messages.error(request, _errors(ValidationError(list(form.errors.values()))))
        return redirect("bond_fund:bond_detail", bond_id=bond.pk)
    try:
        services.bond_refund_record(
            actor=request.viewer,
            bond=bond,
            interest_cents=form.cleaned_data["interest"] or 0,
            idempotency_key=form.cleaned_data["key"],
        )
    except ValidationError as error:
        messages.error(request, _errors(error))
    else:
        messages.success(request, _("Refund recorded. The money is back in the fund."))
    return redirect("bond_fund:bond_detail", bond_id=bond.pk)
