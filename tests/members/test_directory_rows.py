"""What a directory row says: status, training, languages, roles, zones and skills, in
the coordinator's language; and the results alone for the filters' htmx requests."""

from django.test import Client
from django.urls import reverse

from committees.roles import MembershipStatus, Role
from members.models import Skill, TrainingKind, TrainingRecord

from ..factories import PersonFactory, ZoneFactory, make_member


def row_of(body: str, name: str) -> str:
    start = body.index(f">{name}</a>")
    return body[start : body.index("</li>", start)]


def test_a_row_shows_status_training_languages_roles_zones_and_skills(committee):
    coordinator = make_member(committee, roles=[Role.COORDINATOR], name="Ana Coordinator")
    spanish_coordinator = make_member(
        committee, roles=[Role.COORDINATOR], name="Eva Coordinadora", language="es"
    )
    rosa = make_member(committee, roles=[Role.RESPONDER, Role.TRAINER], name="Rosa Responde")
    rosa.person.other_languages.add("pt", "mix")
    rosa.person.zones.add(ZoneFactory(committee=committee, name="Zona 3"))
    rosa.person.zones.add(ZoneFactory(committee=committee, name="Zona 1"))
    rosa.person.skills.add(*Skill.objects.filter(slug__in=["driver", "interpreter"]))
    TrainingRecord.objects.create(
        person=rosa.person, kind=TrainingKind.KNOW_YOUR_RIGHTS, source="session"
    )
    make_member(committee, status=MembershipStatus.PROBATIONARY, name="Pablo Probation")
    PersonFactory(committee=committee, preferred_name="Carla Contact", language="en")

    def listing(membership):
        client = Client()
        client.force_login(membership.person.user)
        return client.get(reverse("members:person_list")).content.decode()

    body = listing(coordinator)
    rosa_row = row_of(body, "Rosa Responde")
    assert f'href="{reverse("members:person_detail", args=[rosa.person.pk])}"' in body
    assert 'class="badge status-vetted">Vetted<' in rosa_row and ">Trained<" in rosa_row
    assert "English, Mixtec, Portuguese · Responder · Trainer · Zona 1, Zona 3" in rosa_row
    assert "· Driver, Interpreter (spoken)" in rosa_row
    assert "Probationary" in row_of(body, "Pablo Probation")
    carla_row = row_of(body, "Carla Contact")
    assert 'class="badge">Contact<' in carla_row and "Trained" not in carla_row
    assert "5 people" in body

    cuerpo = listing(spanish_coordinator)
    rosa_fila = row_of(cuerpo, "Rosa Responde")
    assert ">Verificado<" in rosa_fila and ">Capacitado<" in rosa_fila
    assert "Inglés, Mixteco, Portugués · Respuesta rápida · Capacitación" in rosa_fila
    assert "Conductor" in rosa_fila
    assert ">Contacto<" in row_of(cuerpo, "Carla Contact")
    assert "5 personas" in cuerpo


def test_filters_get_the_results_alone_over_htmx(coordinator, client_for):
    client = client_for(coordinator)
    url = reverse("members:person_list")
    fragment = client.post(url, {"q": "ana"}, headers={"HX-Request": "true"}).content.decode()
    assert fragment.lstrip().startswith('<div id="people-results">')
    assert "Ana Coordinator" in fragment and "<html" not in fragment
    assert 'id="people-filters"' not in fragment  # the search form is already on the screen
    # Going back in the browser asks for the whole page again.
    restored = client.post(
        url, {"q": "ana"}, headers={"HX-Request": "true", "HX-History-Restore-Request": "true"}
    ).content.decode()
    assert "<html" in restored and 'id="people-results"' in restored
