"""Invitations: create and send, resend, withdraw."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import delivery, selectors, services
from ..access import Action, get_object_or_404, requires
from ..forms import (
    InvitationForm,
    ResendForm,
)
from ..models import Invitation
from ..qr import qr_svg

PAGE_SIZE = 50


@requires(Action.INVITE)
def invitation_list(request):
    viewer = request.viewer
    form = InvitationForm(
        request.POST or None, initial={"language": (viewer.committee.languages or ["es"])[0]}
    )
    new_link = None
    owner = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            invitation, token = services.invitation_create(
                actor=viewer,
                email=data["email"],
                roles=data["roles"],
                phone=data["phone"].as_e164 if data.get("phone") else "",
                language=data["language"] or (viewer.committee.languages or ["es"])[0],
                send_by=tuple(data["send_by"]),
            )
        except ValidationError as error:
            email = data["email"]
            form.add_error(None, error)
            owner = services.invitation_address_owner(committee=viewer.committee, email=email)
        else:
            new_link = services.invitation_link(token)
            messages.success(request, _invitation_sent_message(data["send_by"]))
            form = InvitationForm(initial={"language": data["language"]})
    return _invitation_page(request, form, new_link=new_link, owner=owner)


def _invitation_sent_message(send_by) -> str:
    if "email" in send_by and "sms" in send_by:
        return _("Invitation created and sent by email and text message.")
    if "email" in send_by:
        return _("Invitation created and sent by email.")
    if "sms" in send_by:
        return _("Invitation created and sent by text message.")
    return _("Invitation created. Hand over the link or the QR code yourself.")


def _invitation_page(request, form, *, new_link=None, owner=None):
    invitations = selectors.invitation_list(viewer=request.viewer)
    page = Paginator(invitations, PAGE_SIZE).get_page(request.GET.get("page"))
    deliveries = delivery.statuses(list(page))
    rows = [{"invitation": i, "deliveries": deliveries.get(i.pk, [])} for i in page]
    return render(
        request,
        "committees/invitation_list.html",
        {
            "form": form,
            "page": page,
            "rows": rows,
            "new_link": new_link,
            "qr_svg": qr_svg(new_link) if new_link else "",
            "owner": owner,
        },
        status=400 if form.errors else 200,
    )


@requires(Action.INVITE)
@require_POST
def invitation_resend(request, invitation_id):
    invitation = get_object_or_404(Invitation, request.viewer, pk=invitation_id)
    form = ResendForm(request.POST)
    send_by = tuple(form.cleaned_data["send_by"]) if form.is_valid() else ()
    try:
        token = services.invitation_resend(
            actor=request.viewer, invitation=invitation, send_by=send_by or ("email", "sms")
        )
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
        return redirect("committees:invitation_list")
    messages.success(request, _("A new link was sent. The previous link no longer works."))
    return _invitation_page(request, InvitationForm(), new_link=services.invitation_link(token))


@requires(Action.INVITE)
@require_POST
def invitation_revoke(request, invitation_id):
    invitation = get_object_or_404(Invitation, request.viewer, pk=invitation_id)
    services.invitation_revoke(actor=request.viewer, invitation=invitation)
    messages.success(request, _("Invitation withdrawn."))
    return redirect("committees:invitation_list")
