"""Demo data, the reports page (numbers only), the dashboard panel and the settings."""

from io import StringIO

import pytest
from django.urls import reverse

from committees import demo
from committees.access import load_viewer
from legal_aid.models import Case, Hearing, LegalAidSettings, LegalRequest
from legal_aid.panels import legal_panel

from ..factories import make_accompanier, make_case, make_hearing

pytestmark = pytest.mark.django_db


def test_demo_data_is_idempotent_and_covers_every_state(committee, legal_member):
    for _ in range(3):
        make_accompanier(committee)
    from legal_aid.demo import seed_legal_aid

    assert seed_legal_aid in demo.contributors()
    seed_legal_aid(committee, stdout=StringIO())
    counts = (Case.objects.count(), Hearing.objects.count(), LegalRequest.objects.count())
    seed_legal_aid(committee, stdout=StringIO())
    assert (Case.objects.count(), Hearing.objects.count(), LegalRequest.objects.count()) == counts
    assert counts[0] == 12
    assert set(Case.objects.values_list("status", flat=True)) == {
        "seeking",
        "represented",
        "referred",
        "closed",
    }
    assert LegalRequest.objects.filter(status="new").count() == 3


def test_reports_show_numbers_and_no_names(committee, coordinator, legal_member, client_for):
    case = make_case(committee, team=[legal_member], name="Rosa Martínez", urgency="detained")
    make_hearing(case, starts_in=None)
    page = client_for(coordinator).get(reverse("legal_aid:reports"))
    assert page.status_code == 200
    html = page.content.decode()
    assert "<svg" in html and "<table" in html
    assert "Rosa" not in html


def test_panel_counts_for_the_legal_team_only(committee, legal_member, vetted_member):
    make_case(committee, team=[legal_member])
    panel = legal_panel(load_viewer(legal_member.person.user))
    assert panel.context["mine"] == 1
    assert legal_panel(load_viewer(vetted_member.person.user)) is None


def test_retention_setting(committee, coordinator, client_for):
    client = client_for(coordinator)
    url = reverse("legal_aid:settings")
    assert client.post(url, {"retention_days": "5", "team_phone": ""}).status_code == 400
    assert (
        client.post(url, {"retention_days": "90", "team_phone": "+1 213 555 0199"}).status_code
        == 302
    )
    assert LegalAidSettings.objects.get(committee=committee).retention_days == 90
