"""The public report form (no login)."""

from django.urls import path

from .views import public

app_name = "rapid_response_public"

urlpatterns = [
    path("<slug:committee_slug>/", public.report, name="report"),
]
