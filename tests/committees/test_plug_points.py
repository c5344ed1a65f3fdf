"""What a new part plugs into: the menu, demo data, need-to-know object rules, the audit
trail's kinds and the one contact find-or-create."""

import pytest
from django.http import Http404
from django.utils.translation import gettext_lazy as _

from committees import access, demo, menu
from committees.access import Action, load_viewer
from committees.models import Zone
from committees.roles import Role
from members import audit
from members.models import Person
from members.services import contact_find_or_create

from ..factories import PersonFactory, make_member

pytestmark = pytest.mark.django_db


def test_menu_refuses_one_page_registered_twice_with_different_entries():
    menu.register(menu.Entry("trainings:list", _("Trainings"), None, 30))  # the same: fine
    with pytest.raises(ValueError, match="registered twice"):
        menu.register(menu.Entry("trainings:list", "Courses", None, 30))


def test_each_part_puts_its_own_entries_in_the_menu(coordinator, client_for):
    html = client_for(coordinator).get("/").content.decode()
    for path in ("/people/", "/trainings/", "/messages/", "/committee/zones/"):
        assert f'href="{path}"' in html


def test_probationary_members_see_only_the_entries_for_any_member(probationary_member, client_for):
    html = client_for(probationary_member).get("/trainings/").content.decode()
    assert 'href="/trainings/"' in html
    assert 'href="/people/"' not in html and 'href="/messages/"' not in html


def test_demo_contributors_run_in_their_order():
    names = [fn.__module__ for fn in demo.contributors()]
    assert "trainings.demo" in names


@pytest.fixture
def zone_rule():
    """A need-to-know rule on zones, for this test: only zones named after the viewer."""
    access.OBJECT_RULES[Action.MANAGE_ZONES] = lambda viewer, zone: (
        zone.name == viewer.person.preferred_name
    )
    yield
    del access.OBJECT_RULES[Action.MANAGE_ZONES]


def test_an_object_rule_turns_a_role_allowed_fetch_into_a_404(committee, coordinator, zone_rule):
    mine = Zone.objects.create(committee=committee, name="Ana Coordinator")
    other = Zone.objects.create(committee=committee, name="Somebody else")
    viewer = load_viewer(coordinator.person.user)
    assert viewer.can(Action.MANAGE_ZONES)
    assert viewer.can(Action.MANAGE_ZONES, mine) and not viewer.can(Action.MANAGE_ZONES, other)
    assert access.get_object_or_404(Zone, viewer, Action.MANAGE_ZONES, pk=mine.pk) == mine
    with pytest.raises(Http404):
        access.get_object_or_404(Zone, viewer, Action.MANAGE_ZONES, pk=other.pk)


def test_another_committees_object_is_refused_even_without_a_rule(committee, outsider):
    zone = Zone.objects.create(committee=committee, name="Zone 9")
    viewer = load_viewer(outsider.person.user)
    assert viewer.can(Action.MANAGE_ZONES) and not viewer.can(Action.MANAGE_ZONES, zone)


def test_audit_records_registered_kinds_with_their_target_only(committee, coordinator):
    viewer = load_viewer(coordinator.person.user)
    zone = Zone.objects.create(committee=committee, name="Zone 9")
    with pytest.raises(ValueError, match="unknown audit kind"):
        audit.audit_record(viewer=viewer, kind="nobody.registered_this")
    audit.register_kind("tests.zone_viewed", "Viewed a zone")
    event = audit.audit_record(viewer=viewer, kind="tests.zone_viewed", target=zone)
    assert (event.target_type.model, event.target_id) == ("zone", zone.pk)
    assert event.get_kind_display() == "Viewed a zone"


def test_contact_find_or_create_never_changes_an_existing_record(committee):
    known = PersonFactory(committee=committee, preferred_name="Rosa", language="es")
    before = (known.preferred_name, known.language, known.email)
    match = contact_find_or_create(
        committee=committee, name="Someone Else", phone=str(known.phone), language="en"
    )
    assert (match.person, match.created, match.needs_proof) == (known, False, True)
    known.refresh_from_db()
    assert (known.preferred_name, known.language, known.email) == before


def test_contact_find_or_create_makes_one_searchable_contact(committee):
    match = contact_find_or_create(
        committee=committee, name="Inés Núñez", phone="(213) 555-0199", language="es"
    )
    again = contact_find_or_create(
        committee=committee, name="Inés", phone="+12135550199", language="es"
    )
    assert match.created and not match.needs_proof and again.person == match.person
    person = Person.objects.get(pk=match.person.pk)
    assert str(person.phone) == "+12135550199" and person.search_name == "ines nunez"


def test_role_rules_still_decide_before_any_object_rule(committee, zone_rule):
    member = make_member(committee, roles=[Role.RESPONDER], name="Zone 9")
    zone = Zone.objects.create(committee=committee, name="Zone 9")
    assert not load_viewer(member.person.user).can(Action.MANAGE_ZONES, zone)
