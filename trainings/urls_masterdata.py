"""Master data, calendar and iCal pages; included by trainings/urls.py (app_name "trainings")."""

from django.urls import path

from . import views_calendar, views_ical, views_masterdata

urlpatterns = [
    path("trainer/", views_masterdata.trainer_list, name="trainer_list"),
    path("trainer/neu/", views_masterdata.trainer_create, name="trainer_create"),
    path("trainer/<int:pk>/", views_masterdata.trainer_detail, name="trainer_detail"),
    path("trainer/<int:pk>/bearbeiten/", views_masterdata.trainer_update, name="trainer_update"),
    path("trainer/<int:pk>/kalenderadresse/", views_ical.ical_renew, name="ical_renew"),
    path("module/", views_masterdata.module_list, name="module_list"),
    path("module/neu/", views_masterdata.module_create, name="module_create"),
    path("module/<int:pk>/bearbeiten/", views_masterdata.module_update, name="module_update"),
    path("orte/", views_masterdata.location_list, name="location_list"),
    path("orte/neu/", views_masterdata.location_create, name="location_create"),
    path("orte/<int:pk>/bearbeiten/", views_masterdata.location_update, name="location_update"),
    path("kalender/", views_calendar.calendar, name="calendar"),
    path("meine-termine/", views_calendar.my_sessions, name="my_sessions"),
    path("ical/<slug:token>.ics", views_ical.ical_feed, name="ical_feed"),
    path("durchgaenge/<int:pk>/termine.ics", views_ical.run_ics, name="run_ics"),
]
