from __future__ import annotations

from zoneinfo import ZoneInfo

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render
from django.utils import timezone


def render_local(request, template, context, status=200):
    """Render with times in the committee's time zone."""
    with timezone.override(ZoneInfo(request.viewer.committee.timezone)):
        return render(request, template, context, status=status)


def refused(request, error: ValidationError, to):
    messages.error(request, " ".join(error.messages))
    return redirect(to)
