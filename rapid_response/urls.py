from django.urls import path

from .views import alerts, dispatch, manage

app_name = "rapid_response"

urlpatterns = [
    path("", dispatch.inbox, name="inbox"),
    path("new/", dispatch.report_new, name="report_new"),
    path("incidents/<int:incident_id>/", dispatch.incident_detail, name="incident"),
    path("incidents/<int:incident_id>/claim/", dispatch.incident_claim, name="claim"),
    path("incidents/<int:incident_id>/release/", dispatch.incident_release, name="release"),
    path("incidents/<int:incident_id>/status/", dispatch.incident_status, name="status"),
    path("incidents/<int:incident_id>/note/", dispatch.incident_note, name="note"),
    path("incidents/<int:incident_id>/zone/", dispatch.incident_zone, name="zone"),
    path("incidents/<int:incident_id>/close/", dispatch.incident_close, name="close"),
    path("incidents/<int:incident_id>/confirmers/", dispatch.confirmers_ask, name="confirmers"),
    path("incidents/<int:incident_id>/observed/", dispatch.observer_log, name="observed"),
    path("incidents/<int:incident_id>/handoff/", dispatch.handoff_legal, name="handoff"),
    path(
        "incidents/<int:incident_id>/handoff/<int:handoff_id>/bond/",
        dispatch.handoff_bond,
        name="handoff_bond",
    ),
    path("incidents/<int:incident_id>/alert/", alerts.alert_new, name="alert_new"),
    path("alerts/<int:alert_id>/", alerts.board, name="board"),
    path("alerts/<int:alert_id>/rows/", alerts.board_rows, name="board_rows"),
    path("alerts/<int:alert_id>/notice/", alerts.notice_send, name="notice"),
    path("shifts/", manage.shifts, name="shifts"),
    path("shifts/<int:shift_id>/end/", manage.shift_end, name="shift_end"),
    path("settings/", manage.dispatch_settings, name="settings"),
    path("reports/", manage.reports, name="reports"),
]
