from django.urls import path

from .views import agreements, campaigns, home, meetings, officials, partners

app_name = "coalition"

urlpatterns = [
    path("", home.home, name="home"),
    path("public-page/", home.public_settings, name="public_settings"),
    path("public-page/facts/", home.fact_add, name="fact_add"),
    path("public-page/facts/<int:fact_id>/delete/", home.fact_delete, name="fact_delete"),
    path("partners/", partners.partner_list, name="partner_list"),
    path("partners/new/", partners.partner_edit, name="partner_create"),
    path("partners/<int:partner_id>/", partners.partner_detail, name="partner_detail"),
    path("partners/<int:partner_id>/edit/", partners.partner_edit, name="partner_edit"),
    path("partners/<int:partner_id>/history/", partners.partner_note_add, name="partner_note_add"),
    path("partners/<int:partner_id>/pledges/", partners.pledge_add, name="pledge_add"),
    path("pledges/<int:pledge_id>/document/", officials.pledge_document, name="pledge_document"),
    path("officials/", officials.agency_list, name="agency_list"),
    path("officials/new/", officials.agency_edit, name="agency_create"),
    path("officials/<int:agency_id>/", officials.agency_detail, name="agency_detail"),
    path("officials/<int:agency_id>/edit/", officials.agency_edit, name="agency_edit"),
    path(
        "officials/<int:agency_id>/in-office/",
        officials.office_holder_add,
        name="office_holder_add",
    ),
    path("commitments/", officials.commitment_list, name="commitment_list"),
    path("commitments/new/", officials.commitment_create, name="commitment_create"),
    path(
        "commitments/<int:commitment_id>/",
        officials.commitment_detail,
        name="commitment_detail",
    ),
    path(
        "commitments/<int:commitment_id>/status/",
        officials.commitment_status,
        name="commitment_status",
    ),
    path(
        "commitments/<int:commitment_id>/incidents/",
        officials.commitment_incident_add,
        name="commitment_incident_add",
    ),
    path(
        "commitments/<int:commitment_id>/upload/",
        officials.commitment_document_upload,
        name="commitment_upload",
    ),
    path(
        "commitments/<int:commitment_id>/publish/",
        officials.commitment_publish,
        name="commitment_publish",
    ),
    path(
        "commitments/<int:commitment_id>/document/",
        officials.commitment_document,
        name="commitment_document",
    ),
    path("meetings/", meetings.meeting_list, name="meeting_list"),
    path("meetings/new/", meetings.meeting_edit, name="meeting_create"),
    path("meetings/<int:meeting_id>/", meetings.meeting_detail, name="meeting_detail"),
    path("meetings/<int:meeting_id>/edit/", meetings.meeting_edit, name="meeting_edit"),
    path("meetings/<int:meeting_id>/follow-ups/", meetings.follow_up_add, name="follow_up_add"),
    path("follow-ups/<int:follow_up_id>/done/", meetings.follow_up_done, name="follow_up_done"),
    path("campaigns/", campaigns.campaign_list, name="campaign_list"),
    path("campaigns/new/", campaigns.campaign_edit, name="campaign_create"),
    path("campaigns/<int:campaign_id>/", campaigns.campaign_detail, name="campaign_detail"),
    path("campaigns/<int:campaign_id>/edit/", campaigns.campaign_edit, name="campaign_edit"),
    path("campaigns/<int:campaign_id>/steps/", campaigns.step_add, name="step_add"),
    path("campaigns/<int:campaign_id>/votes/", campaigns.vote_add, name="vote_add"),
    path("campaigns/<int:campaign_id>/actions/", campaigns.action_add, name="action_add"),
    path(
        "campaigns/<int:campaign_id>/actions/<int:action_id>/message/",
        campaigns.action_message,
        name="action_message",
    ),
    path("287g/", agreements.agreement_list, name="agreement_list"),
    path("287g/import/", agreements.agreement_import, name="agreement_import"),
    path("287g/import/<int:import_id>/", agreements.import_detail, name="import_detail"),
]
