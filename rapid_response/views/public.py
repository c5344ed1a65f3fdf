"""The public report form: fast on a phone, no account, English or Spanish.

Refused (with a clear message, never a 500) when it looks automated or when one
address, one callback number or the whole committee sends too many; a report never
alerts anyone by itself (a dispatcher verifies first).
"""

from __future__ import annotations

from django.http import Http404
from django.shortcuts import render
from django.utils import translation
from django.utils.translation import gettext as _

from committees.access import public
from committees.models import Committee

from .. import services
from ..forms import PublicReportForm
from ..models import Report
from ..shared import allow, client_ip, lookup_hash

PER_IP = (10, 60 * 60)
PER_NUMBER = (3, 60 * 60)
PER_COMMITTEE = (200, 60 * 60)


def _refuse(form, message) -> None:
    form.add_error(None, message)


@public
def report(request, committee_slug):
    committee = Committee.objects.filter(slug=committee_slug).first()
    if committee is None:
        raise Http404
    form = PublicReportForm(
        request.POST or None,
        committee=committee,
        initial={"language": translation.get_language()},
    )
    status = 200
    if request.method == "POST":
        status = 400
        ip_key = lookup_hash(f"ip:{client_ip(request)}")
        if not allow(f"rapid:web-ip:{ip_key}", PER_IP):
            _refuse(form, _("Too many reports from this connection. Please call or text us."))
            status = 429
        elif form.looks_automated():
            _refuse(
                form, _("Sorry, we could not accept the form. Please check it and send it again.")
            )
        elif form.is_valid():
            data = form.cleaned_data
            number_key = lookup_hash(data["callback"]) if data["callback"] else ""
            if number_key and not allow(f"rapid:web-number:{number_key}", PER_NUMBER):
                _refuse(form, _("We already have your reports. A dispatcher will call you back."))
                status = 429
            elif not allow(f"rapid:web-committee:{committee.pk}", PER_COMMITTEE):
                _refuse(
                    form,
                    _(
                        "We are receiving many reports right now. "
                        "Please text or call the committee."
                    ),
                )
                status = 429
            else:
                services.report_submit(
                    committee=committee,
                    source=Report.Source.WEB,
                    zone=data["zone"],
                    cross_streets=data["cross_streets"],
                    activity=data["activity"],
                    size=data["size"],
                    vehicles=data["vehicles"],
                    agencies=data["agencies"],
                    callback_phone=data["callback"],
                    source_hash=number_key or ip_key,
                    language=data["language"] or translation.get_language(),
                )
                return render(
                    request, "rapid_response/public_thanks.html", {"committee": committee}
                )
        if not form.stamp_is_usable():
            form.data = form.data.copy()
            form.data["started"] = form.fresh_started()
    return render(
        request,
        "rapid_response/public_report.html",
        {"committee": committee, "form": form},
        status=status,
    )
