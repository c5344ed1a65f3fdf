from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect
from django.utils.translation import gettext as _

from committees.access import Action, get_object_or_404, requires

from .. import selectors, services
from ..forms import AgreementUploadForm
from ..services.public import profile_for
from .common import PAGE_SIZE, errors_text, page


@requires(Action.VIEW_COALITION)
def agreement_list(request):
    viewer = request.viewer
    profile = profile_for(viewer.committee)
    everywhere = request.GET.get("where") == "all" or not profile.state
    agreements = selectors.agreements(viewer=viewer, area_only=not everywhere, profile=profile)
    return page(
        request,
        "coalition/agreement_list.html",
        {
            "page": Paginator(agreements, PAGE_SIZE).get_page(request.GET.get("page")),
            "everywhere": everywhere,
            "profile": profile,
            "counts": selectors.agreement_counts(viewer=viewer),
            "last_import": selectors.imports(viewer=viewer).first(),
            "can_manage": viewer.can(Action.MANAGE_COALITION),
        },
    )


@requires(Action.MANAGE_COALITION)
def agreement_import(request):
    viewer = request.viewer
    form = AgreementUploadForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        try:
            result = services.agreements_import(actor=viewer, upload=form.cleaned_data["upload"])
        except ValidationError as error:
            form.add_error("upload", errors_text(error))
        else:
            messages.success(
                request,
                _("%(imported)s agreements read, %(refused)s rows refused.")
                % {"imported": result.batch.rows_imported, "refused": len(result.errors)},
            )
            return redirect("coalition:import_detail", import_id=result.batch.pk)
    return page(
        request,
        "coalition/agreement_import.html",
        {"form": form, "imports": selectors.imports(viewer=viewer)[:10]},
        status=400 if form.errors else 200,
    )


@requires(Action.VIEW_COALITION)
def import_detail(request, import_id):
    viewer = request.viewer
    batch = get_object_or_404(selectors.imports(viewer=viewer), viewer, pk=import_id)
    return page(request, "coalition/import_detail.html", {"batch": batch})
