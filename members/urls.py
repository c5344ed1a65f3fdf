from django.urls import path

from .views import directory, listing, profile, transfer

app_name = "members"

urlpatterns = [
    path("", listing.person_list, name="person_list"),
    path("chosen/", listing.person_bulk, name="person_bulk"),
    path("new/", directory.person_create, name="person_create"),
    path("<int:person_id>/", directory.person_detail, name="person_detail"),
    path("<int:person_id>/edit/", directory.person_edit, name="person_edit"),
    path("<int:person_id>/consent/", directory.person_consent, name="person_consent"),
    path("<int:person_id>/merge/", directory.person_merge, name="person_merge"),
    path("<int:person_id>/invite/", directory.person_invite, name="person_invite"),
    path("<int:person_id>/erase/", directory.person_erase, name="person_erase"),
    path("erasure-requests/", directory.erasure_requests, name="erasure_requests"),
    path("skills/", directory.skill_list, name="skill_list"),
    path("skills/<int:skill_id>/", directory.skill_edit, name="skill_edit"),
    path("audit/", directory.audit_log, name="audit_log"),
    path("import/", transfer.import_upload, name="import_upload"),
    path("import/<int:batch_id>/", transfer.import_detail, name="import_detail"),
    path(
        "import/<int:batch_id>/rows-to-correct.csv", transfer.import_rejects, name="import_rejects"
    ),
    path("export/", transfer.people_export, name="export"),
]

# "My profile", at /me/ (see config/urls.py).
profile_patterns = (
    [
        path("", profile.profile, name="detail"),
        path("edit/", profile.profile_edit, name="edit"),
        path("consent/", profile.profile_consent, name="consent"),
        path("data/", profile.profile_data, name="data"),
        path("delete/", profile.profile_erase, name="erase"),
    ],
    "profile",
)
