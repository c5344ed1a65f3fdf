"""What erasing a person removes from legal aid (see members.erasure)."""

from members import erasure


@erasure.register
def erase_legal_aid(person) -> None:
    from .services.retention import person_forget

    person_forget(person=person)
