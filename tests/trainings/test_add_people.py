"""People ticked in the directory are put on a training's list by an organizer: seats
while they last, then the waitlist; only the committee's people; the usual messages."""

from django.urls import reverse

from committees.roles import Role
from trainings.models import Registration, RegistrationStatus

from ..factories import PersonFactory, make_member
from .factories import make_training

URL = reverse("trainings:add_people")


def test_ticked_people_get_seats_then_the_waitlist(coordinator, client_for, committee, outsider):
    training = make_training(committee, capacity=2)
    people = [PersonFactory(committee=committee, preferred_name=n) for n in ("Ana", "Bea", "Cruz")]
    stranger = PersonFactory(committee=outsider.committee)
    ids = [p.pk for p in people] + [stranger.pk]
    client = client_for(coordinator)

    chooser = client.post(URL, {"person": ids})  # from the directory: choose the training
    assert chooser.status_code == 200 and not Registration.objects.exists()
    assert [p.pk for p in chooser.context["people"]] == ids[:3]

    response = client.post(URL, {"person": ids, "training": training.pk}, follow=True)
    assert response.redirect_chain[-1][0] == reverse("trainings:roster", args=[training.pk])
    statuses = dict(Registration.objects.values_list("person__preferred_name", "status"))
    assert statuses == {
        "Ana": RegistrationStatus.REGISTERED,
        "Bea": RegistrationStatus.REGISTERED,
        "Cruz": RegistrationStatus.WAITLISTED,
    }
    assert set(Registration.objects.values_list("source", flat=True)) == {"added"}
    assert "Added: 2 have a seat, 1 is on the waitlist." in response.content.decode()

    again = client.post(URL, {"person": ids[:1], "training": training.pk}, follow=True)
    assert "1 was already on the list" in again.content.decode()
    assert Registration.objects.count() == 3


def test_a_cancelled_training_or_a_member_without_the_right_adds_no_one(
    coordinator, client_for, committee
):
    person = PersonFactory(committee=committee)
    training = make_training(committee)
    training.cancelled_at = training.starts_at
    training.save()
    response = client_for(coordinator).post(URL, {"person": [person.pk], "training": training.pk})
    assert response.status_code == 400 and not Registration.objects.exists()
    responder = make_member(committee, roles=[Role.RESPONDER])
    refused = client_for(responder).post(URL, {"person": [person.pk], "training": training.pk})
    assert refused.status_code in (403, 404) and not Registration.objects.exists()
