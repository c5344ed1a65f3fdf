"""What erasing a person removes from the trainings part (see members.erasure)."""

from members import erasure


@erasure.register
def erase_registrations(person) -> None:
    # Registrations carry trainers' notes and who attended what. The training record
    # on the person (what qualifies them) is erased by the members part itself.
    from .models import Registration

    Registration.objects.filter(person=person).delete()
    person.trainings_led.clear()
