"""The organizers' list of trainings, written in Python rather than a template loop: each
row's link, title (escaped), date in the committee's zone and the page's language,
members-only and cancelled marks, fill, waitlist and attendance; pages counted with the
cancelled trainings the list shows."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.urls import reverse
from django.utils import formats, timezone, translation

from committees.roles import Role
from lib.dates import WHEN_FORMATS, format_when
from trainings.models import RegistrationStatus

from ..factories import make_member
from .factories import consenting, make_training, seat

pytestmark = pytest.mark.django_db


def test_rows_show_link_title_date_marks_and_counts(coordinator, client_for, committee):
    open_one = make_training(committee, title_en="Rights <b>now</b>", capacity=4)
    for _ in range(3):
        seat(open_one, consenting(committee))
    make_training(committee, title_en="Members night", visibility="members")
    gone = make_training(committee, title_en="Called off")
    gone.cancelled_at = timezone.now()
    gone.save(update_fields=["cancelled_at"])
    page = client_for(coordinator).get(reverse("trainings:manage")).content.decode()
    url = reverse("trainings:detail", args=[open_one.pk])
    assert f'<a href="{url}">Rights &lt;b&gt;now&lt;/b&gt;</a>' in page
    assert format_when(open_one.starts_at, committee, "en") in page
    assert '3/4 <small class="muted">75%</small>' in page
    members_row = page[page.index("Members night") :]
    assert "· Members only" in members_row[: members_row.index("</tr>")]
    cancelled_row = page[page.index("Called off") :]
    assert "state-revoked" in cancelled_row[: cancelled_row.index("</tr>")]
    # The tabs count trainings not cancelled; the list shows all three.
    assert "Upcoming (2)" in page


def test_past_rows_show_attendance_and_spanish_dates(committee, client_for):
    eva = make_member(committee, roles=[Role.COORDINATOR], name="Eva", language="es")
    past = make_training(committee, starts_in=timedelta(days=-3), capacity=5)
    for status in (RegistrationStatus.ATTENDED, RegistrationStatus.ATTENDED):
        seat(past, consenting(committee), status=status)
    seat(past, consenting(committee), status=RegistrationStatus.NO_SHOW)
    page = client_for(eva).get(reverse("trainings:manage") + "?when=past").content.decode()
    assert "Conozca sus derechos" in page
    assert format_when(past.starts_at, committee, "es") in page
    assert '<td>2 <small class="muted">67%</small></td>' in page


def test_no_trainings_says_so(coordinator, client_for):
    page = client_for(coordinator).get(reverse("trainings:manage")).content.decode()
    assert '<td colspan="4">No trainings here.</td>' in page


def test_pages_count_the_cancelled_trainings_the_list_shows(coordinator, client_for, committee):
    for i in range(51):
        training = make_training(committee, starts_in=timedelta(days=1, hours=i))
        if i % 2:
            training.cancelled_at = timezone.now()
            training.save(update_fields=["cancelled_at"])
    client = client_for(coordinator)
    first = client.get(reverse("trainings:manage"))
    assert first.context["page"].paginator.num_pages == 2
    assert len(client.get(reverse("trainings:manage") + "?page=2").context["page"]) == 1


def test_remembered_dates_read_as_freshly_formatted_ones(committee):
    moment = datetime(2026, 3, 3, 2, 0, tzinfo=ZoneInfo("UTC"))
    for language in ("en", "es"):
        with translation.override(language):
            fresh = formats.date_format(
                timezone.localtime(moment, ZoneInfo(committee.timezone)), WHEN_FORMATS[language]
            )
        assert format_when(moment, committee, language) == fresh
        assert format_when(moment, committee, language) == fresh  # remembered
