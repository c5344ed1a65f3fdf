from django.urls import path

from . import views

app_name = "legal_aid"

urlpatterns = [
    path("", views.triage_queue, name="queue"),
    path("new/", views.request_create, name="request_create"),
    path("requests/<int:request_id>/", views.request_detail, name="request"),
    path("requests/<int:request_id>/accept/", views.request_accept, name="request_accept"),
    path("requests/<int:request_id>/refer/", views.request_refer, name="request_refer"),
    path("requests/<int:request_id>/close/", views.request_close, name="request_close"),
    path("cases/", views.case_list, name="cases"),
    path("cases/<int:case_id>/", views.case_detail, name="case"),
    path("cases/<int:case_id>/edit/", views.case_edit, name="case_edit"),
    path("cases/<int:case_id>/assign/", views.case_assign, name="case_assign"),
    path("cases/<int:case_id>/close/", views.case_close, name="case_close"),
    path("cases/<int:case_id>/address/", views.case_address, name="case_address"),
    path("cases/<int:case_id>/hearings/", views.hearing_create, name="hearing_create"),
    path("cases/<int:case_id>/documents/", views.document_upload, name="document_upload"),
    path("documents/<int:document_id>/", views.document_download, name="document"),
    path("deadlines/<int:deadline_id>/done/", views.deadline_done, name="deadline_done"),
    path("hearings/", views.hearing_calendar, name="calendar"),
    path("hearings/<int:hearing_id>/move/", views.hearing_move, name="hearing_move"),
    path("hearings/<int:hearing_id>/offer/", views.hearing_offer, name="hearing_offer"),
    path("hearings/<int:hearing_id>/report/", views.court_watch, name="court_watch"),
    path("accompany/", views.my_accompaniments, name="my_accompaniments"),
    path("accompany/<int:accompaniment_id>/", views.accompaniment_card, name="card"),
    path(
        "accompany/<int:accompaniment_id>/answer/",
        views.accompaniment_answer,
        name="answer",
    ),
    path(
        "accompany/<int:accompaniment_id>/detained/",
        views.accompaniment_detained,
        name="detained",
    ),
    path("reports/", views.reports, name="reports"),
    path("settings/", views.legal_settings, name="settings"),
]
