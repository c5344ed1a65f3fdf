"""Add people ticked in the people directory to a training (the directory's "Add to a
training" button posts their ids here)."""

from django import forms
from django.contrib import messages
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy, ngettext
from django.views.decorators.http import require_POST

from committees.access import Action, requires
from members.filters import MAX_CHOSEN
from members.selectors import person_list

from . import selectors, services
from .services import SignUpOutcome, SignUpRefused


class AddPeopleForm(forms.Form):
    training = forms.ModelChoiceField(
        label=gettext_lazy("Training"), queryset=None, empty_label=gettext_lazy("Choose one")
    )

    def __init__(self, *args, viewer, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["training"].queryset = (
            selectors.trainings_for_organizer(viewer=viewer)
            .filter(starts_at__gt=timezone.now(), signup_closed=False)
            .order_by("starts_at", "id")
        )


@requires(Action.MANAGE_TRAININGS)
@require_POST
def add_people(request):
    viewer = request.viewer
    wanted = [int(pk) for pk in request.POST.getlist("person") if pk.isdigit()][:MAX_CHOSEN]
    # In the order ticked; another committee's ids are simply not found.
    found = {p.pk: p for p in person_list(viewer=viewer).filter(pk__in=wanted)}
    people = [found[pk] for pk in wanted if pk in found]
    if not people:
        messages.error(request, _("Tick the people first."))
        return redirect("members:person_list")
    form = AddPeopleForm(request.POST if "training" in request.POST else None, viewer=viewer)
    if form.is_bound and form.is_valid():
        training = form.cleaned_data["training"]
        try:
            counts = services.registrations_add(actor=viewer, training=training, people=people)
        except SignUpRefused as refusal:
            form.add_error("training", " ".join(refusal.messages))
        else:
            messages.success(request, _summary(counts))
            return redirect("trainings:roster", training_id=training.pk)
    return render(
        request,
        "trainings/add_people.html",
        {"form": form, "people": people},
        status=400 if form.errors else 200,
    )


def _summary(counts: dict[str, int]) -> str:
    seated, waiting = counts[SignUpOutcome.REGISTERED], counts[SignUpOutcome.WAITLISTED]
    parts = [
        ngettext("%(n)s has a seat", "%(n)s have a seat", seated) % {"n": seated},
        ngettext("%(n)s is on the waitlist", "%(n)s are on the waitlist", waiting) % {"n": waiting},
    ]
    if counts[SignUpOutcome.ALREADY]:
        already = counts[SignUpOutcome.ALREADY]
        parts.append(
            ngettext("%(n)s was already on the list", "%(n)s were already on the list", already)
            % {"n": already}
        )
    return _("Added: %(summary)s.") % {"summary": ", ".join(parts)}
