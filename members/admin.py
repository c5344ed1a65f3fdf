from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as BaseUserAdmin

from .models import Person, User


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
    exclude = ["phone", "email"]
    raw_id_fields = ["user"]
