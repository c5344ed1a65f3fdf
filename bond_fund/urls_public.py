"""Pages without a login: the committee's pledge page and each bond's."""

from django.urls import path

from . import views

app_name = "bond_fund_public"

urlpatterns = [
    path("<slug:committee_slug>/", views.public_pledge, name="pledge"),
    path("<slug:committee_slug>/<int:public_bond_id>/", views.public_bond, name="bond"),
]
