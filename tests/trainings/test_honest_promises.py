"""Never promise what consent forbids: a member who signed up without agreeing to
reminders is told so and can turn them on in one tap (recorded as consent with the
wording shown); a freed seat is never offered to someone the app cannot reach: it goes to
the next person who can be reached, and the roster says why."""

import pytest
from django.urls import reverse

from members.consent import Channel, ConsentEvent, ConsentSource, Purpose, may_contact
from notifications.models import Message
from trainings import services
from trainings.models import PassedOver, Registration, RegistrationStatus

from ..factories import PersonFactory
from .factories import consenting, make_training, seat

pytestmark = pytest.mark.django_db


def test_member_without_reminder_consent_is_told_the_truth_and_opts_in_with_one_tap(
    committee, vetted_member, client_for
):
    training = make_training(committee, visibility="members")
    client = client_for(vetted_member)
    response = client.post(reverse("trainings:sign_up", args=[training.pk]), follow=True)
    page = response.content.decode()
    assert "We will not send you a confirmation or reminders" in page
    assert "We will remind you" not in page
    assert "Turn reminders on" in page
    confirmation = Message.objects.get(template="trainings_confirmation")
    assert confirmation.status == "skipped"

    response = client.post(reverse("trainings:reminders_on", args=[training.pk]), follow=True)
    page = response.content.decode()
    assert "Reminders are on" in page
    assert "We will remind you by text message the day before and an hour before." in page
    person = vetted_member.person
    assert may_contact(person=person, purpose=Purpose.REMINDERS, channel=Channel.SMS)
    event = ConsentEvent.objects.get(person=person, channel=Channel.SMS)
    assert event.granted and event.source == ConsentSource.PROFILE
    assert event.recorded_by == person
    assert event.wording.startswith("Send me reminders about trainings")
    assert event.language == "en"


def test_member_with_consent_is_promised_reminders_on_their_channel(
    committee, coordinator, client_for
):
    from members.consent import consent_record

    consent_record(
        person=coordinator.person,
        purpose=Purpose.REMINDERS,
        channel=Channel.EMAIL,
        granted=True,
        wording="ok",
        language="en",
        source=ConsentSource.PROFILE,
    )
    training = make_training(committee, visibility="members")
    client = client_for(coordinator)
    page = client.post(reverse("trainings:sign_up", args=[training.pk]), follow=True)
    text = page.content.decode()
    assert "We will remind you by email" in text and "Turn reminders on" not in text


def test_waitlist_offer_skips_people_it_cannot_reach_and_the_roster_says_why(
    committee, coordinator, client_for
):
    training = make_training(committee, capacity=1)
    holder = consenting(committee)
    silent = PersonFactory(committee=committee, preferred_name="Sin Permiso")
    nowhere = PersonFactory(committee=committee, preferred_name="Sin Contacto")
    nowhere.set_contact(phone="", email="")
    nowhere.save()
    reachable = consenting(committee)
    seated = seat(training, holder)
    for position, person in enumerate([silent, nowhere, reachable], start=1):
        seat(training, person, status=RegistrationStatus.WAITLISTED, waitlist_position=position)
    training.waitlist_counter = 3
    training.save()

    services.registration_cancel(registration=seated)

    by_person = {r.person_id: r for r in Registration.objects.filter(training=training)}
    assert by_person[reachable.pk].status == RegistrationStatus.OFFERED
    assert Message.objects.filter(person=reachable, template="trainings_offer").exists()
    for person, reason in ((silent, PassedOver.NO_CONSENT), (nowhere, PassedOver.NO_ADDRESS)):
        assert by_person[person.pk].status == RegistrationStatus.WAITLISTED
        assert by_person[person.pk].passed_over_reason == reason
        assert not Message.objects.filter(person=person, template="trainings_offer").exists()

    roster = client_for(coordinator).get(reverse("trainings:roster", args=[training.pk]))
    text = roster.content.decode()
    assert "passed over: Has not agreed to reminders by text or email" in text
    assert "passed over: No phone or email to reach them" in text


def test_a_passed_over_member_who_opts_in_is_offered_a_free_seat(
    committee, vetted_member, client_for
):
    training = make_training(committee, capacity=1, visibility="members")
    holder = consenting(committee)
    seated = seat(training, holder)
    mine = seat(
        training, vetted_member.person, status=RegistrationStatus.WAITLISTED, waitlist_position=1
    )
    services.registration_cancel(registration=seated)
    mine.refresh_from_db()
    assert mine.status == RegistrationStatus.WAITLISTED and mine.passed_over_at
    client_for(vetted_member).post(reverse("trainings:reminders_on", args=[training.pk]))
    mine.refresh_from_db()
    assert mine.status == RegistrationStatus.OFFERED and not mine.passed_over_reason


def test_public_result_page_says_what_happens_if_no_message_can_be_sent(committee, client):
    from .test_public_sign_up import form, url

    training = make_training(committee)
    client.cookies["defensa_language"] = "en"
    response = client.post(url(training), form(phone="213 555 0100", language="en"))
    text = response.content.decode()
    assert "We are sending you a text message" not in text  # the old, unconditional promise
    assert "We are sending a text message to the number you gave" in text
    assert "Write down the date:" in text
    assert "we will not send you reminders either" in text
