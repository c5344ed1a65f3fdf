"""Impact litigation: key dates remind each committee member of the team once per due
date, in their language, through the outbox (a partner attorney without an account is
not texted); a status change is dated and kept; a filed matter needs its case number;
documents are stored encrypted; patterns hide small counts."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection

from committees.roles import Role
from legal_aid import services
from legal_aid.litigation import patterns
from legal_aid.models import KeyDate, MatterStatusChange, MatterTeamMember
from notifications.backends import locmem
from notifications.models import Message

from ..factories import ZoneFactory, grant_consent, make_incident, make_matter, make_member

pytestmark = pytest.mark.django_db


def test_key_date_reminds_each_team_member_once_in_their_language(
    open_committee, legal_member, django_capture_on_commit_callbacks
):
    english = make_member(open_committee, roles=[Role.LEGAL], name="Eva Counsel", language="en")
    for member in (legal_member, english):
        grant_consent(member.person, channels=("sms",))
    matter = make_matter(open_committee, team=[legal_member, english], public_name="Jail holds")
    MatterTeamMember.objects.create(matter=matter, partner_id=1, name="Outside Attorney")
    today = date(2026, 9, 1)
    KeyDate.objects.create(
        matter=matter, kind="response", due_on=today + timedelta(days=7), remind_days_before=7
    )
    KeyDate.objects.create(matter=matter, kind="filing", due_on=today + timedelta(days=30))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.key_date_reminders_send(today=today) == 2
        assert services.key_date_reminders_send(today=today) == 0
    bodies = {sms.to: sms.body for sms in locmem.outbox}
    assert "Response due" in bodies[str(english.person.phone)]
    assert "Vence la respuesta" in bodies[str(legal_member.person.phone)]
    assert all("Jail holds" in b and "Arrests" not in b for b in bodies.values())
    assert Message.objects.count() == 2
    # The date moves later: the team is reminded again, for the new date.
    KeyDate.objects.filter(kind="response").update(due_on=today + timedelta(days=5))
    with django_capture_on_commit_callbacks(execute=True):
        assert services.key_date_reminders_send(today=today) == 2


def test_status_changes_are_kept_and_filing_needs_the_case_number(
    committee, legal_member, viewer_of
):
    matter = make_matter(committee, team=[legal_member])
    actor = viewer_of(legal_member)
    services.matter_update(actor=actor, matter=matter, status="drafting")
    with pytest.raises(ValidationError):
        services.matter_update(actor=actor, matter=matter, status="filed")
    services.matter_update(actor=actor, matter=matter, status="filed", case_number="2:26-cv-1")
    changes = list(
        MatterStatusChange.objects.order_by("id").values_list("old_status", "new_status")
    )
    assert changes == [("investigating", "drafting"), ("drafting", "filed")]


def test_documents_are_stored_encrypted(committee, legal_member, viewer_of):
    matter = make_matter(committee, team=[legal_member])
    raw = b"%PDF-1.4 complaint about warrantless entries"
    services.matter_document_upload(
        actor=viewer_of(legal_member),
        matter=matter,
        kind="complaint",
        upload=SimpleUploadedFile("complaint.pdf", raw),
    )
    with connection.cursor() as cursor:
        cursor.execute("SELECT content, filename FROM legal_aid_matterdocument")
        content, filename = cursor.fetchone()
    assert b"warrantless" not in content.encode() and "complaint" not in filename


def test_patterns_count_by_zone_agency_and_conduct_and_hide_small_counts(committee, coordinator):
    zone = ZoneFactory(committee=committee, name="Pico-Union")
    for _ in range(4):
        make_incident(committee, zone=zone, agencies=["ice", "police"], warrant="none")
    make_incident(committee, zone=ZoneFactory(committee=committee, name="Lone"), warrant="judicial")
    zones, agencies, conduct = patterns.patterns(committee=committee)
    lines = {label: total for label, _counts, total in zones.lines()}
    assert lines == {"Pico-Union": "4", "Lone": "<3"}
    assert {label: total for label, _c, total in agencies.lines()} == {
        "ICE": "5",
        "Local police or sheriff": "4",
    }
    conduct_totals = {label: total for label, _c, total in conduct.lines()}
    assert conduct_totals == {
        "Local police there with ICE or CBP": "4",
        "No judicial warrant shown": "4",
    }
