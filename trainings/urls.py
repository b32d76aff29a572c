from django.urls import path

from .views import calendar, ical, masterdata, runs, sessions

app_name = "trainings"
urlpatterns = [
    path("durchgaenge/", runs.run_list, name="run_list"),
    path("durchgaenge/neu/", runs.run_create, name="run_create"),
    path("durchgaenge/<int:pk>/", runs.run_detail, name="run_detail"),
    path("durchgaenge/<int:pk>/bearbeiten/", runs.run_update, name="run_update"),
    path("durchgaenge/<int:pk>/status/", runs.run_transition, name="run_transition"),
    path("durchgaenge/<int:pk>/absagen/", runs.run_cancel, name="run_cancel"),
    path("durchgaenge/<int:pk>/terminplan/", sessions.schedule_generate, name="schedule_generate"),
    path("durchgaenge/<int:pk>/termine/neu/", sessions.session_create, name="session_create"),
    path(
        "durchgaenge/<int:pk>/termine/<int:session_pk>/",
        sessions.session_update,
        name="session_update",
    ),
    path(
        "durchgaenge/<int:pk>/termine/<int:session_pk>/absagen/",
        sessions.session_cancel,
        name="session_cancel",
    ),
    path("durchgaenge/<int:pk>/termine.ics", ical.run_ics, name="run_ics"),
    path("trainer/", masterdata.trainer_list, name="trainer_list"),
    path("trainer/neu/", masterdata.trainer_create, name="trainer_create"),
    path("trainer/<int:pk>/", masterdata.trainer_detail, name="trainer_detail"),
    path("trainer/<int:pk>/bearbeiten/", masterdata.trainer_update, name="trainer_update"),
    path("trainer/<int:pk>/kalenderadresse/", ical.ical_renew, name="ical_renew"),
    path("module/", masterdata.module_list, name="module_list"),
    path("module/neu/", masterdata.module_create, name="module_create"),
    path("module/<int:pk>/bearbeiten/", masterdata.module_update, name="module_update"),
    path("orte/", masterdata.location_list, name="location_list"),
    path("orte/neu/", masterdata.location_create, name="location_create"),
    path("orte/<int:pk>/bearbeiten/", masterdata.location_update, name="location_update"),
    path("kalender/", calendar.calendar, name="calendar"),
    path("meine-termine/", calendar.my_sessions, name="my_sessions"),
    path("ical/<slug:token>.ics", ical.ical_feed, name="ical_feed"),
]
