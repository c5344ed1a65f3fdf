from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from . import confirm, delivery, selectors, services
from .access import Action, get_object_or_404, public, requires
from .dashboard import Panel, panels_for, register
from .forms import (
    CommitteeSettingsForm,
    CommitteeSwitchForm,
    InvitationForm,
    JoinForm,
    ResendForm,
    RolesForm,
    VouchForm,
    ZoneForm,
)
from .middleware import ACTIVE_COMMITTEE_SESSION_KEY
from .models import Invitation, Membership, Zone
from .qr import qr_svg
from .roles import MembershipStatus

PAGE_SIZE = 50


@register
def newcomers_panel(viewer):
    if not viewer.can(Action.VOUCH):
        return None
    counts = selectors.membership_counts(viewer=viewer)
    return Panel(
        template="committees/panels/newcomers.html",
        context={
            "newcomers": selectors.newcomers_awaiting_vetting(viewer=viewer)[:5],
            "newcomer_count": counts["probationary"],
            "counts": counts,
        },
        order=10,
    )


def dashboard(request):
    viewer = request.viewer
    if viewer.membership is None:
        return render(request, "committees/no_committee.html", status=200)
    if viewer.can(Action.VIEW_DASHBOARD):
        return render(request, "committees/dashboard.html", {"panels": panels_for(viewer)})
    return render(request, "committees/home.html", {"panels": panels_for(viewer)})


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


@requires(Action.MANAGE_ZONES)
def zone_list(request):
    form = ZoneForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.zone_save(actor=request.viewer, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Zone saved."))
            return redirect("committees:zone_list")
    zones = selectors.zone_list(viewer=request.viewer)
    return render(request, "committees/zone_list.html", {"form": form, "zones": zones})


@requires(Action.MANAGE_ZONES)
def zone_edit(request, zone_id):
    zone = get_object_or_404(Zone, request.viewer, pk=zone_id)
    form = ZoneForm(request.POST or None, instance=zone)
    if request.method == "POST" and form.is_valid():
        try:
            services.zone_save(actor=request.viewer, zone=zone, **form.cleaned_data)
        except ValidationError as error:
            form.add_error(None, error)
        else:
            messages.success(request, _("Zone saved."))
            return redirect("committees:zone_list")
    return render(request, "committees/zone_edit.html", {"form": form, "zone": zone})


@requires()
@require_POST
def committee_switch(request):
    form = CommitteeSwitchForm(request.POST)
    if form.is_valid():
        wanted = form.cleaned_data["committee_id"]
        if any(m.committee_id == wanted for m in request.viewer.memberships):
            request.session[ACTIVE_COMMITTEE_SESSION_KEY] = wanted
            return redirect("dashboard")
    raise Http404


@public
@require_POST
def set_language(request):
    """Switch language; a signed-in person's choice is saved on their account."""
    language = request.POST.get("language", "")
    target = request.POST.get("next", "")
    # Only a path of this site ("abc" is not one: `redirect` would take it for a view
    # name and fail).
    if not target.startswith("/") or not url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        target = "/"
    response = HttpResponseRedirect(target)
    if language and check_for_language(language) and language in dict(_languages()):
        if request.user.is_authenticated:
            services.user_language_set(user=request.user, language=language)
        response.set_cookie(
            settings.LANGUAGE_COOKIE_NAME,
            language,
            max_age=365 * 24 * 3600,
            samesite=settings.LANGUAGE_COOKIE_SAMESITE,
            secure=settings.LANGUAGE_COOKIE_SECURE,
        )
    return response


def _languages():
    from django.conf import settings

    return settings.LANGUAGES


INVITATION_SESSION_KEY = "invitation_token_hash"
# Like Django's password reset: the token leaves the address bar after the first request,
# so it is not kept in browser history, proxy logs or a Referer header.
INVITATION_URL_PLACEHOLDER = "open"


@public
def join(request, token):
    """Accept an invitation: the only way an account is ever created."""
    if token != INVITATION_URL_PLACEHOLDER:
        # Only the token's hash is kept in the session row (django_session), as in the
        # invitations table: a copy of the database cannot be used to join.
        request.session[INVITATION_SESSION_KEY] = services.invitation_token_hash(token)
        return redirect("join", token=INVITATION_URL_PLACEHOLDER)
    token_hash = request.session.get(INVITATION_SESSION_KEY, "")
    invitation = services.invitation_find(token_hash=token_hash) if token_hash else None
    refusal = services.invitation_refusal(invitation)
    if refusal:
        return render(request, "committees/join_refused.html", {"reason": refusal}, status=410)

    if request.user.is_authenticated:
        if request.user.email.lower() != invitation.email.lower():
            # An invitation is for one person: another account cannot take it.
            return render(
                request,
                "committees/join_refused.html",
                {"reason": _("This invitation was sent to another email address.")},
                status=403,
            )
        if request.method == "POST":
            try:
                membership = services.invitation_accept(
                    invitation_id=invitation.pk,
                    user=request.user,
                    preferred_name=_known_name(request.user),
                    language=request.user.language,
                )
            except services.InvitationUnusable as error:
                return render(
                    request,
                    "committees/join_refused.html",
                    {"reason": error.messages[0]},
                    status=410,
                )
            request.session.pop(INVITATION_SESSION_KEY, None)
            request.session[ACTIVE_COMMITTEE_SESSION_KEY] = membership.committee_id
            messages.success(
                request, _("Welcome to %(committee)s.") % {"committee": invitation.committee}
            )
            return redirect("dashboard")
        return render(request, "committees/join_existing.html", {"invitation": invitation})

    form = JoinForm(
        request.POST or None,
        invitation=invitation,
        initial={"email": invitation.email, "language": request.LANGUAGE_CODE},
    )
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            membership = services.invitation_join(
                invitation_id=invitation.pk,
                email=data["email"],
                password=data["password1"],
                preferred_name=data["preferred_name"],
                language=data["language"],
            )
        except services.InvitationUnusable as error:
            return render(
                request, "committees/join_refused.html", {"reason": error.messages[0]}, status=410
            )
        login(
            request,
            membership.person.user,
            backend="django.contrib.auth.backends.ModelBackend",
        )
        request.session[ACTIVE_COMMITTEE_SESSION_KEY] = invitation.committee_id
        return redirect("dashboard")
    return render(
        request,
        "committees/join.html",
        {"form": form, "invitation": invitation},
        status=400 if form.errors else 200,
    )


def _known_name(user) -> str:
    """The name this person already goes by in another committee (never their email)."""
    other = user.people.order_by("created_at").values_list("preferred_name", flat=True).first()
    return other or _("New member")


@public
def healthz(request):
    return HttpResponse("ok", content_type="text/plain")


def ceiling(request):
    """A constant answer for a signed-in user: the benchmark's upper bound."""
    return HttpResponse("ok", content_type="text/plain")
