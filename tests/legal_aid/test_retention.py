"""Must show 7: closed cases lose their contents and documents after the committee's
retention period (default a year), idempotently, keeping what the reports count; erasing
a person follows the same path."""

from datetime import timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from committees.access import load_viewer
from legal_aid import reports, services
from legal_aid.models import Accompaniment, Case, CourtWatchReport, Document, LegalAidSettings
from members import erasure

from ..factories import make_case, make_hearing

pytestmark = pytest.mark.django_db

PDF = b"%PDF-1.4\n% a notice to appear\n"


def closed_case(committee, legal_member, accompanier, *, days_ago, **fields):
    case = make_case(
        committee,
        team=[legal_member],
        a_number="012345678",
        detention_facility="Adelanto",
        notes="private",
        **fields,
    )
    services.document_upload(
        actor=load_viewer(legal_member.person.user),
        case=case,
        upload=SimpleUploadedFile("nta.pdf", PDF, content_type="application/pdf"),
    )
    hearing = make_hearing(case, outcome="relief_granted", status="held", judge="Judge X")
    Accompaniment.objects.create(hearing=hearing, person=accompanier.person, status="accepted")
    CourtWatchReport.objects.create(hearing=hearing, result="held", notes="saw it")
    Case.objects.filter(pk=case.pk).update(
        status="closed", closed_at=timezone.now() - timedelta(days=days_ago)
    )
    return case


def test_purge_removes_contents_and_documents_once(committee, legal_member, accompanier):
    old = closed_case(committee, legal_member, accompanier, days_ago=400)
    recent = closed_case(committee, legal_member, accompanier, days_ago=100)
    open_case = make_case(committee, a_number="987654321")

    assert services.cases_purge() == 1
    assert services.cases_purge() == 0  # idempotent

    old.refresh_from_db()
    assert (old.a_number, old.detention_facility, old.notes, old.person_id) == (
        None,
        None,
        None,
        None,
    )
    assert old.purged_at is not None
    assert not Document.objects.filter(case=old).exists()
    assert not Accompaniment.objects.filter(hearing__case=old).exists()
    assert CourtWatchReport.objects.get(hearing__case=old).notes is None
    hearing = old.hearings.get()
    assert (hearing.judge, hearing.place, hearing.outcome) == ("", "", "relief_granted")
    recent.refresh_from_db()
    assert recent.a_number == "012345678" and Document.objects.filter(case=recent).exists()
    open_case.refresh_from_db()
    assert open_case.a_number == "987654321"
    # Counts for the reports remain.
    numbers = reports.outcomes_by_month(committee, now=timezone.now() + timedelta(days=30))
    assert sum(n for row in numbers for _label, n in row["counts"]) == 2


def test_committee_sets_its_retention_period(committee, legal_member, accompanier):
    LegalAidSettings.objects.create(committee=committee, retention_days=60)
    closed_case(committee, legal_member, accompanier, days_ago=100)
    assert services.cases_purge() == 1


def test_erasing_the_client_purges_their_case(committee, legal_member, accompanier, coordinator):
    case = closed_case(committee, legal_member, accompanier, days_ago=1)
    Case.objects.filter(pk=case.pk).update(status="represented", closed_at=None)
    erasure.run_hooks(case.person)
    case.refresh_from_db()
    assert case.a_number is None and case.person_id is None
    assert not Document.objects.filter(case=case).exists()


def test_erasing_an_accompanier_removes_their_signups(committee, legal_member, accompanier):
    case = closed_case(committee, legal_member, accompanier, days_ago=1)
    erasure.run_hooks(accompanier.person)
    assert not Accompaniment.objects.filter(person=accompanier.person).exists()
    assert Case.objects.get(pk=case.pk).a_number == "012345678"
