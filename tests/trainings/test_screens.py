"""Member, organizer and trainer screens: one-tap sign-up, who sees what, check-in
(with and without htmx), walk-ins with consent, no-shows, notes, the audited CSV export,
calendars, and the no-login registration link."""

import csv
import io
from datetime import timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from committees.roles import Role
from members.audit import AuditEvent
from members.consent import ConsentEvent
from trainings import selectors, services
from trainings.links import registration_token
from trainings.models import Registration, RegistrationStatus

from ..factories import PersonFactory, make_member
from .factories import consenting, make_training, seat

pytestmark = pytest.mark.django_db


@pytest.fixture
def trainer(committee):
    return make_member(committee, roles=[Role.TRAINER], name="Tina Trainer")


def test_member_signs_up_in_one_tap_and_can_give_up_the_seat(vetted_member, client_for):
    training = make_training(vetted_member.committee, visibility="members")
    client = client_for(vetted_member)
    response = client.post(reverse("trainings:sign_up", args=[training.pk]), follow=True)
    assert "You have a seat" in response.content.decode()
    registration = Registration.objects.get(person=vetted_member.person)
    assert registration.status == RegistrationStatus.REGISTERED
    # The private address is shown now that they have a seat.
    assert "123 Calle Principal" in response.content.decode()
    client.post(reverse("trainings:cancel_mine", args=[training.pk]), {"confirm": "yes"})
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED


def test_probationary_member_may_sign_up_but_sees_no_one_else(
    probationary_member, vetted_member, trainer, client_for
):
    training = make_training(probationary_member.committee)
    training.trainers.set([trainer.person])
    seat(training, vetted_member.person)
    client = client_for(probationary_member)
    page = client.get(reverse("trainings:detail", args=[training.pk])).content.decode()
    assert "Tina Trainer" not in page and "Vera Vetted" not in page
    assert "123 Calle Principal" not in page  # private address: no seat yet
    client.post(reverse("trainings:sign_up", args=[training.pk]))
    assert Registration.objects.filter(person=probationary_member.person).exists()
    assert client.get(reverse("trainings:roster", args=[training.pk])).status_code == 403


def test_other_committees_training_is_a_404(outsider, committee, client_for):
    training = make_training(committee)
    client = client_for(outsider)
    for name in (
        "trainings:detail",
        "trainings:roster",
        "trainings:edit",
        "trainings:roster_export",
    ):
        assert client.get(reverse(name, args=[training.pk])).status_code == 404
    assert client.post(reverse("trainings:sign_up", args=[training.pk])).status_code == 404
    assert not Registration.objects.exists()


def test_trainer_checks_in_with_htmx_and_without_js(trainer, committee, client_for):
    training = make_training(committee, starts_in=timedelta(minutes=30))
    person = consenting(committee)
    registration = seat(training, person)
    client = client_for(trainer)
    url = reverse("trainings:check_in", args=[training.pk, registration.pk])
    fragment = client.post(url, {"attended": "1"}, headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    assert fragment.content.decode().lstrip().startswith(f'<li id="r{registration.pk}"')
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.ATTENDED and registration.attended_at
    assert selectors.trained_kinds(person) == {"know_your_rights"}
    assert list(selectors.people_trained_in("know_your_rights", committee=committee)) == [person]
    # Undo, without JavaScript: a redirect back to the roster.
    response = client.post(url, {"attended": "0"})
    assert response.status_code == 302 and response["Location"].endswith(f"#r{registration.pk}")
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.REGISTERED
    assert selectors.trained_kinds(person) == set()


def test_check_in_is_refused_days_before_the_training(trainer, committee, client_for):
    training = make_training(committee, starts_in=timedelta(days=3))
    registration = seat(training, consenting(committee))
    client = client_for(trainer)
    response = client.post(
        reverse("trainings:check_in", args=[training.pk, registration.pk]), follow=True
    )
    assert "Check-in opens two hours before the start." in response.content.decode()
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.REGISTERED


def test_walk_in_is_added_checked_in_with_spoken_consent(trainer, committee, client_for):
    training = make_training(committee, starts_in=-timedelta(minutes=10))
    client = client_for(trainer)
    url = reverse("trainings:walk_in", args=[training.pk])
    refused = client.post(url, {"name": "Walk In", "phone": "213 555 0177", "language": "es"})
    assert refused.status_code == 400
    assert "Ask the person, and tick the box" in refused.content.decode()
    assert not Registration.objects.exists()
    client.post(
        url, {"name": "Walk In", "phone": "213 555 0177", "language": "es", "consent": "on"}
    )
    registration = Registration.objects.get()
    assert registration.status == RegistrationStatus.ATTENDED
    assert registration.source == "walk_in"
    event = ConsentEvent.objects.get()
    assert event.source == "spoken" and event.recorded_by == trainer.person
    # A known person is not duplicated.
    client.post(
        url, {"name": "Other Name", "phone": "2135550177", "language": "en", "consent": "on"}
    )
    assert Registration.objects.count() == 1


def test_no_shows_and_notes(trainer, committee, client_for):
    training = make_training(committee, starts_in=-timedelta(minutes=90))
    came, missed, other = (seat(training, consenting(committee)) for _ in range(3))
    client = client_for(trainer)
    client.post(reverse("trainings:check_in", args=[training.pk, came.pk]))
    client.post(reverse("trainings:no_show", args=[training.pk, missed.pk]))
    client.post(reverse("trainings:note", args=[training.pk, came.pk]), {"notes": "Interpreter"})
    client.post(reverse("trainings:roster_close", args=[training.pk]))
    statuses = dict(Registration.objects.values_list("pk", "status"))
    assert statuses == {came.pk: "attended", missed.pk: "no_show", other.pk: "no_show"}
    came.refresh_from_db()
    assert came.notes == "Interpreter"


def test_roster_export_is_audit_logged_and_spreadsheet_safe(coordinator, committee, client_for):
    training = make_training(committee)
    person = PersonFactory(committee=committee, preferred_name="=HYPERLINK(1)")
    seat(training, person)
    client = client_for(coordinator)
    url = reverse("trainings:roster_export", args=[training.pk])
    # Every phone of the room: the password again first, like the people export.
    assert client.get(url)["Location"].startswith(reverse("account_reauthenticate"))
    client.post(reverse("account_reauthenticate"), {"password": "correct horse battery staple"})
    response = client.get(url)
    assert response.status_code == 200
    assert response["Cache-Control"] == "no-store"
    text = response.content.decode()
    assert text.startswith("\ufeff")  # Excel reads the accents
    rows = list(csv.reader(io.StringIO(text[1:])))
    assert rows[1][0] == "'=HYPERLINK(1)"
    # Phone numbers start with "+", which spreadsheets read as a formula: quoted too.
    assert f"'{person.phone}" in rows[1]
    event = AuditEvent.objects.get(kind="trainings.roster_exported")
    assert event.actor == coordinator.person
    assert (event.target_id, event.row_count) == (training.pk, 1)
    assert event.details == {}  # never the data itself


def test_opening_the_roster_is_recorded_but_not_sending_a_form_from_it(
    coordinator, committee, client_for
):
    training = make_training(committee)
    seat(training, PersonFactory(committee=committee))
    client = client_for(coordinator)
    assert client.get(reverse("trainings:roster", args=[training.pk])).status_code == 200
    event = AuditEvent.objects.get(kind="trainings.roster_viewed")
    assert (event.actor, event.target_id, event.row_count) == (coordinator.person, training.pk, 1)
    client.post(reverse("trainings:walk_in", args=[training.pk]), {"name": ""})
    assert AuditEvent.objects.filter(kind="trainings.roster_viewed").count() == 1


def test_organizer_creates_a_weekly_series_in_local_time(coordinator, client_for):
    client = client_for(coordinator)
    day = (timezone.now() + timedelta(days=7)).date()
    response = client.post(
        reverse("trainings:create"),
        {
            "kind": "know_your_rights",
            "title_es": "Conozca sus derechos",
            "title_en": "",
            "language": "es",
            "day": day.isoformat(),
            "start_time": "18:00",
            "end_time": "20:00",
            "weeks": "6",
            "place_name": "Iglesia",
            "capacity": "25",
            "visibility": "public",
        },
    )
    assert response.status_code == 302
    trainings = list(coordinator.committee.trainings.order_by("starts_at"))
    assert len(trainings) == 6
    assert len({t.series_id for t in trainings}) == 1
    # Same weekday and wall-clock time every week, across any daylight-saving change.
    local_times = {
        t.starts_at.astimezone(ZoneInfo("America/Los_Angeles")).strftime("%a %H:%M")
        for t in trainings
    }
    assert local_times == {f"{day:%a} 18:00"}


def test_organizer_form_errors_are_clear(coordinator, client_for):
    response = client_for(coordinator).post(
        reverse("trainings:create"),
        {
            "kind": "know_your_rights",
            "language": "es",
            "day": "2020-01-01",
            "start_time": "18:00",
            "end_time": "17:00",
            "weeks": "1",
            "capacity": "0",
            "visibility": "public",
        },
    )
    assert response.status_code == 400
    body = response.content.decode()
    assert "The training must end after it starts." in body
    assert "Ensure this value is greater than or equal to 1." in body
    assert not coordinator.committee.trainings.exists()


def test_registration_link_works_without_login_and_a_forged_one_does_not(committee, client):
    training = make_training(committee, capacity=1)
    person = consenting(committee, language="es")
    registration = services.registration_sign_up(training=training, person=person).registration
    token = registration_token(registration)
    page = client.get(reverse("trainings_public:registration", args=[token])).content.decode()
    assert "Tiene un lugar." in page and "123 Calle Principal" in page
    ics = client.get(reverse("trainings_public:registration_calendar", args=[token]))
    event = Calendar.from_ical(ics.content).walk("VEVENT")[0]
    assert "123 Calle Principal" in str(event["LOCATION"])
    assert str(event["SUMMARY"]) == "Conozca sus derechos"
    forged = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    assert client.get(reverse("trainings_public:registration", args=[forged])).status_code == 404
    client.post(reverse("trainings_public:cancel", args=[token]), {"confirm": "yes"})
    registration.refresh_from_db()
    assert registration.status == RegistrationStatus.CANCELLED


def test_claim_link_takes_an_offered_seat_and_refuses_kindly_after_lapse(committee, client):
    training = make_training(committee, capacity=1)
    holder, first = consenting(committee), consenting(committee, language="es")
    held = services.registration_sign_up(training=training, person=holder).registration
    waiting = services.registration_sign_up(training=training, person=first).registration
    services.registration_cancel(registration=held)
    Registration.objects.filter(pk=waiting.pk).update(
        offer_expires_at=timezone.now() - timedelta(minutes=1)
    )
    response = client.post(reverse("trainings_public:claim", args=[registration_token(waiting)]))
    assert response.status_code == 409
    assert "se acabó el tiempo para tomar este lugar" in response.content.decode()


def test_public_calendar_and_feed_show_public_trainings_only(committee, client):
    public = make_training(committee, title_en="Open session")
    make_training(committee, title_en="Members session", visibility="members")
    page = client.get(
        reverse("trainings_public:calendar", args=[committee.slug]), HTTP_ACCEPT_LANGUAGE="en"
    ).content.decode()
    assert "Open session" in page and "Members session" not in page
    feed = client.get(reverse("trainings_public:feed", args=[committee.slug]) + "?lang=en")
    events = Calendar.from_ical(feed.content).walk("VEVENT")
    assert [str(e["SUMMARY"]) for e in events] == ["Open session"]
    assert "123 Calle Principal" not in feed.content.decode()  # private address
    assert str(events[0]["UID"]).startswith(f"training-{public.pk}@")


def test_dashboard_panel_lists_upcoming_trainings(coordinator, vetted_member, client_for):
    make_training(coordinator.committee, title_en="Soon", starts_in=timedelta(days=2))
    page = client_for(coordinator).get(reverse("dashboard")).content.decode()
    assert "Upcoming trainings" in page and "Soon" in page
    member_home = client_for(vetted_member).get(reverse("dashboard")).content.decode()
    assert "Soon" in member_home


def test_organizer_moves_then_cancels_a_training_and_people_are_told(
    coordinator, committee, client_for, django_capture_on_commit_callbacks
):
    from notifications.models import Message

    training = make_training(committee, starts_in=timedelta(days=4))
    person = consenting(committee, language="es")
    services.registration_sign_up(training=training, person=person)
    client = client_for(coordinator)
    edit = reverse("trainings:edit", args=[training.pk])
    form = client.get(edit).context["form"]
    data = {k: v for k, v in form.initial.items() if v not in (None, False)}
    data.update(
        day=(form.initial["day"] + timedelta(days=1)).isoformat(),
        start_time="19:00",
        end_time="21:00",
        trainers=[coordinator.person.pk],
    )
    with django_capture_on_commit_callbacks(execute=True):
        assert client.post(edit, data).status_code == 302
        client.post(
            reverse("trainings:cancel", args=[training.pk]),
            {"confirm": "yes", "reason": "The hall is closed"},
        )
    training.refresh_from_db()
    assert training.schedule_version == 2 and training.cancelled_at
    assert list(training.trainers.all()) == [coordinator.person]
    assert list(
        Message.objects.filter(person=person).order_by("id").values_list("template", flat=True)
    ) == ["trainings_confirmation", "trainings_changed", "trainings_cancelled"]
