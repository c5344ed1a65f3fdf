"""The directory's rows are written in Python (members.templatetags.people): names are
escaped, labels translated, contact cells only for those allowed, and an empty result
says so on a phone and on a laptop."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from committees.roles import Role
from members.audit import AuditEvent
from members.models import TrainingRecord

from ..factories import PersonFactory, make_member

URL = reverse("members:person_list")


def test_rows_escape_names_and_show_contact_only_when_allowed(coordinator, client_for, committee):
    sly = PersonFactory(committee=committee, preferred_name='Zed <script>"x"</script>')
    sly.set_contact(phone="+12135550199", email="zed@example.org")
    sly.save()
    TrainingRecord.objects.create(person=sly, kind="know_your_rights")
    body = client_for(coordinator).post(URL, {"q": "zed"}).content.decode()
    assert "<script>" not in body
    escaped = "Zed &lt;script&gt;&quot;x&quot;&lt;/script&gt;"
    url = reverse("members:person_detail", args=[sly.pk])
    assert f'<a href="{url}" class="person-name">{escaped}</a>' in body
    assert f'aria-label="Tick {escaped}"' in body
    assert '<span class="badge ok">Trained</span>' in body  # on both layouts
    assert 'href="tel:+12135550199"' in body and "zed@example.org" in body
    assert '<span class="badge">Contact</span>' in body  # no membership
    # The view was recorded (one INSERT for the page): who, whom, where, when, what.
    event = AuditEvent.objects.get(person=sly, kind=AuditEvent.Kind.VIEWED_CONTACT)
    assert event.actor_id == coordinator.person.pk and event.committee_id == committee.pk
    assert event.details == {} and event.row_count is None and event.target_type is None
    assert timezone.now() - event.at < timedelta(minutes=1)


def test_rows_in_spanish_and_an_empty_result(committee, client_for):
    eva = make_member(committee, roles=[Role.COORDINATOR], name="Eva Coordinadora", language="es")
    client = client_for(eva)
    body = client.post(URL, {"q": "Eva"}).content.decode()
    assert 'aria-label="Marcar a Eva Coordinadora"' in body
    empty = client.post(URL, {"q": "nadie-se-llama-asi"}).content.decode()
    assert "<li>Nadie coincide.</li>" in empty
    assert '<tr><td colspan="8">Nadie coincide.</td></tr>' in empty
