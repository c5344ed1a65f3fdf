"""What erasing a person removes from the coalition part (see members.erasure).

Partners' contact people are not in the people directory and are not touched; a
person's presence at meetings and their volunteer offers are.
"""

from members import erasure


@erasure.register
def erase_coalition_links(person) -> None:
    from .models import VolunteerInterest

    person.coalition_meetings.clear()
    VolunteerInterest.objects.filter(person=person).delete()
