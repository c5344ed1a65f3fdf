"""The coalition's front page, the public page's settings, and the dashboard panel."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from committees.access import Action, get_object_or_404, requires

from .. import selectors, services
from ..forms import FactForm, ProfileForm
from ..models import NeighbourFact
from ..services.public import profile_for
from .common import add_errors, errors_text, page


@requires(Action.VIEW_COALITION)
def home(request):
    viewer = request.viewer
    return page(
        request,
        "coalition/home.html",
        {
            "overview": selectors.overview(viewer=viewer),
            "mine": selectors.my_follow_ups(viewer=viewer)[:10],
            "can_manage": viewer.can(Action.MANAGE_COALITION),
            "offers": selectors.volunteer_offers(viewer=viewer)[:20]
            if viewer.can(Action.VIEW_DIRECTORY)
            else None,
        },
    )


@requires(Action.MANAGE_COALITION)
def public_settings(request):
    viewer = request.viewer
    profile = profile_for(viewer.committee)
    form = ProfileForm(
        request.POST or None,
        initial={n: getattr(profile, n) for n in services.public.PROFILE_FIELDS},
    )
    if request.method == "POST" and form.is_valid():
        try:
            services.profile_save(actor=viewer, **form.cleaned_data)
        except ValidationError as error:
            add_errors(form, error)
        else:
            messages.success(request, _("Public page saved."))
            return redirect("coalition:public_settings")
    return page(
        request,
        "coalition/public_settings.html",
        {
            "form": form,
            "facts": selectors.facts(committee=viewer.committee),
            "fact_form": FactForm(),
        },
        status=400 if form.errors else 200,
    )


@requires(Action.MANAGE_COALITION)
@require_POST
def fact_add(request):
    form = FactForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Write the fact in both languages, with its source."))
        services.fact_save(actor=request.viewer, **form.cleaned_data)
    except ValidationError as error:
        messages.error(request, errors_text(error))
    else:
        messages.success(request, _("Fact added to the public page."))
    return redirect("coalition:public_settings")


@requires(Action.MANAGE_COALITION)
@require_POST
def fact_delete(request, fact_id):
    fact = get_object_or_404(NeighbourFact, request.viewer, pk=fact_id)
    services.fact_delete(actor=request.viewer, fact=fact)
    messages.success(request, _("Fact removed."))
    return redirect("coalition:public_settings")
