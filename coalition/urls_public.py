"""The committee's public page, without an account."""

from django.urls import path

from .views import public

app_name = "coalition_public"

urlpatterns = [
    path("<slug:committee_slug>/", public.public_page, name="page"),
    path("<slug:committee_slug>/know-your-rights/", public.red_card, name="red_card"),
    path(
        "<slug:committee_slug>/scorecard/<int:public_commitment_id>/document/",
        public.public_document,
        name="document",
    ),
]
