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


# Far enough ahead for the day-before reminder (sent 24 to 3 hours before the start).
TOMORROW_LEAD = timedelta(hours=20)


@demo.register(order=31)
def seed_training_tomorrow(committee, *, stdout) -> None:
    """A training within the next day, with people who agreed to reminders: under
    `make run` the in-process sweeps print its day-before reminder on the console a few
    seconds after the server starts. Added only when no such training is coming up, so
    seeding twice in a row changes nothing."""
    now = timezone.now()
    upcoming = Training.objects.filter(
        committee=committee,
        cancelled_at__isnull=True,
        starts_at__gt=now + timedelta(hours=4),
        starts_at__lte=now + timedelta(hours=24),
    )
    if upcoming.exists():
        return
    from members.consent import Consent, Purpose

    starts_at = (now + TOMORROW_LEAD).replace(minute=0, second=0, microsecond=0)
    training = Training.objects.create(
        committee=committee,
        kind="know_your_rights",
        title_en="Know Your Rights (tomorrow)",
        title_es="Conozca sus derechos (mañana)",
        description_en="A short session: your rights at home, at work and in the street.",
        description_es="Una sesión corta: sus derechos en casa, en el trabajo y en la calle.",
        language="es",
        starts_at=starts_at,
        ends_at=starts_at + timedelta(hours=2),
        place_name="Biblioteca Benjamin Franklin",
        address="2200 E 1st St",
        capacity=20,
        visibility="public",
    )
    training.trainers.set(Person.objects.filter(committee=committee, preferred_name="Elena"))
    reminded = Person.objects.filter(
        committee=committee,
        pk__in=Consent.objects.filter(purpose=Purpose.REMINDERS, granted=True).values("person_id"),
    ).order_by("id")[:3]
    for person in reminded:
        Registration.objects.create(
            training=training,
            person=person,
            status="registered",
            source="member",
            registered_at=now - timedelta(days=2),
        )
    stdout.write(
        f"A training starts at {timezone.localtime(starts_at):%H:%M} tomorrow: "
        "its day-before reminders print below within a few seconds."
    )
