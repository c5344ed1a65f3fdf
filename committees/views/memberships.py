"""Memberships and vetting: the members list, a membership, vouching, approving, suspending."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import confirm, selectors, services
from ..access import Action, get_object_or_404, requires
from ..forms import (
    CommitteeSettingsForm,
    RolesForm,
    VouchForm,
)
from ..models import Membership
from ..roles import MembershipStatus

PAGE_SIZE = 50


@requires(Action.MANAGE_MEMBERSHIPS)
def membership_list(request):
    status = request.GET.get("status", "")
    if status not in MembershipStatus.values:
        status = ""
    query = request.GET.get("q", "").strip()[:100]
    memberships = selectors.membership_list(viewer=request.viewer, status=status, query=query)
    page = Paginator(memberships, PAGE_SIZE).get_page(request.GET.get("page"))
    return render(
        request,
        "committees/membership_list.html",
        {"page": page, "status": status, "query": query, "statuses": MembershipStatus.choices},
    )


@requires(Action.MANAGE_MEMBERSHIPS)
def membership_detail(request, membership_id):
    membership = get_object_or_404(
        selectors.membership_list(viewer=request.viewer), request.viewer, pk=membership_id
    )
    roles_form = RolesForm(initial={"roles": membership.role_names})
    if request.method == "POST":
        roles_form = RolesForm(request.POST)
        if roles_form.is_valid():
            try:
                services.membership_set_roles(
                    actor=request.viewer,
                    membership=membership,
                    roles=roles_form.cleaned_data["roles"],
                )
            except ValidationError as error:
                messages.error(request, " ".join(error.messages))
            else:
                messages.success(request, _("Roles saved."))
            return redirect("committees:membership_detail", membership_id=membership.pk)
    vouches = list(membership.vouches.all())
    return render(
        request,
        "committees/membership_detail.html",
        {
            "membership": membership,
            "roles_form": roles_form,
            "vouches": vouches,
            "approval_refusal": services.approval_refusal(
                actor=request.viewer, membership=membership, vouches=vouches
            ),
            "vouched_by_me": any(v.voucher_id == request.viewer.membership.pk for v in vouches),
        },
    )


def _membership_action(service, success_message):
    @require_POST
    def view(request, membership_id):
        membership = get_object_or_404(Membership, request.viewer, pk=membership_id)
        try:
            service(actor=request.viewer, membership=membership)
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, success_message())
        return redirect(
            _safe_next(request, "committees:membership_detail", membership_id=membership.pk)
        )

    return view


def _safe_next(request, fallback, **kwargs):
    target = request.POST.get("next", "")
    if target and url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return reverse(fallback, kwargs=kwargs)


membership_approve = requires(Action.MANAGE_MEMBERSHIPS)(
    _membership_action(services.membership_approve, lambda: _("Approved: now a vetted member."))
)
membership_reinstate = requires(Action.MANAGE_MEMBERSHIPS)(
    _membership_action(
        services.membership_reinstate, lambda: _("Reinstated, on probation until vetted again.")
    )
)


@requires(Action.MANAGE_MEMBERSHIPS)
@require_POST
def membership_suspend(request, membership_id):
    """Suspend only once the coordinator has read what it does (confirm.py)."""
    membership = get_object_or_404(
        Membership.objects.select_related("person"), request.viewer, pk=membership_id
    )
    detail_url = reverse("committees:membership_detail", kwargs={"membership_id": membership.pk})
    if not confirm.confirmed(request):
        name = membership.person.preferred_name
        return confirm.ask(
            request,
            confirm.Confirmation(
                title=_("Suspend %(name)s?") % {"name": name},
                consequences=[
                    _("%(name)s is signed out of every device at once.") % {"name": name},
                    _("They lose access to the committee and all its data."),
                    _("To come back they must be reinstated, and vetted again."),
                ],
                button=_("Yes, suspend %(name)s") % {"name": name},
                cancel_url=detail_url,
                hidden={"next": request.POST.get("next", "")},
            ),
        )
    try:
        services.membership_suspend(actor=request.viewer, membership=membership)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Suspended. Their sessions have been ended."))
    return redirect(
        _safe_next(request, "committees:membership_detail", membership_id=membership.pk)
    )


@requires(Action.VOUCH)
def membership_vouch(request, membership_id):
    """A vetted member vouches for a newcomer, in their own words."""
    membership = get_object_or_404(
        selectors.newcomers_awaiting_vetting(viewer=request.viewer),
        request.viewer,
        pk=membership_id,
    )
    form = VouchForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.membership_vouch(
                actor=request.viewer, membership=membership, note=form.cleaned_data["note"]
            )
        except ValidationError as error:
            messages.error(request, " ".join(error.messages))
        else:
            messages.success(request, _("Thank you. Your vouch is recorded."))
        return redirect(_safe_next(request, "committees:vouch_list"))
    return render(
        request,
        "committees/vouch_form.html",
        {"membership": membership, "form": form, "next": request.GET.get("next", "")},
        status=400 if form.errors else 200,
    )


@requires(Action.VOUCH)
def vouch_list(request):
    viewer = request.viewer
    newcomers = selectors.newcomers_awaiting_vetting(viewer=viewer)
    page = Paginator(newcomers, PAGE_SIZE).get_page(request.GET.get("page"))
    rows = [
        {
            "membership": m,
            "vouches": list(m.vouches.all()),
            "vouched_by_me": any(v.voucher_id == viewer.membership.pk for v in m.vouches.all()),
            "approval_refusal": services.approval_refusal(
                actor=viewer, membership=m, vouches=list(m.vouches.all())
            )
            if viewer.can(Action.MANAGE_MEMBERSHIPS)
            else _("Only a coordinator approves."),
        }
        for m in page
    ]
    return render(
        request,
        "committees/vouch_list.html",
        {"page": page, "rows": rows, "required": viewer.committee.vouches_required},
    )


@requires(Action.MANAGE_MEMBERSHIPS)
def committee_settings(request):
    viewer = request.viewer
    form = CommitteeSettingsForm(
        request.POST or None, initial={"vouches_required": viewer.committee.vouches_required}
    )
    if request.method == "POST" and form.is_valid():
        services.committee_set_vouches_required(
            actor=viewer, vouches_required=int(form.cleaned_data["vouches_required"])
        )
        messages.success(request, _("Settings saved."))
        return redirect("committees:settings")
    return render(
        request,
        "committees/settings.html",
        {"form": form},
        status=400 if form.errors else 200,
    )
