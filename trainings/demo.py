"""Demo trainings: public and members-only, one full with a waitlist, some past with
attendance. Written directly: no messages are sent while seeding."""

from datetime import datetime, time, timedelta
from zoneinfo import ZoneInfo

from django.utils import timezone

from committees import demo
from committees.roles import MembershipStatus
from members.models import Person

from .models import Registration, Training


@demo.register(order=30)
def seed_trainings(committee, *, stdout) -> None:
    """A few trainings: public and members-only, one full with a waitlist, some past
    with attendance. Written directly (no messages are sent while seeding)."""
    if Training.objects.filter(committee=committee).exists():
        return
    zone = ZoneInfo(committee.timezone)
    today = timezone.localtime(timezone.now(), zone).date()

    def at(days, hour):
        return datetime.combine(today + timedelta(days=days), time(hour), tzinfo=zone)

    people = list(
        Person.objects.filter(
            committee=committee, membership__status=MembershipStatus.VETTED
        ).order_by("id")
    )
    trainer = Person.objects.get(committee=committee, preferred_name="Elena")
    plans = [
        # (kind, english, spanish, days from today, hour, seats, visibility, taken, waiting)
        (
            "know_your_rights",
            "Know Your Rights",
            "Conozca sus derechos",
            3,
            18,
            20,
            "public",
            6,
            0,
        ),
        (
            "know_your_rights",
            "Know Your Rights (full)",
            "Conozca sus derechos (llena)",
            5,
            10,
            4,
            "public",
            4,
            3,
        ),
        (
            "rapid_responder",
            "Rapid responder training",
            "Capacitación de respuesta rápida",
            9,
            18,
            15,
            "members",
            5,
            0,
        ),
        (
            "court_accompaniment",
            "Court accompaniment",
            "Acompañamiento en la corte",
            12,
            17,
            10,
            "members",
            2,
            0,
        ),
        (
            "know_your_rights",
            "Know Your Rights",
            "Conozca sus derechos",
            -14,
            18,
            20,
            "public",
            8,
            0,
        ),
        (
            "legal_observer",
            "Legal observer training",
            "Capacitación de observador legal",
            -30,
            10,
            12,
            "members",
            6,
            0,
        ),
    ]
    for kind, english, spanish, days, hour, seats, visibility, taken, waiting in plans:
        starts_at = at(days, hour)
        training = Training.objects.create(
            committee=committee,
            kind=kind,
            title_en=english,
            title_es=spanish,
            description_en="What to do if immigration agents come to your door, your work "
            "or your car, and how we support each other.",
            description_es="Qué hacer si agentes de inmigración llegan a su puerta, a su "
            "trabajo o a su carro, y cómo nos apoyamos.",
            language="es",
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=2),
            place_name="Iglesia Nuestra Señora (salón parroquial)",
            address="1200 E 1st St",
            capacity=seats,
            visibility=visibility,
            waitlist_counter=waiting,
        )
        training.trainers.set([trainer])
        past = days < 0
        for index, person in enumerate(people[days % 7 : days % 7 + taken + waiting]):
            if index < taken:
                status = ("attended" if index % 4 else "no_show") if past else "registered"
                position = None
            else:
                status, position = "waitlisted", index - taken + 1
            Registration.objects.create(
                training=training,
                person=person,
                status=status,
                source="member",
                waitlist_position=position,
                registered_at=None if position else starts_at - timedelta(days=7),
                attended_at=starts_at if status == "attended" else None,
            )
