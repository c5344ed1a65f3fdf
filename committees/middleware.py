import time

from auditlog.middleware import AuditlogMiddleware
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.shortcuts import redirect
from django.urls import Resolver404, resolve
from django.utils import translation
from django.utils.functional import SimpleLazyObject
from django.utils.translation import gettext as _

from . import access

ACTIVE_COMMITTEE_SESSION_KEY = "active_committee_id"


class IdleSessionTimeoutMiddleware:
    """Sign out a session left idle for SESSION_IDLE_TIMEOUT seconds.

    The last-seen time is written at most once a minute, so an active user does
    not cost a session write on every request.
    """

    KEY = "last_seen"
    # When the session began. Saving a session pushes its expiry SESSION_COOKIE_AGE
    # further, so without this an active session would never end.
    STARTED_KEY = "signed_in_at"

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated:
            now = int(time.time())
            last_seen = request.session.get(self.KEY, now)
            started = request.session.get(self.STARTED_KEY, now)
            if now - started > settings.SESSION_COOKIE_AGE:
                logout(request)
                messages.info(request, _("Your session ended after many hours. Sign in again."))
            elif now - last_seen > settings.SESSION_IDLE_TIMEOUT:
                logout(request)
                messages.info(
                    request, _("You were signed out after a while without activity, for safety.")
                )
            else:
                if self.STARTED_KEY not in request.session:
                    request.session[self.STARTED_KEY] = now
                if now - last_seen >= 60 or self.KEY not in request.session:
                    request.session[self.KEY] = now
        return self.get_response(request)


class NoStoreMiddleware:
    """Pages are never kept by the browser or a proxy (`Cache-Control: no-store`): they
    show names, phones and addresses, and a shared or seized computer's cache and Back
    button must not show them again after signing out. Static files (served before
    this by WhiteNoise) and responses that set their own caching are left alone."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        response = self.get_response(request)
        if not response.has_header("Cache-Control"):
            response["Cache-Control"] = "no-store"
        return response


class UserLanguageMiddleware:
    """A signed-in person's saved language wins over the browser's."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and request.user.language:
            translation.activate(request.user.language)
            request.LANGUAGE_CODE = request.user.language
        return self.get_response(request)


class ViewerMiddleware:
    """Attach `request.viewer` (see committees.access), loaded on first use."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        def load():
            return access.load_viewer(
                request.user, request.session.get(ACTIVE_COMMITTEE_SESSION_KEY)
            )

        request.viewer = SimpleLazyObject(load)
        return self.get_response(request)


# Pages a staff member without a second factor may still reach: setting one up,
# re-entering their password for it, choosing a language, signing out. Exact,
# namespaced view names: a prefix would also let through the admin's pages about
# authenticators ("admin:mfa_authenticator_changelist"), where a second factor could be
# deleted by someone who has none.
MFA_SETUP_VIEW_NAMES = frozenset(
    {
        "mfa_index",
        "mfa_activate_totp",
        "mfa_add_webauthn",
        "account_logout",
        "account_reauthenticate",
        "set_language",
    }
)


class MfaRequiredMiddleware:
    """Staff roles, Django staff and superusers reach nothing before enrolling MFA."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        if request.user.is_authenticated and not self._allowed_without_mfa(request):
            viewer = request.viewer
            if access.requires_mfa(viewer) and not _has_authenticator(request.user):
                return redirect("mfa_activate_totp")
        return self.get_response(request)

    @staticmethod
    def _allowed_without_mfa(request) -> bool:
        if request.path_info.startswith(settings.STATIC_URL):
            return True
        try:
            match = resolve(request.path_info)
        except Resolver404:
            return True
        return match.view_name in MFA_SETUP_VIEW_NAMES


def _has_authenticator(user) -> bool:
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(
        user=user, type__in=[Authenticator.Type.TOTP, Authenticator.Type.WEBAUTHN]
    ).exists()


class AuditlogWithoutEmailMiddleware(AuditlogMiddleware):
    """django-auditlog's middleware, minus the copy of the actor's email it puts on every
    audit row (`actor_email`): the row keeps the actor's id, and the audit log is not
    encrypted. Values in this context are applied after the library sets the actor."""

    def get_extra_data(self, request):
        return {**super().get_extra_data(request), "actor_email": None}
