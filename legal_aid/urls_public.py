"""The public request for legal help (no login)."""

from django.urls import path

from . import views

app_name = "legal_aid_public"

urlpatterns = [
    path("<slug:committee_slug>/", views.public_intake, name="intake"),
]
