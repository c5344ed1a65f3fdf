"""After the hearing: the accompanier records what happened in their language; the
hearing and the case follow (a postponement moves it and tells everyone, a detention
alerts the team)."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone

from legal_aid.models import Accompaniment, CourtWatchReport, Hearing, HearingChange
from notifications.models import Message

from ..factories import make_case, make_hearing

pytestmark = pytest.mark.django_db


@pytest.fixture
def hearing(committee, legal_member, accompanier):
    case = make_case(committee, team=[legal_member])
    hearing = make_hearing(case, starts_in=timedelta(hours=-2))
    Accompaniment.objects.create(hearing=hearing, person=accompanier.person, status="accepted")
    return hearing


def report(client, hearing, **data):
    return client.post(reverse("legal_aid:court_watch", args=[hearing.pk]), data)


def test_held_with_interpreter(hearing, accompanier, client_for):
    response = report(
        client_for(accompanier), hearing, result="relief_granted", interpreter_provided="1",
        notes="Judge granted cancellation",
    )  # fmt: skip
    assert response.status_code == 302
    saved = CourtWatchReport.objects.get()
    assert (saved.interpreter_provided, saved.language) == (True, "es")
    hearing.refresh_from_db()
    assert (hearing.status, hearing.outcome) == ("held", "relief_granted")


def test_postponed_moves_the_hearing_and_tells_everyone(
    hearing, accompanier, client_for, django_capture_on_commit_callbacks
):
    new_date = timezone.localtime(timezone.now() + timedelta(days=30)).strftime("%Y-%m-%dT%H:%M")
    with django_capture_on_commit_callbacks(execute=True):
        response = report(
            client_for(accompanier), hearing, result="postponed", postponed_to=new_date
        )
    assert response.status_code == 302
    hearing.refresh_from_db()
    assert hearing.status == "moved" and hearing.outcome == "postponed"
    assert HearingChange.objects.filter(hearing=hearing).count() == 1
    assert Message.objects.filter(template="legal_aid_hearing_moved").exists()


def test_detained_result_alerts_the_team(hearing, accompanier, legal_member, client_for):
    report(client_for(accompanier), hearing, result="detained")
    assert Message.objects.filter(
        template="legal_aid_detained", person=legal_member.person, urgency="urgent"
    ).exists()
    assert Hearing.objects.get().outcome == "detained"


def test_someone_who_was_not_there_cannot_report(hearing, vetted_member, client_for):
    assert report(client_for(vetted_member), hearing, result="held").status_code == 404
    assert not CourtWatchReport.objects.exists()


def test_bad_report_is_a_400(hearing, accompanier, client_for):
    client = client_for(accompanier)
    assert report(client, hearing, result="exploded").status_code == 400
    assert report(client, hearing, result="postponed", postponed_to="soon").status_code == 400
    assert not CourtWatchReport.objects.exists()
