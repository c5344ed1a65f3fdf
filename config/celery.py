"""The Celery application. Settings come from Django's (CELERY_* names).

Like wsgi.py, a worker defaults to the production settings (it is a server); on a
laptop `make worker` and `make beat` choose the local ones.
"""

import os

from celery import Celery
from celery.signals import task_prerun

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings.production")

app = Celery("defensa")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


@task_prerun.connect
def drop_unusable_connections(task=None, **kwargs):
    """Connections outlive a task (CELERY_DB_REUSE_MAX): drop one that broke (a database
    restart) or outlived CONN_MAX_AGE, as Django does between requests. Not for a task
    run in-process (eager): it runs inside its caller's transaction and connection."""
    if task is not None and getattr(task.request, "is_eager", False):
        return
    from django.db import close_old_connections

    close_old_connections()
