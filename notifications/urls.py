from django.urls import path

from . import views

app_name = "notifications"

urlpatterns = [
    path("", views.message_list, name="message_list"),
    path("compose/", views.compose, name="compose"),
    path("compose/preview/", views.compose_preview, name="compose_preview"),
    path("group/", views.broadcast_list, name="broadcast_list"),
    path("group/<int:broadcast_id>/", views.broadcast_detail, name="broadcast_detail"),
    path("group/<int:broadcast_id>/send/", views.broadcast_send, name="broadcast_send"),
    path("group/<int:broadcast_id>/cancel/", views.broadcast_cancel, name="broadcast_cancel"),
    path("group/<int:broadcast_id>/progress/", views.broadcast_progress, name="broadcast_progress"),
    path("replies/", views.inbox, name="inbox"),
    path("replies/<int:inbound_id>/handled/", views.inbound_resolve, name="inbound_resolve"),
    path("opt-outs/", views.number_flag_list, name="number_flags"),
    path("people/<int:person_id>/", views.person_history, name="person_history"),
]
