"""Demo data that works: every seeded person can be opened, edited and saved unchanged
(valid emails, no accented local parts), the demo's own export imports back with no
change, zones are described in both languages, and seeding twice changes nothing."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.core.management import call_command
from django.core.validators import validate_email
from django.test import Client
from django.urls import reverse

from committees.models import Committee, Membership, Vouch, Zone
from members.forms import PersonForm
from members.models import ImportBatch, Person, User

pytestmark = pytest.mark.django_db


@pytest.fixture
def demo():
    call_command("seed_demo", "--force", "--quiet-logins")
    committee = Committee.objects.get(slug="eastside")
    coordinator = Membership.objects.get(
        committee=committee, person__user__email="coordinator@demo.defensa.test"
    )
    client = Client()
    client.force_login(coordinator.person.user)
    session = client.session
    # The demo coordinator has TOTP: mark this session as having passed it.
    session["account_authentication_methods"] = [
        {"method": "password", "at": 0},
        {"method": "mfa", "at": 0, "type": "totp"},
    ]
    session.save()
    return committee, client


def _snapshot(person):
    return (
        person.preferred_name,
        person.full_name,
        person.phone,
        person.email,
        person.language,
        sorted(lang.code for lang in person.other_languages.all()),
        sorted(skill.pk for skill in person.skills.all()),
        sorted(zone.pk for zone in person.zones.all()),
        person.availability,
    )


def _post_data(form):
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if isinstance(value, list):
            data[name] = [getattr(item, "pk", item) for item in value]
        elif value is not None:
            data[name] = value
    return data


def test_every_seeded_person_opens_edits_and_saves_unchanged(demo):
    committee, client = demo
    people = list(Person.objects.filter(committee=committee, erased_at__isnull=True))
    assert len(people) > 40
    coordinator = Membership.objects.get(
        committee=committee, person__user__email="coordinator@demo.defensa.test"
    )
    from committees.access import load_viewer

    viewer = load_viewer(coordinator.person.user, committee.pk)
    for person in people:
        if person.email:
            validate_email(person.email)
            assert person.email.isascii(), person.email
        before = _snapshot(person)
        assert client.get(reverse("members:person_detail", args=[person.pk])).status_code == 200
        edit = reverse("members:person_edit", args=[person.pk])
        assert client.get(edit).status_code == 200
        form = PersonForm(
            viewer=viewer,
            include_notes=True,
            initial=PersonForm.initial_for(person, include_notes=True),
        )
        response = client.post(edit, _post_data(form))
        assert response.status_code == 302, (person.preferred_name, response.content[:2000])
        person.refresh_from_db()
        assert _snapshot(person) == before, person.preferred_name


def test_demo_export_imports_back_with_no_change(demo):
    committee, client = demo
    user = User.objects.get(email="coordinator@demo.defensa.test")
    user.set_password("x-demo-password-42")
    user.save()
    client.force_login(user)
    session = client.session
    session["account_authentication_methods"] = [{"method": "mfa", "at": 0, "type": "totp"}]
    session.save()
    response = client.post(reverse("account_reauthenticate"), {"password": "x-demo-password-42"})
    assert response.status_code == 302
    exported = b"".join(client.get(reverse("members:export")).streaming_content)
    response = client.post(
        reverse("members:import_upload"),
        {"file": SimpleUploadedFile("demo.csv", exported, "text/csv")},
    )
    assert response.status_code == 302
    batch = ImportBatch.objects.get()
    assert (batch.error_count, batch.new_count, batch.update_count) == (0, 0, 0)
    assert batch.unchanged_count == Person.objects.filter(committee=committee).count()


def test_demo_zones_are_described_in_both_languages_and_vouches_have_words(demo):
    committee, _client = demo
    zones = Zone.objects.filter(committee=committee)
    assert zones.count() == 6
    assert all(zone.description and zone.description_es for zone in zones)
    assert Vouch.objects.filter(membership__committee=committee).exclude(note="").exists()
    approver = Membership.objects.get(
        committee=committee, person__user__email="coordinator@demo.defensa.test"
    )
    assert not Vouch.objects.filter(voucher=approver).exists()


def test_seeding_twice_changes_nothing(demo):
    counts = (Person.objects.count(), Vouch.objects.count(), Zone.objects.count())
    call_command("seed_demo", "--force", "--quiet-logins")
    assert (Person.objects.count(), Vouch.objects.count(), Zone.objects.count()) == counts
