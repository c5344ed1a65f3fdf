from django import forms
from django.contrib import admin, messages
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin
from django.core.exceptions import PermissionDenied, ValidationError
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from committees.access import Action, load_viewer
from committees.models import Zone

from . import availability
from .forms import availability_choices
from .models import Person, Skill, SpokenLanguage, User


@admin.register(User)
class UserAdmin(BaseUserAdmin):
    ordering = ["email"]
    list_display = ["email", "language", "is_staff", "is_active", "last_login"]
    search_fields = ["email"]
    fieldsets = [
        (None, {"fields": ["email", "password", "language"]}),
        ("Permissions", {"fields": ["is_active", "is_staff", "is_superuser"]}),
        ("Dates", {"fields": ["last_login", "date_joined"]}),
    ]
    add_fieldsets = [(None, {"classes": ["wide"], "fields": ["email", "password1", "password2"]})]


class PersonAdminForm(forms.ModelForm):
    """Availability as days and parts of the day, not the bit mask it is stored as."""

    availability = forms.MultipleChoiceField(
        label=_("Usually available"),
        choices=availability_choices,
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Person
        # Contact details and notes stay out of the admin (encrypted, audited in the app).
        fields = [
            "committee",
            "user",
            "preferred_name",
            "full_name",
            "language",
            "other_languages",
            "skills",
            "zones",
            "availability",
        ]

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk:
            self.initial["availability"] = availability.to_slots(self.instance.availability)

    def clean_availability(self):
        return availability.to_mask(self.cleaned_data["availability"])


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    # Contact details are deliberately not listed: the admin is not a way around the
    # directory's access rules and audit trail.
    form = PersonAdminForm
    list_display = ["preferred_name", "committee", "language", "available", "created_at"]
    list_filter = ["committee", "language"]
    search_fields = ["preferred_name"]
    raw_id_fields = ["user"]
    filter_horizontal = ["skills", "zones", "other_languages"]
    actions = ["erase_selected"]

    @admin.display(description=_("Usually available"))
    def available(self, person):
        return "; ".join(
            f"{day}: {', '.join(parts)}"
            for day, parts in availability.describe(person.availability)
        )

    def get_form(self, request, obj=None, **kwargs):
        form = super().get_form(request, obj, **kwargs)
        # Pickers offer only the person's own committee's zones and skills.
        if obj is not None:
            form.base_fields["zones"].queryset = Zone.objects.filter(committee=obj.committee_id)
            form.base_fields["skills"].queryset = Skill.objects.filter(
                Q(committee__isnull=True) | Q(committee=obj.committee_id)
            )
        return form

    def has_delete_permission(self, request, obj=None):
        # Deleting a row would skip erasure (consents, messages, logins, audit scrub):
        # people leave only through "Erase", here or in the app.
        return False

    @admin.action(description=_("Erase the selected people (through erasure, for good)"))
    def erase_selected(self, request, queryset):
        from .services import person_erase

        erased, refused = 0, []
        for person in queryset.filter(erased_at__isnull=True).select_related("committee"):
            viewer = load_viewer(request.user, person.committee_id)
            if (
                viewer.committee is None
                or viewer.committee.pk != person.committee_id
                or not (viewer.can(Action.ERASE_PERSON))
            ):
                refused.append(str(person.committee))
                continue
            try:
                person_erase(actor=viewer, person=person)
            except (PermissionDenied, ValidationError):
                refused.append(str(person.committee))
            else:
                erased += 1
        if erased:
            messages.success(request, _("%(count)d erased.") % {"count": erased})
        if refused:
            messages.error(
                request,
                _("Not erased: only a coordinator of their committee may erase (%(names)s).")
                % {"names": ", ".join(sorted(set(refused)))},
            )

    def save_model(self, request, obj, form, change):
        obj.set_names(preferred_name=obj.preferred_name, full_name=obj.full_name)
        super().save_model(request, obj, form, change)


@admin.register(Skill)
class SkillAdmin(admin.ModelAdmin):
    list_display = ["name_en", "name_es", "slug", "committee"]
    list_filter = ["committee"]


@admin.register(SpokenLanguage)
class SpokenLanguageAdmin(admin.ModelAdmin):
    list_display = ["code", "name_en", "name_es"]
