from __future__ import annotations

from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils import timezone

PAGE_SIZE = 50


def render_in_committee_time(request, committee, template, context, status=200):
    with timezone.override(ZoneInfo(committee.timezone)):
        return render(request, template, context, status=status)


def error_text(error: ValidationError) -> str:
    return " ".join(error.messages)


def form_error(form, error: ValidationError) -> None:
    for message in error.messages:
        form.add_error(None, message)
