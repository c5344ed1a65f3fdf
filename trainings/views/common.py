"""What every trainings view shares: rendering in the committee's time zone."""

from __future__ import annotations

from zoneinfo import ZoneInfo

from django.core.exceptions import ValidationError
from django.shortcuts import render
from django.utils import timezone

PAGE_SIZE = 50


def _render(request, committee, template, context, status=200):
    """Render with times shown in the committee's time zone."""
    with timezone.override(ZoneInfo(committee.timezone)):
        return render(request, template, context, status=status)


def _errors(error: ValidationError) -> str:
    return " ".join(error.messages)
