"""The public request for legal help: short, safe on a phone, in Spanish or English.

It never says whether a phone number is known, never changes an existing record, and
bad input is answered with the form and its messages (never a 500)."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import translation
from django.utils.translation import gettext as _

from committees.access import public
from committees.models import Committee
from lib import throttle
from lib.crypto import lookup_hash

from .. import services
from ..forms import PublicRequestForm
from ..models import RequestSource
from .common import form_error, render_in_committee_time


def _committee(committee_slug) -> Committee:
    committee = Committee.objects.filter(slug=committee_slug).first()
    if committee is None:
        raise Http404
    return committee


@public
def public_intake(request, committee_slug):
    committee = _committee(committee_slug)
    form = PublicRequestForm(
        request.POST if request.method == "POST" else None,
        committee=committee,
        initial={"language": translation.get_language(), "contact_time": "any"},
    )
    status = 200
    if request.method == "POST":
        status = 400
        if not throttle.allow(f"legal:ip:{throttle.client_ip(request)}", throttle.ip_limit()):
            form.add_error(None, _("Too many attempts. Please wait an hour and try again."))
            status = 429
        elif form.looks_automated():
            form.add_error(
                None,
                _("Sorry, we could not accept the form. Please check it and send it again."),
            )
        elif form.is_valid():
            data = form.cleaned_data
            contact = lookup_hash(data["phone"] or data["email"])
            if not throttle.allow(f"legal:contact:{contact}", throttle.CONTACT_LIMIT):
                form.add_error(None, _("Too many attempts. Please wait an hour and try again."))
                status = 429
            else:
                try:
                    services.legal_request_open(
                        committee=committee,
                        source=RequestSource.PUBLIC,
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
                        consent_wording=form.wording,
                        wording_language=translation.get_language(),
                    )
                except ValidationError as error:
                    form_error(form, error)
                else:
                    return render_in_committee_time(
                        request,
                        committee,
                        "legal_aid/public_sent.html",
                        {"committee": committee, "detained": data["urgency"] == "detained"},
                    )
        if not form.stamp_is_usable():
            form.data = form.data.copy()
            form.data["started"] = form.fresh_started()
    return render_in_committee_time(
        request,
        committee,
        "legal_aid/public_intake.html",
        {"committee": committee, "form": form},
        status=status,
    )
