"""Confirm before the irreversible.

A view whose action cannot be undone (suspending someone, erasing a record, cancelling
a training that texts everyone, giving up a seat, sending a group message) acts only on
a POST that carries `confirm=yes`. Any other request gets a page that says what will
happen and to how many people, with the button that confirms it (and a reason field
where one helps). A stray or forged single POST therefore changes nothing.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from django.shortcuts import render

CONFIRM_FIELD = "confirm"
CONFIRM_VALUE = "yes"


def confirmed(request) -> bool:
    return request.method == "POST" and request.POST.get(CONFIRM_FIELD) == CONFIRM_VALUE


@dataclass
class Confirmation:
    title: str
    consequences: list[str]
    button: str
    cancel_url: str
    # A text field sent along with the confirmation (a cancelled training's reason).
    reason_label: str = ""
    reason_help: str = ""
    reason_required: bool = False
    hidden: dict = field(default_factory=dict)
    danger: bool = True
    error: str = ""


def ask(request, confirmation: Confirmation, *, template="confirm.html", status=200, extra=None):
    """The page that asks; it posts back to the same URL with `confirm=yes`."""
    context = {
        "confirmation": confirmation,
        "confirm_field": CONFIRM_FIELD,
        "confirm_value": CONFIRM_VALUE,
        "reason": request.POST.get("reason", "") if request.method == "POST" else "",
        **(extra or {}),
    }
    return render(request, template, context, status=status)
