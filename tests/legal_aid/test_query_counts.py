"""Must show 8: the triage queue, the case list, a case page and the hearing calendar
make as many queries with 500 cases (or a case with 500 hearings and documents) as
with 10."""

from datetime import timedelta
from itertools import count

import pytest
from django.urls import reverse
from django.utils import timezone

from legal_aid.models import (
    Accompaniment,
    Case,
    DeadlineTask,
    Document,
    Hearing,
    HearingChange,
    LegalRequest,
    TeamMember,
)
from members.models import Person

from ..factories import make_case
from ..helpers import assert_constant_queries

pytestmark = pytest.mark.django_db

serial = count()
URGENCIES = ["detained", "hearing_soon", "general"]


def add_people(committee, n):
    people = []
    for _ in range(n):
        i = next(serial)
        person = Person(committee=committee, language="es")
        person.set_names(preferred_name=f"Cliente {i}")
        people.append(person)
    return Person.objects.bulk_create(people)


def add_cases(committee, n, team):
    people = add_people(committee, n)
    now = timezone.now()
    LegalRequest.objects.bulk_create(
        LegalRequest(
            committee=committee,
            person=p,
            contact=p,
            urgency=URGENCIES[i % 3],
            help_kind="find_lawyer",
            source="public",
            received_at=now - timedelta(hours=i),
        )
        for i, p in enumerate(people)
    )
    cases = Case.objects.bulk_create(
        Case(committee=committee, person=p, contact=p, urgency=URGENCIES[i % 3], a_number="1" * 9)
        for i, p in enumerate(people)
    )
    TeamMember.objects.bulk_create(TeamMember(case=c, membership=team) for c in cases)
    hearings = Hearing.objects.bulk_create(
        Hearing(
            case=c,
            kind="master",
            starts_at=now + timedelta(days=1 + i % 10, hours=i % 8),
            place="Court",
            accompaniers_needed=2,
        )
        for i, c in enumerate(cases)
    )
    volunteers = add_people(committee, 2)
    Accompaniment.objects.bulk_create(
        Accompaniment(hearing=h, person=volunteers[i % 2], status="accepted")
        for i, h in enumerate(hearings)
    )


@pytest.fixture
def lawyer_page(client_for, legal_member):
    return client_for(legal_member)


@pytest.mark.parametrize("url_name", ["legal_aid:queue", "legal_aid:cases", "legal_aid:calendar"])
def test_lists_make_constant_queries(committee, legal_member, lawyer_page, url_name):
    url = reverse(url_name)
    assert_constant_queries(
        lambda n: add_cases(committee, n, legal_member),
        lambda: lawyer_page.get(url),
        small=10,
        large=500,
    )


def test_coordinators_case_list_makes_constant_queries(
    committee, legal_member, coordinator, client_for
):
    page = client_for(coordinator)
    assert_constant_queries(
        lambda n: add_cases(committee, n, legal_member),
        lambda: page.get(reverse("legal_aid:cases")),
        small=10,
        large=500,
    )


def test_case_page_makes_constant_queries(committee, legal_member, lawyer_page):
    case = make_case(committee, team=[legal_member], a_number="012345678")
    volunteers = add_people(committee, 3)
    now = timezone.now()

    def add_rows(n):
        hearings = Hearing.objects.bulk_create(
            Hearing(case=case, kind="master", starts_at=now + timedelta(days=i), place="Court")
            for i in range(n)
        )
        HearingChange.objects.bulk_create(
            HearingChange(
                hearing=h, old_starts_at=now, new_starts_at=h.starts_at, old_place="", new_place=""
            )
            for h in hearings
        )
        Accompaniment.objects.bulk_create(
            Accompaniment(hearing=h, person=volunteers[i % 3], status="accepted")
            for i, h in enumerate(hearings)
        )
        DeadlineTask.objects.bulk_create(
            DeadlineTask(case=case, hearing=h, kind="filing_master", due_on=now.date())
            for h in hearings
        )
        Document.objects.bulk_create(
            Document(
                case=case, filename="f.pdf", content_type="application/pdf", size=1, content="eA=="
            )
            for _ in range(n)
        )
        add_cases(committee, n, legal_member)

    assert_constant_queries(
        add_rows, lambda: lawyer_page.get(reverse("legal_aid:case", args=[case.pk])), large=500
    )


def test_request_page_reports_and_panel_make_constant_queries(committee, legal_member, lawyer_page):
    request = LegalRequest.objects.create(
        committee=committee, urgency="general", help_kind="other", source="public"
    )
    for url in (
        reverse("legal_aid:request", args=[request.pk]),
        reverse("legal_aid:reports"),
        reverse("dashboard"),
    ):
        assert_constant_queries(
            lambda n: add_cases(committee, n, legal_member),
            lambda url=url: lawyer_page.get(url),
            large=300,
        )
        # Each page starts again from 10 rows.
        LegalRequest.objects.exclude(pk=request.pk).delete()
        Case.objects.all().delete()


def test_my_accompaniments_makes_constant_queries(committee, legal_member, client_for):
    from ..factories import make_accompanier

    volunteer = make_accompanier(committee)
    page = client_for(volunteer)

    def add_rows(n):
        add_cases(committee, n, legal_member)
        Accompaniment.objects.bulk_create(
            Accompaniment(hearing=h, person=volunteer.person, status="accepted")
            for h in Hearing.objects.exclude(accompaniments__person=volunteer.person)
        )

    assert_constant_queries(
        add_rows, lambda: page.get(reverse("legal_aid:my_accompaniments")), large=300
    )
