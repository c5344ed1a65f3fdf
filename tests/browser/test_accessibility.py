"""Issue 19: axe-core on every main page, for the public, a member, a coordinator, a
lawyer of the legal team and the bond fund's treasurer, at
360 and 1280 px, in English and Spanish (WCAG 2.0/2.1/2.2 A and AA), and a keyboard walk
that reaches the navigation and Sign out with a visible focus ring.

One browser context per width walks every page (cheaper than a test per page)."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.contrib.auth import get_user_model
from django.urls import reverse
from django.utils import timezone

from coalition.models import Agency, Commitment, CommitmentEvent, Partner, PublicProfile
from committees.models import Membership
from committees.roles import MembershipStatus, Role
from rapid_response import services as rapid_response
from rapid_response.models import IncidentStatus, Report
from trainings.links import registration_token
from trainings.models import Registration, Training

from ..factories import (
    PersonFactory,
    ZoneFactory,
    fund_money_in,
    make_bond,
    make_case,
    make_hearing,
    make_legal_request,
    make_member,
    make_responder,
)
from .a11y import audit, keyboard_walk
from .conftest import is_phone, open_menu, sign_in_as

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

LANGUAGES = {"en": ("Sign out", "People", "Menu"), "es": ("Cerrar sesión", "Personas", "Menú")}


@pytest.fixture
def town(committee, other_committee):
    """A committee with a training, people on its roster and a newcomer waiting; the
    coordinator is also in a second committee (so the committee switcher is drawn)."""
    ZoneFactory(committee=committee, name="Zona 3 – Lincoln Heights")
    starts_at = timezone.now() + timedelta(days=3)
    training = Training.objects.create(
        committee=committee,
        kind="know_your_rights",
        title_en="Know Your Rights",
        title_es="Conozca sus derechos",
        language="es",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        place_name="Iglesia San José",
        address="123 Calle Privada",
        capacity=10,
    )
    member = make_member(committee, roles=[Role.RESPONDER], name="Gloria Miembro")
    coordinator = make_member(committee, roles=[Role.COORDINATOR, Role.TRAINER], name="Ana")
    make_member(committee, status=MembershipStatus.PROBATIONARY, name="Hugo Nuevo")
    elsewhere = PersonFactory(
        committee=other_committee, preferred_name="Ana", user=coordinator.person.user
    )
    Membership.objects.create(committee=other_committee, person=elsewhere)
    rosa = PersonFactory(committee=committee, preferred_name="Rosa Sentada", language="es")
    registration = Registration.objects.create(
        training=training,
        person=rosa,
        status="registered",
        source="public",
        registered_at=timezone.now(),
    )
    Registration.objects.create(
        training=training,
        person=member.person,
        status="registered",
        source="member",
        registered_at=timezone.now(),
    )
    return {
        "training": training,
        "member": member,
        "coordinator": coordinator,
        "rosa": rosa,
        "token": registration_token(registration),
    }


@pytest.fixture
def cases_and_bonds(committee, legal_member, treasurer, viewer_of):
    """A request waiting in the legal queue; a case the lawyer is on, with a hearing next
    week; money in the bond fund and a bond being raised for that case."""
    make_legal_request(committee, name="Tomás Espera", urgency="detained")
    case = make_case(committee, team=[legal_member], name="Rosa Martínez")
    make_hearing(case)
    actor = viewer_of(treasurer)
    fund_money_in(actor, committee, 2_500_00, key="a11y")
    the_case = SimpleNamespace(add=lambda committee, person=None: case.pk)
    bond = make_bond(actor, the_case, amount_cents=1_500_00, status="funding")
    return {"legal": legal_member, "treasurer": treasurer, "case": case, "bond": bond}


@pytest.fixture
def raids_and_coalition(committee, dispatcher, viewer_of):
    """A confirmed incident the dispatcher alerted a zone about; a partner, and a broken
    commitment on the committee's public page."""
    committee.quiet_hours_start = committee.quiet_hours_end = "00:00"
    committee.save()
    zone = ZoneFactory(committee=committee, name="Zona 1 – Boyle Heights")
    make_responder(committee, [zone], name="Rita Responde")
    diego = viewer_of(dispatcher)
    incident = rapid_response.report_submit(
        committee=committee, source=Report.Source.WEB, zone=zone, cross_streets="Soto y 1st"
    ).incident
    rapid_response.incident_status_set(
        actor=diego, incident=incident, status=IncidentStatus.CONFIRMED
    )
    incident.refresh_from_db()
    alert = rapid_response.alert_send(actor=diego, incident=incident)
    Partner.objects.create(
        committee=committee, name="Iglesia Dolores", kind="faith", offers=["space"]
    )
    PublicProfile.objects.create(committee=committee, hotline="+12135550100")
    sheriff = Agency.objects.create(committee=committee, name="Sheriff del condado", kind="sheriff")
    commitment = Commitment.objects.create(
        committee=committee, agency=sheriff, kind="no_detainers", status="broken", published=True
    )
    CommitmentEvent.objects.create(commitment=commitment, status="broken", on=timezone.localdate())
    return {
        "dispatcher": dispatcher,
        "incident": incident,
        "alert": alert,
        "commitment": commitment,
    }


def public_pages(committee, town):
    return [
        reverse("account_login"),
        reverse("account_reset_password"),
        reverse("trainings_public:calendar", args=[committee.slug]),
        reverse("trainings_public:training", args=[committee.slug, town["training"].pk]),
        reverse("trainings_public:registration", args=[town["token"]]),
        reverse("legal_aid_public:intake", args=[committee.slug]),
        reverse("bond_fund_public:pledge", args=[committee.slug]),
    ]


def raids_and_coalition_public_pages(committee):
    return [
        reverse("rapid_response_public:report", args=[committee.slug]),
        reverse("coalition_public:page", args=[committee.slug]),
        reverse("coalition_public:red_card", args=[committee.slug]),
    ]


def member_pages(town):
    return [
        reverse("dashboard"),
        reverse("trainings:list"),
        reverse("trainings:detail", args=[town["training"].pk]),
        reverse("profile:detail"),
        reverse("profile:edit"),
    ]


def coordinator_pages(town):
    training, rosa = town["training"], town["rosa"]
    return [
        reverse("dashboard"),
        reverse("members:person_list"),
        reverse("members:person_detail", args=[rosa.pk]),
        reverse("members:person_edit", args=[rosa.pk]),
        reverse("members:person_create"),
        reverse("members:person_consent", args=[rosa.pk]),
        reverse("members:skill_list"),
        reverse("members:import_upload"),
        reverse("members:audit_log"),
        reverse("trainings:list"),
        reverse("trainings:manage"),
        reverse("trainings:create"),
        reverse("trainings:detail", args=[training.pk]),
        reverse("trainings:edit", args=[training.pk]),
        reverse("trainings:roster", args=[training.pk]),
        reverse("notifications:message_list"),
        reverse("notifications:compose"),
        reverse("notifications:broadcast_list"),
        reverse("notifications:inbox"),
        reverse("notifications:number_flags"),
        reverse("committees:membership_list"),
        reverse("committees:vouch_list"),
        reverse("committees:invitation_list"),
        reverse("committees:zone_list"),
        reverse("mfa_index"),
    ]


def legal_pages(cases):
    return [
        reverse("legal_aid:queue"),
        reverse("legal_aid:case", args=[cases["case"].pk]),
        reverse("legal_aid:calendar"),
    ]


def treasurer_pages(cases):
    return [
        reverse("bond_fund:dashboard"),
        reverse("bond_fund:bond_detail", args=[cases["bond"].pk]),
        reverse("bond_fund:ledger"),
    ]


def dispatcher_pages(raids):
    return [
        reverse("rapid_response:inbox"),
        reverse("rapid_response:incident", args=[raids["incident"].pk]),
        reverse("rapid_response:board", args=[raids["alert"].pk]),
    ]


def coalition_pages(raids):
    return [
        reverse("coalition:partner_list"),
        reverse("coalition:commitment_detail", args=[raids["commitment"].pk]),
    ]


def visit_all(page, paths):
    for path in paths:
        page.goto(path)
        audit(page)


def test_every_main_page_passes_axe_in_both_languages(
    screen, live_server, committee, town, cases_and_bonds, raids_and_coalition
):
    page = screen
    users = get_user_model().objects
    members = {**town, **cases_and_bonds, **raids_and_coalition}
    for language in ("en", "es"):
        page.context.clear_cookies()
        page.context.add_cookies(
            [{"name": "defensa_language", "value": language, "url": live_server.url}]
        )
        visit_all(page, public_pages(committee, town))
        visit_all(page, raids_and_coalition_public_pages(committee))
        signed_in = {
            "member": member_pages(town),
            "coordinator": coordinator_pages(town) + coalition_pages(raids_and_coalition),
            "legal": legal_pages(cases_and_bonds),
            "treasurer": treasurer_pages(cases_and_bonds),
            "dispatcher": dispatcher_pages(raids_and_coalition),
        }
        for who, paths in signed_in.items():
            users.filter(pk=members[who].person.user_id).update(language=language)
            sign_in_as(page, live_server, members[who].person.user)
            visit_all(page, paths)
            if is_phone(page):
                page.goto(reverse("dashboard"))
                open_menu(page)
                audit(page, "menu open")


@pytest.mark.parametrize("language", ["en", "es"])
def test_keyboard_reaches_the_navigation_and_sign_out(screen, live_server, town, language):
    page = screen
    sign_out, people, menu = LANGUAGES[language]
    get_user_model().objects.filter(pk=town["coordinator"].person.user_id).update(language=language)
    sign_in_as(page, live_server, town["coordinator"].person.user)
    page.goto(reverse("members:person_list"))
    audit(page)
    if is_phone(page):
        # A phone: the Menu button is the first stop after the brand; Enter opens it.
        keyboard_walk(page, reach=[menu])
        page.keyboard.press("Enter")
    stops = keyboard_walk(page, reach=[people, sign_out])
    names = [stop["name"] for stop in stops]
    assert names.index(people) < names.index(sign_out)
    assert "select" in [stop["tag"] for stop in stops]  # the committee switcher
    assert all(stop["inNav"] for stop in stops[names.index(people) : names.index(sign_out) + 1])
