from __future__ import annotations

from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils import timezone

PAGE_SIZE = 50


def page(request, template, context, status=200, committee=None):
    committee = committee or request.viewer.committee
    with timezone.override(ZoneInfo(committee.timezone)):
        return render(request, template, context, status=status)


def add_errors(form, error: ValidationError) -> None:
    if hasattr(error, "error_dict"):
        for field, errors in error.error_dict.items():
            form.add_error(field if field in form.fields else None, errors)
    else:
        form.add_error(None, error)


def errors_text(error: ValidationError) -> str:
    return " ".join(error.messages)
