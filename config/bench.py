"""The benchmark's second ceiling, served only with BENCH_ENDPOINTS (see bench/).

`bench/ceiling/` is a constant answer through the project's whole middleware; this is the
same answer from a plain Django project: a signed-in view behind only the session and
authentication middleware, with a one-path URLconf. config.wsgi hands its one path to
this handler, in the same gunicorn workers, so both are measured on the same servers and
the project's ceiling can be read as a fraction of what Django itself costs.
"""

from django.contrib.auth.decorators import login_not_required
from django.core.handlers.exception import convert_exception_to_response
from django.core.handlers.wsgi import WSGIHandler
from django.http import HttpResponse, HttpResponseForbidden
from django.urls import path
from django.utils.module_loading import import_string

PLAIN_PATH = "/bench/plain/"
PLAIN_MIDDLEWARE = [
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.contrib.auth.middleware.AuthenticationMiddleware",
]


@login_not_required
def plain_ceiling(request):
    """A constant answer for a signed-in user (the session and the user are loaded)."""
    if not request.user.is_authenticated:
        return HttpResponseForbidden("sign in", content_type="text/plain")
    return HttpResponse("ok", content_type="text/plain")


# The plain handler's whole URLconf (request.urlconf names this module).
urlpatterns = [path(PLAIN_PATH.strip("/") + "/", plain_ceiling, name="bench_plain")]


class PlainHandler(WSGIHandler):
    """Django's WSGI handler with PLAIN_MIDDLEWARE instead of settings.MIDDLEWARE."""

    def load_middleware(self, is_async=False):
        self._view_middleware = []
        self._template_response_middleware = []
        self._exception_middleware = []
        handler = convert_exception_to_response(self._get_response)
        for middleware_path in reversed(PLAIN_MIDDLEWARE):
            handler = convert_exception_to_response(import_string(middleware_path)(handler))
        self._middleware_chain = handler

    def get_response(self, request):
        request.urlconf = __name__
        return super().get_response(request)


def with_plain_ceiling(application):
    """`application`, except for PLAIN_PATH, which the plain handler answers."""
    plain = PlainHandler()

    def dispatch(environ, start_response):
        if environ.get("PATH_INFO") == PLAIN_PATH:
            return plain(environ, start_response)
        return application(environ, start_response)

    return dispatch
