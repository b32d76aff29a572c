from django.urls import path

from . import urls_masterdata, views

app_name = "trainings"
urlpatterns = [
    path("durchgaenge/", views.run_list, name="run_list"),
    path("durchgaenge/neu/", views.run_create, name="run_create"),
    path("durchgaenge/<int:pk>/", views.run_detail, name="run_detail"),
    path("durchgaenge/<int:pk>/bearbeiten/", views.run_update, name="run_update"),
    path("durchgaenge/<int:pk>/status/", views.run_transition, name="run_transition"),
    path("durchgaenge/<int:pk>/absagen/", views.run_cancel, name="run_cancel"),
    path("durchgaenge/<int:pk>/terminplan/", views.schedule_generate, name="schedule_generate"),
    path("durchgaenge/<int:pk>/termine/neu/", views.session_create, name="session_create"),
    path(
        "durchgaenge/<int:pk>/termine/<int:session_pk>/",
        views.session_update,
        name="session_update",
    ),
    path(
        "durchgaenge/<int:pk>/termine/<int:session_pk>/absagen/",
        views.session_cancel,
        name="session_cancel",
    ),
]
urlpatterns += urls_masterdata.urlpatterns
