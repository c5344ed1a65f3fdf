import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

application = get_wsgi_application()

from django.conf import settings  # noqa: E402  (configured by get_wsgi_application)

if settings.BENCH_ENDPOINTS:
    # The benchmark's plain-Django ceiling beside the project's (config.bench).
    from config.bench import with_plain_ceiling

    application = with_plain_ceiling(application)
