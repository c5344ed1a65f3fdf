"""The alert confirm screen, the live dispatch board, and updates / stand down / all clear."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from committees.access import Action, requires

from .. import selectors, services
from ..forms import AlertForm, NoticeForm
from ..models import AlertNotice, AlertRecipient, IncidentStatus
from .common import refused, render_local
from .dispatch import _incident, incident_url


def _initial(incident) -> dict:
    latest = incident.reports.order_by("-received_at", "-id").first()
    agencies = sorted({a for r in incident.reports.all() for a in r.agencies})
    return {"where": (latest.cross_streets or "")[:80] if latest else "", "agencies": agencies}


@requires(Action.DISPATCH)
def alert_new(request, incident_id):
    """One screen: the count, each language's text, and the send button."""
    incident = _incident(request, incident_id)
    if incident.status != IncidentStatus.CONFIRMED or not incident.is_open:
        messages.error(request, _("Only a confirmed incident can be alerted."))
        return redirect(incident_url(incident))
    form = AlertForm(request.POST or None, incident=incident, initial=_initial(incident))
    values = _initial(incident) | {"zones": []}
    if request.method == "POST" and form.is_valid():
        values = form.cleaned_data
        if request.POST.get("send"):
            try:
                alert = services.alert_send(
                    actor=request.viewer,
                    incident=incident,
                    zone_ids=values["zones"],
                    where=values["where"],
                    agencies=values["agencies"],
                )
            except ValidationError as error:
                return refused(request, error, incident_url(incident))
            messages.success(
                request,
                _("Alert sent to %(count)s responders.") % {"count": alert.recipient_count},
            )
            return redirect("rapid_response:board", alert.pk)
    draft = services.alert_draft(
        incident=incident,
        zone_ids=values["zones"],
        where=values["where"],
        agencies=values["agencies"],
    )
    return render_local(
        request,
        "rapid_response/alert_new.html",
        {"incident": incident, "form": form, "draft": draft},
        status=400 if form.errors else 200,
    )


def _board_context(alert) -> dict:
    rows = list(selectors.board(alert=alert))
    going = [r for r in rows if r.response == AlertRecipient.Response.YES]
    declined = [r for r in rows if r.response == AlertRecipient.Response.NO]
    waiting = [r for r in rows if r.response == AlertRecipient.Response.NONE]
    delivery: dict[str, int] = {}
    for row in rows:
        label = row.message.get_status_display() if row.message else _("Not sent")
        delivery[label] = delivery.get(label, 0) + 1
    return {
        "alert": alert,
        "going": going,
        "declined": declined,
        "waiting": waiting,
        "delivery": sorted(delivery.items()),
        "notices": list(alert.notices.all()),
    }


@requires(Action.DISPATCH)
def board(request, alert_id):
    alert = selectors.alert(viewer=request.viewer, alert_id=alert_id)
    context = _board_context(alert) | {
        "incident": alert.incident,
        "notice_form": NoticeForm(initial={"kind": AlertNotice.Kind.UPDATE}),
        "version": selectors.board_version(alert=alert),
    }
    return render_local(request, "rapid_response/board.html", context)


@requires(Action.DISPATCH)
def board_rows(request, alert_id):
    """What htmx polls: 304 Not Modified until something on the board changed."""
    alert = selectors.alert(viewer=request.viewer, alert_id=alert_id)
    etag = f'"{selectors.board_version(alert=alert)}"'
    if request.headers.get("If-None-Match") == etag:
        response = HttpResponse(status=304)
    else:
        response = render_local(request, "rapid_response/_board.html", _board_context(alert))
    response["ETag"] = etag
    response["Cache-Control"] = "private, no-cache"
    return response


@requires(Action.DISPATCH)
@require_POST
def notice_send(request, alert_id):
    alert = selectors.alert(viewer=request.viewer, alert_id=alert_id)
    form = NoticeForm(request.POST)
    try:
        if not form.is_valid():
            raise ValidationError(_("Unknown kind of message."))
        notice = services.alert_notice_send(actor=request.viewer, alert=alert, **form.cleaned_data)
    except ValidationError as error:
        return refused(request, error, redirect("rapid_response:board", alert.pk).url)
    messages.success(
        request,
        _("%(kind)s sent to %(count)s responders.")
        % {"kind": notice.get_kind_display(), "count": notice.recipient_count},
    )
    return redirect("rapid_response:board", alert.pk)
