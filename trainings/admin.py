from django.contrib import admin

from .models import Training


@admin.register(Training)
class TrainingAdmin(admin.ModelAdmin):
    # Registrations are not shown here: rosters go through the trainings screens, which
    # check access and log exports.
    list_display = ["__str__", "committee", "kind", "starts_at", "capacity", "visibility"]
    list_filter = ["committee", "kind", "visibility"]
    search_fields = ["title_en", "title_es"]
    exclude = ["trainers"]
