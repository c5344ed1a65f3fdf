"""The hand-offs between the feature apps, end to end, with nothing replaced at the seams.

Each app's own tests replace the other apps at its boundary module
(`rapid_response.handoff`, `bond_fund.cases`); here the real services and selectors run:
a detained person from a rapid-response incident becomes a "detained now" legal-aid
request the legal team triages; a legal case becomes a bond request that shows the case's
first name and its hearings; and the incident's "ask the bond fund" opens that bond."""

from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone, translation

from bond_fund import services as bond_services
from bond_fund.models import BondRequest, BondStatus
from legal_aid import selectors as legal_selectors
from legal_aid import services as legal_services
from legal_aid.models import Case, HearingStatus, LegalRequest, RequestSource, Urgency
from rapid_response import services as rr_services
from rapid_response.models import Handoff, IncidentStatus, LogEntry

from .factories import fund_money_in, make_case, make_hearing, make_legal_request
from .rapid_response.conftest import open_committee, zone3  # noqa: F401
from .rapid_response.helpers import confirmed_incident

pytestmark = pytest.mark.django_db

A_NUMBER = "012345678"


def handed_off(client, incident, **data):
    """POST the incident page's "someone was detained and wants help" form."""
    data = {"language": "es", **data}
    return client.post(reverse("rapid_response:handoff", args=[incident.pk]), data)


def legal_case(committee, lawyer_viewer, lawyer, *, name="Rosa Martínez"):
    """A request accepted into a case by the legal team, through legal aid's services,
    with an A-number and a detention facility (neither may reach the bond fund)."""
    request = make_legal_request(committee, name=name, urgency="detained")
    case = legal_services.request_accept(actor=lawyer_viewer, request=request, team=[lawyer.pk])
    return legal_services.case_update(
        actor=lawyer_viewer, case=case, a_number=A_NUMBER, detention_facility="Adelanto"
    )


def hearings_section(page: str) -> str:
    start = page.index('id="hearings-heading"')
    return page[start : page.index("</section>", start)]


def pdf(name):
    return SimpleUploadedFile(name, b"%PDF-1.4 form", content_type="application/pdf")


@pytest.fixture
def incident(open_committee, zone3, dispatcher, viewer_of):  # noqa: F811
    """A confirmed rapid-response incident."""
    incident = confirmed_incident(open_committee, zone3, viewer_of(dispatcher))
    assert incident.status == IncidentStatus.CONFIRMED
    return incident


@pytest.mark.parametrize("who", ["dispatcher", "coordinator"])
def test_detained_hand_off_opens_a_detained_now_request_the_legal_team_triages(
    request, who, incident, committee, legal_member, client_for
):
    staff = request.getfixturevalue(who)
    response = handed_off(
        client_for(staff), incident, name="Lucía Gómez", phone="213 555 0160", note="Her brother"
    )
    assert response.status_code == 302

    legal_request = LegalRequest.objects.get()
    assert legal_request.committee_id == committee.pk
    assert legal_request.urgency == "detained"
    assert legal_request.get_urgency_display() == "Detained now"
    assert legal_request.source == "rapid_response"
    assert legal_request.incident_id == incident.pk
    assert legal_request.status == "new"
    assert legal_request.contact.preferred_name == "Lucía Gómez"
    assert legal_request.note == "Her brother"
    # Rapid response keeps only the other part's id, nothing about the person.
    record = Handoff.objects.get(incident=incident)
    assert record.legal_request_id == legal_request.pk and record.bond_request_id is None
    assert record.created_by == staff
    assert "Lucía" not in str(list(Handoff.objects.values_list()))
    assert incident.log.filter(kind=LogEntry.Kind.HANDOFF).count() == 1

    # The legal team's triage queue shows it, detained first, with a link to the request.
    lawyer = client_for(legal_member)  # who reads the pages in Spanish
    queue = lawyer.get(reverse("legal_aid:queue"))
    assert queue.status_code == 200
    html = queue.content.decode()
    request_url = reverse("legal_aid:request", args=[legal_request.pk])
    assert f'href="{request_url}"' in html
    link = html.index(f'href="{request_url}"')
    row = html[html.rindex("<tr>", 0, link) : html.index("</tr>", link)]
    with translation.override("es"):
        assert str(RequestSource.RAPID_RESPONSE.label) in row
        assert str(Urgency.DETAINED.label) in row and "urgency-detained" in row
    page = lawyer.get(request_url)
    assert page.status_code == 200 and "Lucía" in page.content.decode()

    # The incident page links the legal team to the request.
    incident_page = lawyer.get(reverse("rapid_response:incident", args=[incident.pk]))
    assert incident_page.status_code == 200
    assert f'href="{request_url}"' in incident_page.content.decode()


def test_handing_off_twice_for_an_incident_keeps_one_request(
    incident, dispatcher, legal_member, client_for, viewer_of
):
    client = client_for(dispatcher)
    handed_off(client, incident, name="Lucía")
    handed_off(client, incident, name="Lucía")
    assert LegalRequest.objects.count() == 1
    legal_request = LegalRequest.objects.get()
    assert set(Handoff.objects.values_list("legal_request_id", flat=True)) == {legal_request.pk}
    queue = legal_selectors.triage_queue(viewer=viewer_of(legal_member))
    assert [r.pk for r in queue] == [legal_request.pk]


def test_detained_request_comes_before_older_general_requests_in_the_queue(
    incident, committee, dispatcher, legal_member, client_for
):
    older = make_legal_request(committee, name="Pedro Ruiz")
    LegalRequest.objects.filter(pk=older.pk).update(received_at=timezone.now() - timedelta(days=3))
    handed_off(client_for(dispatcher), incident)
    detained = LegalRequest.objects.get(incident_id=incident.pk)
    html = client_for(legal_member).get(reverse("legal_aid:queue")).content.decode()
    first = html.index(reverse("legal_aid:request", args=[detained.pk]))
    second = html.index(reverse("legal_aid:request", args=[older.pk]))
    assert first < second


def test_responders_and_other_committees_never_reach_the_hand_off(
    incident, dispatcher, vetted_member, outsider, client_for
):
    handed_off(client_for(dispatcher), incident, name="Lucía")
    legal_request = LegalRequest.objects.get()
    request_url = reverse("legal_aid:request", args=[legal_request.pk])

    # The legal request is need-to-know: a 404. The incident's pages are refused by the
    # role gate (committees.access.requires answers 403, without saying more).
    responder = client_for(vetted_member)
    page = responder.get(request_url)
    assert page.status_code == 404 and "Lucía" not in page.content.decode()
    assert handed_off(responder, incident, name="Someone").status_code == 403
    incident_page = responder.get(reverse("rapid_response:incident", args=[incident.pk]))
    assert incident_page.status_code == 403
    assert request_url not in incident_page.content.decode()

    stranger = client_for(outsider)
    assert stranger.get(request_url).status_code == 404
    assert handed_off(stranger, incident, name="Someone").status_code == 404

    assert LegalRequest.objects.count() == 1 and Handoff.objects.count() == 1


@pytest.mark.parametrize("who", ["legal_member", "treasurer"])
def test_bond_request_reads_the_real_case_summary(
    request, who, committee, legal_member, viewer_of, client_for
):
    lawyer = viewer_of(legal_member)
    case = legal_case(committee, lawyer, legal_member)
    hearing = legal_services.hearing_create(
        actor=lawyer,
        case=case,
        kind="bond",
        starts_at=timezone.now() + timedelta(days=9),
        place="Adelanto Immigration Court",
        accompaniers_needed=2,
        accompaniment_language="es",
    )
    requester = request.getfixturevalue(who)

    bond = bond_services.bond_request_open(
        actor=viewer_of(requester), case_id=case.pk, amount_cents=5_000_00
    )

    bond.refresh_from_db()
    assert bond.committee_id == committee.pk and bond.status == BondStatus.REQUESTED
    assert bond.case_id == case.pk and bond.person_id == case.person_id
    assert bond.first_name == "Rosa"
    assert bond.next_hearing_at == hearing.starts_at
    assert bond.requested_by == requester and bond.source == "legal_aid"
    stored = " ".join(str(v) for v in BondRequest.objects.values_list().get(pk=bond.pk))
    assert "Martínez" not in stored and A_NUMBER not in stored and "Adelanto" not in stored

    page = client_for(requester).get(reverse("bond_fund:bond_detail", args=[bond.pk]))
    assert page.status_code == 200
    html = page.content.decode()
    assert "Rosa" in html
    assert "Martínez" not in html and A_NUMBER not in html


def test_the_cases_hearings_reach_the_bond_page(
    committee, legal_member, treasurer, viewer_of, client_for
):
    lawyer = viewer_of(legal_member)
    case = legal_case(committee, lawyer, legal_member)
    missed = make_hearing(case, starts_in=-timedelta(days=5), kind="master")
    legal_services.hearing_record_outcome(actor=lawyer, hearing=missed, status=HearingStatus.MISSED)
    upcoming = make_hearing(case, starts_in=timedelta(days=20), kind="individual")
    other_case = make_case(committee, team=[legal_member], name="Luis Pérez")
    make_hearing(other_case, kind="check_in")
    bond = bond_services.bond_request_open(actor=viewer_of(treasurer), case_id=case.pk)
    assert bond.next_hearing_at == upcoming.starts_at

    html = client_for(treasurer).get(reverse("bond_fund:bond_detail", args=[bond.pk]))
    html = html.content.decode()
    section = hearings_section(html)
    assert section.count("<li>") == 2
    assert "No hearings recorded." not in section
    assert "individual" in section and "master" in section and "check_in" not in section
    assert "A hearing was missed: risk of breach" in html


def test_a_missed_hearing_of_a_posted_bond_becomes_a_deadline(
    committee, legal_member, treasurer, viewer_of
):
    lawyer, actor = viewer_of(legal_member), viewer_of(treasurer)
    case = legal_case(committee, lawyer, legal_member)
    hearing = make_hearing(case, starts_in=timedelta(days=9))
    fund_money_in(actor, committee, 10_000_00, key="in")
    bond = bond_services.bond_request_open(actor=actor, case_id=case.pk, amount_cents=1_500_00)
    bond = bond_services.bond_update(
        actor=actor, bond=bond, obligor_name="Casa Libre", obligor_kind="organization"
    )
    bond = bond_services.bond_approve(actor=actor, bond=bond)
    bond_services.disbursement_request(actor=actor, bond=bond, idempotency_key="d")
    receipt = bond_services.document_add(actor=actor, bond=bond, kind="i305", upload=pdf("r.pdf"))
    bond = bond_services.bond_mark_posted(actor=actor, bond=bond, document=receipt)
    assert bond_services.refunds.missed_hearings_mark(committee=committee) == 0

    legal_services.hearing_record_outcome(
        actor=lawyer, hearing=hearing, status=HearingStatus.MISSED
    )

    assert bond_services.refunds.missed_hearings_mark(committee=committee) == 1
    bond.refresh_from_db()
    assert bond.deadline_on == timezone.localdate(hearing.starts_at + timedelta(days=30))
    assert "Missed hearing" in bond.deadline_reason


def test_the_bond_form_offers_the_legal_teams_cases_and_opens_the_bond(
    committee, other_committee, legal_member, viewer_of, client_for
):
    case = legal_case(committee, viewer_of(legal_member), legal_member)
    make_case(other_committee, name="Otra Persona")
    client = client_for(legal_member)
    form = client.get(reverse("bond_fund:bond_create")).content.decode()
    assert f"#{case.pk} · Rosa" in form
    assert "Martínez" not in form and A_NUMBER not in form and "Otra" not in form

    response = client.post(
        reverse("bond_fund:bond_create"),
        {"case_id": str(case.pk), "bond_type": "delivery", "amount": "2500.00", "note": ""},
    )
    bond = BondRequest.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse("bond_fund:bond_detail", args=[bond.pk])
    assert (bond.case_id, bond.first_name, bond.amount_cents) == (case.pk, "Rosa", 2_500_00)
    assert bond.source == "bond_fund"


def test_a_case_of_another_committee_is_refused(
    committee, other_committee, legal_member, treasurer, outsider, viewer_of
):
    elsewhere = make_case(other_committee, name="Otra Persona")
    for requester in (legal_member, treasurer):
        with pytest.raises(ValidationError) as refused:
            bond_services.bond_request_open(
                actor=viewer_of(requester), case_id=elsewhere.pk, amount_cents=2_000_00
            )
        assert refused.value.error_list[0].code == "no_case"
    ours = legal_case(committee, viewer_of(legal_member), legal_member)
    with pytest.raises(ValidationError):
        bond_services.bond_request_open(
            actor=viewer_of(outsider), case_id=ours.pk, amount_cents=2_000_00
        )
    assert not BondRequest.objects.exists()


def test_a_purged_case_cannot_be_bonded(committee, legal_member, treasurer, viewer_of):
    case = legal_case(committee, viewer_of(legal_member), legal_member)
    Case.objects.filter(pk=case.pk).update(purged_at=timezone.now())
    with pytest.raises(ValidationError):
        bond_services.bond_request_open(
            actor=viewer_of(treasurer), case_id=case.pk, amount_cents=2_000_00
        )
    assert not BondRequest.objects.exists()


def detained_case(incident, dispatcher, legal_member, client_for, viewer_of):
    """The dispatcher hands the person off; the legal team accepts the request as a case."""
    handed_off(client_for(dispatcher), incident, name="Lucía", phone="213 555 0160")
    record = Handoff.objects.get(incident=incident)
    legal_request = LegalRequest.objects.get(pk=record.legal_request_id)
    case = legal_services.request_accept(
        actor=viewer_of(legal_member), request=legal_request, team=[legal_member.pk]
    )
    return record, case


def test_legal_team_asks_the_bond_fund_from_the_incident(
    incident, dispatcher, legal_member, treasurer, client_for, viewer_of
):
    record, case = detained_case(incident, dispatcher, legal_member, client_for, viewer_of)
    hearing = make_hearing(case, kind="bond", starts_in=timedelta(days=4))
    lawyer = client_for(legal_member)
    incident_url = reverse("rapid_response:incident", args=[incident.pk])
    # The real list of the legal team's cases is offered on the incident page.
    assert f'value="{case.pk}"' in lawyer.get(incident_url).content.decode()

    response = lawyer.post(
        reverse("rapid_response:handoff_bond", args=[incident.pk, record.pk]),
        {"case": str(case.pk), "amount": "1500", "note": "Family can co-sign"},
    )

    assert response.status_code == 302
    bond = BondRequest.objects.get()
    assert bond.committee_id == incident.committee_id and bond.case_id == case.pk
    assert bond.source == "rapid_response" and bond.status == BondStatus.REQUESTED
    assert bond.amount_cents == 1_500_00 and bond.note == "Family can co-sign"
    assert bond.requested_by == legal_member
    assert bond.next_hearing_at == hearing.starts_at
    record.refresh_from_db()
    assert record.bond_request_id == bond.pk and record.bond_requested_at is not None
    assert incident.log.filter(kind=LogEntry.Kind.HANDOFF).count() == 2
    # The incident page links to both parts' pages; the treasurers see the bond.
    page = lawyer.get(incident_url).content.decode()
    assert f'href="{reverse("legal_aid:request", args=[record.legal_request_id])}"' in page
    bond_url = reverse("bond_fund:bond_detail", args=[bond.pk])
    assert f'href="{bond_url}"' in page
    assert client_for(treasurer).get(bond_url).status_code == 200


def test_coordinator_asks_the_bond_fund_through_the_service(
    incident, dispatcher, legal_member, coordinator, client_for, viewer_of
):
    record, case = detained_case(incident, dispatcher, legal_member, client_for, viewer_of)
    rr_services.bond_handoff(
        actor=viewer_of(coordinator), record=record, case_id=case.pk, amount_cents=2_000_00
    )
    bond = BondRequest.objects.get()
    assert bond.case_id == case.pk and bond.source == "rapid_response"
    assert bond.requested_by == coordinator
    record.refresh_from_db()
    assert record.bond_request_id == bond.pk
    with pytest.raises(ValidationError):
        rr_services.bond_handoff(
            actor=viewer_of(coordinator), record=record, case_id=case.pk, amount_cents=2_000_00
        )
    assert BondRequest.objects.count() == 1


def test_dispatchers_and_responders_cannot_ask_the_bond_fund(
    incident, dispatcher, vetted_member, legal_member, client_for, viewer_of
):
    record, case = detained_case(incident, dispatcher, legal_member, client_for, viewer_of)
    url = reverse("rapid_response:handoff_bond", args=[incident.pk, record.pk])
    for member in (dispatcher, vetted_member):
        response = client_for(member).post(url, {"case": str(case.pk), "amount": "1500"})
        assert response.status_code == 403  # the role gate (committees.access.requires)
    assert not BondRequest.objects.exists()
    record.refresh_from_db()
    assert record.bond_request_id is None


def test_bond_hand_off_for_another_committees_case_saves_nothing(
    incident, dispatcher, legal_member, other_committee, client_for, viewer_of
):
    record, _case = detained_case(incident, dispatcher, legal_member, client_for, viewer_of)
    elsewhere = make_case(other_committee, name="Otra Persona")
    with pytest.raises(ValidationError):
        rr_services.bond_handoff(actor=viewer_of(legal_member), record=record, case_id=elsewhere.pk)
    # Through the page: the other committee's case is not among the choices.
    response = client_for(legal_member).post(
        reverse("rapid_response:handoff_bond", args=[incident.pk, record.pk]),
        {"case": str(elsewhere.pk), "amount": "1500"},
    )
    assert response.status_code == 302
    assert not BondRequest.objects.exists()
    record.refresh_from_db()
    assert record.bond_request_id is None and record.bond_requested_at is None
    assert incident.log.filter(kind=LogEntry.Kind.HANDOFF).count() == 1
