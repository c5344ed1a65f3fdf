from django.urls import path

from . import add_people, views

app_name = "trainings"

urlpatterns = [
    path("", views.training_list, name="list"),
    path("manage/", views.training_manage, name="manage"),
    path("new/", views.training_create, name="create"),
    path("add-people/", add_people.add_people, name="add_people"),
    path("<int:training_id>/", views.training_detail, name="detail"),
    path("<int:training_id>/sign-up/", views.training_sign_up, name="sign_up"),
    path("<int:training_id>/give-up/", views.training_cancel_mine, name="cancel_mine"),
    path("<int:training_id>/reminders-on/", views.reminders_turn_on, name="reminders_on"),
    path("<int:training_id>/edit/", views.training_edit, name="edit"),
    path("<int:training_id>/cancel/", views.training_cancel, name="cancel"),
    path("<int:training_id>/roster/", views.roster, name="roster"),
    path("<int:training_id>/roster.csv", views.roster_export, name="roster_export"),
    path("<int:training_id>/roster/walk-in/", views.roster_walk_in, name="walk_in"),
    path("<int:training_id>/roster/close/", views.roster_close, name="roster_close"),
    path(
        "<int:training_id>/roster/<int:registration_id>/check-in/",
        views.roster_check_in,
        name="check_in",
    ),
    path(
        "<int:training_id>/roster/<int:registration_id>/no-show/",
        views.roster_no_show,
        name="no_show",
    ),
    path(
        "<int:training_id>/roster/<int:registration_id>/note/",
        views.roster_note,
        name="note",
    ),
]
