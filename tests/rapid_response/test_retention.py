"""Must-show 4: reporters' numbers and report details are purged after the committee's
retention, idempotently, counts kept; afterwards no row of the database holds them,
even read with the keys (decrypted through the ORM)."""

from datetime import timedelta

import pytest
from django.apps import apps
from django.db import connection
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from notifications.models import InboundMessage, Message
from rapid_response import services
from rapid_response.models import DispatchSettings, Incident, Report
from rapid_response.shared import lookup_hash

from ..factories import make_responder
from ..notifications.conftest import inbound_params, signed_post
from .helpers import reported

pytestmark = pytest.mark.django_db

REPORTER = "+13235550188"
WHERE = "Soto St and Wabash Ave"
SEEN = "Agentes en la puerta del taller mecanico"


def everything_in_the_database() -> str:
    """Every value of every row of every model, decrypted: what a seized database and
    its keys would give."""
    values = []
    for model in apps.get_models():
        for row in model._default_manager.all().values_list():
            values.extend(str(v) for v in row)
    return "\n".join(values)


def raw_dump() -> str:
    """Every table as stored (encrypted columns as ciphertext)."""
    lines = []
    with connection.cursor() as cursor:
        for table in connection.introspection.table_names():
            cursor.execute(f'SELECT * FROM "{table}"')  # noqa: S608 - table names from the schema
            lines.extend(str(row) for row in cursor.fetchall())
    return "\n".join(lines)


@pytest.fixture
def reports(open_committee, zone3, dispatcher, viewer_of, django_capture_on_commit_callbacks):
    """An SMS report (with our answer), a web report with a callback number, a confirm
    request and an alert: every place report details travel to."""
    confirmer = make_responder(open_committee, [zone3], name="Carla")
    with django_capture_on_commit_callbacks(execute=True):
        signed_post(
            Client(), "/sms/inbound/", inbound_params(from_number=REPORTER, body=f"{SEEN} zone 3")
        )
        web = reported(open_committee, zone3, where=WHERE, callback_phone="+13235550199")
        diego = viewer_of(dispatcher)
        services.confirmers_ask(actor=diego, incident=web.incident, person_ids=[confirmer.pk])
        services.incident_status_set(actor=diego, incident=web.incident, status="confirmed")
        services.alert_send(actor=diego, incident=web.incident, where=WHERE)
    return web.incident


def test_purge_removes_numbers_and_details_after_retention_idempotently(reports, open_committee):
    everything = everything_in_the_database()
    assert REPORTER in everything and WHERE in everything and SEEN in everything
    assert services.reports_purge() == 0  # not yet due
    later = timezone.now() + timedelta(days=30, minutes=1)
    assert services.reports_purge(now=later) == 2
    assert services.reports_purge(now=later) == 0  # idempotent
    everything = everything_in_the_database()
    dump = raw_dump()
    for secret in (REPORTER, "+13235550199", WHERE, SEEN):
        assert secret not in everything, secret
        assert secret not in dump, secret
    for hashed in (lookup_hash(REPORTER), lookup_hash("+13235550199")):
        assert hashed not in everything and hashed not in dump
    # The counts stay: two reports, one incident, its status and times.
    assert Report.objects.count() == 2
    incident = Incident.objects.get()
    assert incident.report_count == 2 and incident.verified_at and incident.alerted_at
    assert not InboundMessage.objects.exists()
    assert not Message.objects.filter(template="rapid_response_received").exists()


def test_retention_is_a_committee_setting(open_committee, zone3):
    DispatchSettings.objects.create(committee=open_committee, retention_days=7)
    report = reported(open_committee, zone3)
    assert report.purge_at.date() == (report.received_at + timedelta(days=7)).date()
    assert services.reports_purge(now=timezone.now() + timedelta(days=6)) == 0
    assert services.reports_purge(now=timezone.now() + timedelta(days=7, minutes=1)) == 1


def test_inbox_shows_what_will_be_purged_when(open_committee, zone3, dispatcher, client_for):
    reported(open_committee, zone3)
    reported(open_committee, zone3)
    page = client_for(dispatcher).get(reverse("rapid_response:inbox")).content.decode()
    assert "When report details are deleted" in page and "2 reports" in page


def test_purge_task_runs_the_service(open_committee, zone3):
    from rapid_response import tasks

    report = reported(open_committee, zone3)
    Report.objects.filter(pk=report.pk).update(purge_at=timezone.now() - timedelta(minutes=1))
    tasks.purge_reports.delay()
    report.refresh_from_db()
    assert report.purged_at is not None and report.cross_streets is None


def test_beat_runs_the_purge(settings):
    tasks = {entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()}
    assert "rapid_response.tasks.purge_reports" in tasks
