"""Must show 4: moving a hearing keeps its history, tells the person, the team and the
accompaniers once each in their own language, and re-arms the reminders: a reminder
for the old date is never sent (clock frozen at the old date's reminder times)."""

from datetime import date, datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from freezegun import freeze_time

from committees.access import load_viewer
from legal_aid import services
from legal_aid.models import Accompaniment, DeadlineTask, HearingChange
from notifications.backends import locmem
from notifications.models import Message

from ..factories import make_case, make_member
from ..notifications.conftest import consenting_person

pytestmark = pytest.mark.django_db

LA = ZoneInfo("America/Los_Angeles")
OLD = datetime(2026, 11, 26, 9, 0, tzinfo=LA)
NEW = datetime(2026, 12, 10, 13, 30, tzinfo=LA)


@pytest.fixture
def world(open_committee, accompanier):
    committee = open_committee
    lawyer = make_member(committee, roles=["legal"], name="Lara Lawyer", language="en")
    for person in (lawyer.person,):
        from members.consent import consent_record

        for channel in ("sms", "email"):
            consent_record(
                person=person,
                purpose="reminders",
                channel=channel,
                granted=True,
                wording="ok",
                language="en",
                source="web_form",
            )
    client = consenting_person(committee, language="es", preferred_name="Rosa")
    case = make_case(committee, team=[lawyer], person=client)
    with freeze_time(OLD - timedelta(days=20)):
        hearing = services.hearing_create(
            actor=load_viewer(lawyer.person.user),
            case=case,
            kind="master",
            starts_at=OLD,
            place="Los Angeles Immigration Court",
            accompaniers_needed=1,
            accompaniment_language="es",
        )
    Accompaniment.objects.create(hearing=hearing, person=accompanier.person, status="accepted")
    return {
        "lawyer": lawyer,
        "client": client,
        "accompanier": accompanier.person,
        "case": case,
        "hearing": hearing,
    }


def texts_to(person):
    return [sms.body for sms in locmem.outbox if sms.to == str(person.phone)]


def test_moving_a_hearing_tells_each_person_once_in_their_language(
    world, django_capture_on_commit_callbacks
):
    hearing, lawyer = world["hearing"], world["lawyer"]
    with freeze_time(OLD - timedelta(days=5)), django_capture_on_commit_callbacks(execute=True):
        services.hearing_move(
            actor=load_viewer(lawyer.person.user),
            hearing=hearing,
            starts_at=NEW,
            reason="Court rescheduled",
        )
        # Saving the same move again tells nobody twice.
        services.hearing_move(actor=load_viewer(lawyer.person.user), hearing=hearing, starts_at=NEW)

    change = HearingChange.objects.get(hearing=hearing)
    assert (change.old_starts_at, change.new_starts_at) == (OLD, NEW)
    client, accompanier = world["client"], world["accompanier"]
    assert len(texts_to(client)) == 1 and "nueva fecha" in texts_to(client)[0]
    assert "10 de diciembre" in texts_to(client)[0]
    assert len(texts_to(accompanier)) == 1 and "diciembre" in texts_to(accompanier)[0]
    assert len(texts_to(lawyer.person)) == 1 and "December 10" in texts_to(lawyer.person)[0]
    moved = Message.objects.filter(template="legal_aid_hearing_moved")
    assert sorted(moved.values_list("language", flat=True)) == ["en", "es", "es"]
    # The master hearing's filing deadline follows the new date.
    task = DeadlineTask.objects.get(hearing=hearing)
    assert task.due_on == date(2026, 11, 25)


def test_a_reminder_for_the_old_date_is_never_sent(world, django_capture_on_commit_callbacks):
    hearing, lawyer = world["hearing"], world["lawyer"]
    with freeze_time(OLD - timedelta(days=3)):
        services.hearing_move(actor=load_viewer(lawyer.person.user), hearing=hearing, starts_at=NEW)
    locmem.outbox.clear()
    for moment in (OLD - timedelta(hours=23), OLD - timedelta(hours=1, minutes=50)):
        with freeze_time(moment), django_capture_on_commit_callbacks(execute=True):
            assert services.reminders_send() == 0
    assert locmem.outbox == []

    with freeze_time(NEW - timedelta(hours=23)), django_capture_on_commit_callbacks(execute=True):
        assert services.reminders_send() == 2  # the person and the accompanier
        assert services.reminders_send() == 0  # a second sweep sends nothing more
    client = world["client"]
    assert len(texts_to(client)) == 1 and "mañana" in texts_to(client)[0]
    assert texts_to(lawyer.person) == []


def test_reminder_sweep_rechecks_a_hearing_moved_after_it_was_due(world):
    """The sweep reads the date at send time: a hearing moved away between two runs gets
    no day-before reminder for its old date, and one for the new date when it is due."""
    hearing = world["hearing"]
    with freeze_time(OLD - timedelta(hours=20)):
        hearing.starts_at = NEW  # moved by someone else, under the sweep's feet
        hearing.schedule_version += 1
        hearing.save()
        assert services.reminders_send() == 0


def test_deadline_chain(world):
    lawyer = load_viewer(world["lawyer"].person.user)
    case = world["case"]
    with freeze_time(OLD - timedelta(days=60)):
        individual = services.hearing_create(
            actor=lawyer, case=case, kind="individual", starts_at=OLD + timedelta(days=90),
            place="Court",
        )  # fmt: skip
        bond = services.hearing_create(
            actor=lawyer, case=case, kind="bond", starts_at=OLD, place="Adelanto"
        )
        move = services.case_address_changed(actor=lawyer, case=case, moved_on=date(2026, 11, 2))
    due = dict(
        DeadlineTask.objects.filter(hearing__in=[individual, bond]).values_list("kind", "due_on")
    )
    assert due == {
        "filing_individual": date(2027, 1, 25),  # 30 days before Feb 24
        "bia_appeal": date(2026, 12, 26),  # 30 days after the bond hearing
    }
    assert move.kind == "eoir33" and move.due_on == date(2026, 11, 7)


def test_a_client_matched_without_proof_is_not_texted(world, django_capture_on_commit_callbacks):
    """The request's phone belonged to an existing record: until the person proves
    it is theirs, the team calls; nothing is texted to that record."""
    from ..factories import make_legal_request

    case, client = world["case"], world["client"]
    case.request = make_legal_request(case.committee, person=client, name="", needs_proof=True)
    case.save()
    with freeze_time(OLD - timedelta(days=5)), django_capture_on_commit_callbacks(execute=True):
        services.hearing_move(
            actor=load_viewer(world["lawyer"].person.user), hearing=world["hearing"], starts_at=NEW
        )
    assert texts_to(client) == []
    assert len(texts_to(world["lawyer"].person)) == 1


@pytest.mark.parametrize("typed", ["0001-01-01T09:00", "9999-12-31T09:00", "2026-02-30T09:00", "x"])
def test_a_hearing_date_from_a_typo_is_refused_not_a_500(world, client_for, typed):
    from django.urls import reverse

    client = client_for(world["lawyer"])
    case = world["case"]
    response = client.post(
        reverse("legal_aid:hearing_create", args=[case.pk]),
        {"kind": "master", "starts_at": typed, "place": "Court", "accompaniers_needed": "0",
         "accompaniment_language": "es"},
    )  # fmt: skip
    assert response.status_code == 400
    move = client.post(
        reverse("legal_aid:hearing_move", args=[world["hearing"].pk]), {"starts_at": typed}
    )
    assert move.status_code == 400
    assert case.hearings.count() == 1
