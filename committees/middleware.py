import time
from functools import lru_cache

from auditlog import get_logentry_model
from auditlog.cid import set_cid
from auditlog.context import _set_extra_data, auditlog_value
from auditlog.middleware import AuditlogMiddleware
from csp.constants import HEADER, HEADER_REPORT_ONLY
from csp.middleware import CheckableLazyObject, CSPMiddleware
from csp.utils import build_policy
from django.conf import settings
from django.contrib import messages
from django.contrib.auth import logout
from django.core.signals import setting_changed
from django.db.models.signals import pre_save
from django.dispatch import receiver
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
        if request.user.is_authenticated:
            viewer = request.viewer
            if (
                access.requires_mfa(viewer)
                and not access.has_second_factor(viewer)
                and not self._allowed_without_mfa(request)
            ):
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


class AuditlogWithoutEmailMiddleware(AuditlogMiddleware):
    """django-auditlog's middleware, minus the copy of the actor's email it puts on every
    audit row (`actor_email`): the row keeps the actor's id, and the audit log is not
    encrypted. Values in this context are applied after the library sets the actor.

    The library connects a `pre_save` receiver for its log entries at the start of every
    request and disconnects it at the end (a lock, and the signal's receiver cache thrown
    away, twice a request, for the few requests that write an audited row). Here one
    receiver is connected once and reads the request's values from the library's context
    variable, which is all that is set per request."""

    RECEIVER_UID = "committees.middleware.auditlog_request"

    def __init__(self, get_response=None):
        super().__init__(get_response)
        pre_save.connect(
            _auditlog_request_values,
            sender=get_logentry_model(),
            dispatch_uid=self.RECEIVER_UID,
            weak=False,
        )

    def get_extra_data(self, request):
        return {**super().get_extra_data(request), "actor_email": None}

    def __call__(self, request):
        set_cid(request)
        values = {**self.get_extra_data(request), "signal_duid": self.RECEIVER_UID}
        token = auditlog_value.set(values)
        try:
            return self.get_response(request)
        finally:
            auditlog_value.reset(token)


def _auditlog_request_values(sender, instance, **kwargs):
    """The request's actor and address on a log entry (the library's own receiver, bound
    to the one dispatch id this middleware sets)."""
    _set_extra_data(
        sender, instance, signal_duid=AuditlogWithoutEmailMiddleware.RECEIVER_UID, **kwargs
    )


# What a view may set on its response to change its own policy (django-csp's decorators).
_CSP_PER_RESPONSE = tuple(
    f"_csp_{what}{ro}" for what in ("config", "update", "replace") for ro in ("", "_ro")
)


class ConstantCSPMiddleware(CSPMiddleware):
    """django-csp's middleware, with the policy built once instead of on every response.

    Nothing here uses a nonce or a per-view policy, so the header is the same on every
    response; a response that does change its policy (django-csp's decorators) or a page
    that asked for a nonce is still built by the library, as before."""

    def process_response(self, request, response):
        if getattr(request, "_csp_nonce", None) is not None or any(
            hasattr(response, name) for name in _CSP_PER_RESPONSE
        ):
            return super().process_response(request, response)
        if settings.DEBUG and response.status_code in (404, 500):
            return response
        for header, setting, exempt, policy in _constant_csp():
            prefixes = (getattr(settings, setting, None) or {}).get("EXCLUDE_URL_PREFIXES")
            if (
                policy
                and header not in response
                and getattr(response, exempt, False) is False
                and not request.path_info.startswith(tuple(prefixes or ()))
            ):
                response[header] = policy
        request.csp_nonce = CheckableLazyObject(self._csp_nonce_post_response)
        return response


@lru_cache(maxsize=1)
def _constant_csp():
    """(header, setting, exemption attribute, policy) of the policy and the report-only
    one, as django-csp builds them with no per-response change and no nonce."""
    return (
        (HEADER, "CONTENT_SECURITY_POLICY", "_csp_exempt", build_policy()),
        (
            HEADER_REPORT_ONLY,
            "CONTENT_SECURITY_POLICY_REPORT_ONLY",
            "_csp_exempt_ro",
            build_policy(report_only=True),
        ),
    )


@receiver(setting_changed)
def _csp_setting_changed(setting, **kwargs):
    if setting.startswith("CONTENT_SECURITY_POLICY"):
        _constant_csp.cache_clear()
