"""Attending a training is written on the person's people record (what qualifies them)."""

from datetime import timedelta

from django.utils import timezone

from members.models import TrainingRecord
from trainings import selectors, services
from trainings.models import Kind, Registration, RegistrationStatus, Training

from ..factories import PersonFactory


def test_check_in_marks_the_person_trained_and_undo_removes_it(committee, coordinator):
    from committees.access import load_viewer

    starts = timezone.now() + timedelta(minutes=30)
    training = Training.objects.create(
        committee=committee,
        kind=Kind.RAPID_RESPONDER,
        title_en="Rapid responder",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        capacity=10,
    )
    person = PersonFactory(committee=committee)
    registration = Registration.objects.create(
        training=training,
        person=person,
        status=RegistrationStatus.REGISTERED,
        source="member",
        registered_at=timezone.now(),
    )
    viewer = load_viewer(coordinator.person.user)
    services.registration_check_in(actor=viewer, registration=registration)
    assert selectors.trained_kinds(person) == {"rapid_responder"}
    assert TrainingRecord.objects.filter(person=person, source="session").count() == 1
    assert list(selectors.people_trained_in("rapid_responder", committee=committee)) == [person]
    services.registration_check_in(actor=viewer, registration=registration, attended=False)
    assert selectors.trained_kinds(person) == set()


def test_erasing_a_person_removes_their_registrations(committee, coordinator):
    from committees.access import load_viewer
    from members import services as member_services

    starts = timezone.now() + timedelta(days=3)
    training = Training.objects.create(
        committee=committee,
        kind=Kind.KNOW_YOUR_RIGHTS,
        title_en="KYR",
        starts_at=starts,
        ends_at=starts + timedelta(hours=2),
        capacity=10,
    )
    person = PersonFactory(committee=committee)
    Registration.objects.create(
        training=training,
        person=person,
        status=RegistrationStatus.REGISTERED,
        source="public",
        registered_at=timezone.now(),
        notes="needs childcare",
    )
    member_services.person_erase(actor=load_viewer(coordinator.person.user), person=person)
    assert not Registration.objects.filter(person=person).exists()
