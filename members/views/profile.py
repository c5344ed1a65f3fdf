"""My profile: every member's own details, consents, data download and erasure request."""

import json

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from committees.access import requires

from .. import selectors, services
from ..consent import consent_wording
from ..forms import PersonForm, ProfileConsentForm
from ..models import ErasureRequest


def _me(viewer):
    return selectors.person_detail(viewer=viewer, person_id=viewer.person.pk, action=None)


@requires()
def profile(request):
    viewer = request.viewer
    person = _me(viewer)
    rows = selectors.consent_overview(person=person)
    for row in rows:
        row["wording"] = consent_wording(
            purpose=row["purpose"],
            channel=row["channel"],
            committee_name=viewer.committee.name,
            granted=True,
        )
    return render(
        request,
        "members/profile.html",
        {
            "person": person,
            "consents": rows,
            "erasure_pending": ErasureRequest.objects.filter(
                person=person, status=ErasureRequest.Status.PENDING
            ).exists(),
        },
    )


@requires()
def profile_edit(request):
    viewer = request.viewer
    person = _me(viewer)
    form = PersonForm(request.POST or None, viewer=viewer, initial=PersonForm.initial_for(person))
    if request.method == "POST" and form.is_valid():
        try:
            services.person_update(actor=viewer, person=person, **form.service_fields())
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Your profile is saved."))
            return redirect("profile:detail")
    return render(
        request,
        "members/profile_form.html",
        {"form": form, "person": person},
        status=400 if form.errors else 200,
    )


@requires()
@require_POST
def profile_consent(request):
    """Give or withdraw one consent; the wording shown is what is recorded."""
    form = ProfileConsentForm(request.POST)
    if not form.is_valid():
        raise Http404
    services.consent_record_for(
        actor=request.viewer, person=request.viewer.person, source="profile", **form.cleaned_data
    )
    if form.cleaned_data["granted"]:
        messages.success(request, _("Thank you. Your consent is recorded."))
    else:
        messages.success(request, _("Withdrawn. We will not contact you for this any more."))
    return redirect("profile:detail")


@requires()
def profile_data(request):
    """Everything the committee keeps about me, as a JSON file."""
    data = services.my_data(actor=request.viewer)
    response = HttpResponse(
        json.dumps(data, ensure_ascii=False, indent=2), content_type="application/json"
    )
    filename = f"my-data-{timezone.localdate():%Y-%m-%d}.json"
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["Cache-Control"] = "no-store"
    return response


@requires()
def profile_erase(request):
    """Ask the committee to erase me (a coordinator confirms), or take it back."""
    viewer = request.viewer
    if request.method == "POST":
        if request.POST.get("cancel"):
            services.erasure_request_cancel(actor=viewer)
            messages.success(request, _("Your request is withdrawn. Nothing was deleted."))
        else:
            services.erasure_request(actor=viewer)
            messages.success(
                request, _("Your request is sent. A coordinator will erase your data soon.")
            )
        return redirect("profile:detail")
    pending = ErasureRequest.objects.filter(
        person=viewer.person, status=ErasureRequest.Status.PENDING
    ).exists()
    return render(request, "members/profile_erase.html", {"pending": pending})
