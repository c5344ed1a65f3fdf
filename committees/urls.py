from django.urls import path

from . import views

app_name = "committees"

urlpatterns = [
    path("members/", views.membership_list, name="membership_list"),
    path("members/<int:membership_id>/", views.membership_detail, name="membership_detail"),
    path(
        "members/<int:membership_id>/approve/", views.membership_approve, name="membership_approve"
    ),
    path(
        "members/<int:membership_id>/suspend/", views.membership_suspend, name="membership_suspend"
    ),
    path(
        "members/<int:membership_id>/reinstate/",
        views.membership_reinstate,
        name="membership_reinstate",
    ),
    path("members/<int:membership_id>/vouch/", views.membership_vouch, name="membership_vouch"),
    path("newcomers/", views.vouch_list, name="vouch_list"),
    path("invitations/", views.invitation_list, name="invitation_list"),
    path(
        "invitations/<int:invitation_id>/revoke/",
        views.invitation_revoke,
        name="invitation_revoke",
    ),
    path("settings/", views.committee_settings, name="settings"),
    path(
        "invitations/<int:invitation_id>/resend/",
        views.invitation_resend,
        name="invitation_resend",
    ),
    path("zones/", views.zone_list, name="zone_list"),
    path("zones/<int:zone_id>/", views.zone_edit, name="zone_edit"),
    path("switch/", views.committee_switch, name="switch"),
]
