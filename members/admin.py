from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

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


@admin.register(Person)
class PersonAdmin(admin.ModelAdmin):
    # Contact details are deliberately not listed: the admin is not a way around the
    # directory's access rules and audit trail.
    list_display = ["preferred_name", "committee", "language", "created_at"]
    list_filter = ["committee", "language"]
    search_fields = ["preferred_name"]
    exclude = ["phone", "email", "notes", "search_name"]
    raw_id_fields = ["user"]
    filter_horizontal = ["skills", "zones", "other_languages"]

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
