from django.urls import path

from . import views

app_name = "bond_fund"

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("bonds/", views.bond_list, name="bond_list"),
    path("bonds/new/", views.bond_create, name="bond_create"),
    path("bonds/<int:bond_id>/", views.bond_detail, name="bond_detail"),
    path("bonds/<int:bond_id>/edit/", views.bond_edit, name="bond_edit"),
    path("bonds/<int:bond_id>/step/<slug:step>/", views.bond_step, name="bond_step"),
    path("bonds/<int:bond_id>/documents/", views.bond_document_upload, name="document_upload"),
    path(
        "bonds/<int:bond_id>/documents/<int:document_id>/",
        views.bond_document,
        name="document",
    ),
    path("bonds/<int:bond_id>/pay/", views.bond_pay, name="bond_pay"),
    path("bonds/<int:bond_id>/refund/", views.bond_refund, name="bond_refund"),
    path(
        "disbursements/<int:disbursement_id>/approve/",
        views.disbursement_approve,
        name="disbursement_approve",
    ),
    path("refunds/", views.refunds, name="refunds"),
    path("pledges/", views.pledge_list, name="pledge_list"),
    path("pledges/new/", views.pledge_create, name="pledge_create"),
    path("pledges/<int:pledge_id>/", views.pledge_detail, name="pledge_detail"),
    path("pledges/<int:pledge_id>/pay/", views.payment_create, name="payment_create"),
    path("ledger/", views.ledger, name="ledger"),
    path("ledger.csv", views.ledger_export, name="ledger_export"),
    path(
        "ledger/<int:transaction_id>/reverse/",
        views.transaction_reverse,
        name="transaction_reverse",
    ),
    path("settings/", views.fund_settings, name="settings"),
]
