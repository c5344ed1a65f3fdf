"""The directory's filters, one reusable FilterSet.

    people = PersonFilter(request.GET, viewer=request.viewer).qs

The queryset always starts from `selectors.person_list(viewer=...)`, so it is scoped
to the viewer's committee whatever the data says. The notifications part uses the
same class to choose the recipients of a message: check `is_valid()` first, as the
export does — like any FilterSet, `qs` simply leaves out a filter whose value is
invalid (another committee's zone, an unknown skill), which widens the list.
"""

from __future__ import annotations

import django_filters
from django import forms
from django.core.validators import RegexValidator
from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils.translation import gettext_lazy as _

from committees.access import Viewer
from committees.roles import MembershipStatus, Role

from . import availability, selectors
from .consent import Channel, Purpose, with_consent
from .models import Person, TrainingKind, TrainingRecord
from .widgets import ListedModelChoiceFilter, QuickSelect

NOT_A_MEMBER = "contact"
STATUS_CHOICES = [
    *MembershipStatus.choices,
    (NOT_A_MEMBER, _("Contact (not a member)")),
]
TRAINED_ANY, TRAINED_NONE = "any", "none"
TRAINED_CHOICES = [
    (TRAINED_ANY, _("Any training")),
    *TrainingKind.choices,
    (TRAINED_NONE, _("No training yet")),
]


MAX_CHOSEN = 500


def chosen_ids(value: str) -> list[int]:
    """The ids of a `people` value ("12,15,19"), at most MAX_CHOSEN of them."""
    return [int(part) for part in value.split(",") if part.isdigit()][:MAX_CHOSEN]


def consent_choices():
    return [
        (f"{purpose}:{channel}", f"{purpose_label} · {channel_label}")
        for purpose, purpose_label in Purpose.choices
        for channel, channel_label in Channel.choices
    ]


class PersonFilter(django_filters.FilterSet):
    q = django_filters.CharFilter(
        label=_("Name, phone or email"),
        method="filter_search",
        widget=forms.TextInput(attrs={"type": "search", "maxlength": "100"}),
    )
    language = django_filters.ChoiceFilter(
        label=_("Speaks"),
        empty_label=_("Any language"),
        method="filter_language",
        widget=QuickSelect,
    )
    zone = ListedModelChoiceFilter(
        label=_("Zone"),
        empty_label=_("Any zone"),
        field_name="zones",
        queryset=None,
        widget=QuickSelect,
    )
    skill = ListedModelChoiceFilter(
        label=_("Skill"),
        empty_label=_("Any skill"),
        field_name="skills",
        queryset=None,
        widget=QuickSelect,
    )
    role = django_filters.ChoiceFilter(
        label=_("Role"),
        empty_label=_("Any role"),
        choices=Role.choices,
        method="filter_role",
        widget=QuickSelect,
    )
    status = django_filters.ChoiceFilter(
        label=_("Status"),
        empty_label=_("Any status"),
        choices=STATUS_CHOICES,
        method="filter_status",
        widget=QuickSelect,
    )
    trained = django_filters.ChoiceFilter(
        label=_("Training"),
        empty_label=_("Trained or not"),
        choices=TRAINED_CHOICES,
        method="filter_trained",
        widget=QuickSelect,
    )
    consent = django_filters.ChoiceFilter(
        label=_("May be contacted for"),
        empty_label=_("Any consent"),
        choices=consent_choices,
        method="filter_consent",
        widget=QuickSelect,
    )
    day = django_filters.ChoiceFilter(
        label=_("Available on"),
        empty_label=_("Any day"),
        choices=[(str(day), label) for day, label in availability.WEEKDAYS],
        method="filter_nothing",
        widget=QuickSelect,
    )
    part = django_filters.ChoiceFilter(
        label=_("Time of day"),
        empty_label=_("Any time"),
        choices=availability.PARTS,
        method="filter_nothing",
        widget=QuickSelect,
    )

    # People chosen one by one in the directory ("12,15,19"): ids, never names, so the
    # selection may travel in a URL (to the message composer, the export).
    people = django_filters.CharFilter(
        label=_("Chosen people"),
        method="filter_people",
        widget=forms.HiddenInput,
        validators=[RegexValidator(r"^\d+(,\d+)*$", _("Choose people from the directory."))],
    )

    class Meta:
        model = Person
        fields: list[str] = []

    def __init__(self, data=None, queryset=None, *, viewer: Viewer, **kwargs):
        if queryset is None:
            queryset = selectors.person_list(viewer=viewer)
        super().__init__(data, queryset, **kwargs)
        self.viewer = viewer
        self.filters["zone"].queryset = selectors.zone_choices(viewer=viewer)
        self.filters["skill"].queryset = selectors.skill_list(viewer=viewer)
        self.filters["language"].extra["choices"] = [
            (language.code, language.label) for language in selectors.spoken_languages()
        ]

    def filter_search(self, queryset, name, value):
        return selectors.person_search(queryset, value)

    def filter_people(self, queryset, name, value):
        return queryset.filter(pk__in=chosen_ids(value))

    def filter_language(self, queryset, name, value):
        spoken = Person.other_languages.through.objects.filter(
            person_id=OuterRef("pk"), spokenlanguage_id=value
        )
        return queryset.filter(Q(language=value) | Exists(spoken))

    def filter_role(self, queryset, name, value):
        return queryset.filter(**self._membership_here(), membership__roles__role=value)

    def filter_status(self, queryset, name, value):
        if value == NOT_A_MEMBER:
            return queryset.filter(membership__isnull=True)
        return queryset.filter(**self._membership_here(), membership__status=value)

    def _membership_here(self) -> dict:
        """A condition that always holds (a membership is in its person's committee) but
        lets PostgreSQL read only this committee's memberships, through their (committee,
        status) index: without it a small committee's filtered page read every
        committee's memberships (30 ms at 1,000 people beside 100,000 others)."""
        return {"membership__committee": self.viewer.committee}

    def filter_trained(self, queryset, name, value):
        records = TrainingRecord.objects.filter(person_id=OuterRef("pk"))
        if value == TRAINED_NONE:
            return queryset.exclude(Exists(records))
        if value != TRAINED_ANY:
            records = records.filter(kind=value)
        return queryset.filter(Exists(records))

    def filter_consent(self, queryset, name, value):
        purpose, _sep, channel = value.partition(":")
        return with_consent(queryset, purpose=purpose, channel=channel)

    def filter_nothing(self, queryset, name, value):
        return queryset  # day and part are applied together in filter_queryset

    def filter_queryset(self, queryset) -> QuerySet:
        queryset = super().filter_queryset(queryset)
        day = self.form.cleaned_data.get("day")
        part = self.form.cleaned_data.get("part")
        if day or part:
            weekday = int(day) if day else None
            queryset = queryset.filter(availability.available_filter(weekday, part or None))
        return queryset

    def description(self) -> dict:
        """The filters in use, fit for an audit log: ids and codes, never a searched name."""
        if not self.is_bound or not self.is_valid():
            return {}
        described = {}
        for name, value in self.form.cleaned_data.items():
            if value in (None, "", []):
                continue
            if name == "q":
                described[name] = "(search text not recorded)"
            elif name == "people":
                described[name] = len(chosen_ids(value))
            elif hasattr(value, "pk"):
                described[name] = value.pk
            else:
                described[name] = value
        return described


# --- The filter form's markup, cached ---------------------------------------------------
# Rendering the filters' selects (a hundred options, zones and skills read from the
# database) was a fifth of the directory's time. The markup depends only on the
# committee's zones and skills, the spoken languages, the language of the page and the
# chosen values, so it is cached under those; the search box (whose text may be a name)
# is never part of it. Saving or deleting a zone, skill or spoken language bumps a
# version that every key includes (FILTER_VERSION_KEY), so a change shows at once.
FILTERS_FRAGMENT_SECONDS = 600
CACHED_FILTERS_EXCLUDE = ("q", "people")


def _version_key(committee_id: int | None) -> str:
    return f"members:directory-filters-version:{committee_id or 'all'}"


def forget_filter_choices(committee_id: int | None = None) -> None:
    """A committee's zones or skills changed (None: the shared skills or languages)."""
    import time

    from django.core.cache import cache

    cache.set(_version_key(committee_id), time.time_ns(), None)


def filters_fragment_key(viewer: Viewer, data, language: str) -> str:
    """Where the filters' markup for these chosen values is cached (no searched text in
    it: the search box is rendered apart)."""
    import hashlib
    import json

    from django.core.cache import cache

    versions = cache.get_many([_version_key(viewer.committee.pk), _version_key(None)])
    chosen = sorted(
        (name, str(data.get(name)))
        for name in PersonFilter.base_filters
        if name not in CACHED_FILTERS_EXCLUDE and data and data.get(name)
    )
    digest = hashlib.sha256(json.dumps([chosen, sorted(versions.items())]).encode()).hexdigest()[
        :32
    ]
    return f"members:directory-filters:{viewer.committee.pk}:{language}:{digest}"
