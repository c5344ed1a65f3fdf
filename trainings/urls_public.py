"""Pages without a login: a committee's public calendar and sign-up, and a person's own
registration page reached by the signed link in their messages."""

from django.urls import path

from . import views

app_name = "trainings_public"

urlpatterns = [
    path("r/<str:registration_token>/", views.registration_page, name="registration"),
    path(
        "r/<str:registration_token>/calendar.ics",
        views.registration_calendar,
        name="registration_calendar",
    ),
    path("r/<str:registration_token>/cancel/", views.registration_cancel, name="cancel"),
    path("r/<str:registration_token>/claim/", views.registration_claim, name="claim"),
    path("<slug:committee_slug>/", views.public_calendar, name="calendar"),
    path("<slug:committee_slug>/calendar.ics", views.public_feed, name="feed"),
    path(
        "<slug:committee_slug>/<int:public_training_id>/",
        views.public_training,
        name="training",
    ),
]
