"""Committee pages: the dashboard, zones, switching committee and language, joining.

Memberships and vetting live in `memberships`, invitations in `invitations`.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth import login
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, HttpResponseRedirect
from django.shortcuts import redirect, render
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import check_for_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from .. import selectors, services
from ..access import Action, get_object_or_404, public, requires
from ..dashboard import Panel, panels_for, register
from ..forms import CommitteeSwitchForm, JoinForm, ZoneForm
from ..middleware import ACTIVE_COMMITTEE_SESSION_KEY
from ..models import Zone
from .invitations import invitation_list, invitation_resend, invitation_revoke  # noqa: F401
from .memberships import (  # noqa: F401
    committee_settings,
    membership_approve,
    membership_detail,
    membership_list,
    membership_reinstate,
    membership_suspend,
    membership_vouch,
    vouch_list,
)


@register
def newcomers_panel(viewer):
    if not viewer.can(Action.VOUCH):
        return None
    counts = selectors.membership_counts(viewer=viewer)
    return Panel(
        template="committees/panels/newcomers.html",
        context={
            "newcomers": selectors.newcomers_for_panel(viewer=viewer),
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
