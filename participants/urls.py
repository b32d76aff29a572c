from django.urls import path

from . import views

app_name = "participants"
urlpatterns = [
    path("", views.participant_list, name="list"),
    path("neu/", views.participant_create, name="create"),
    path("<int:pk>/", views.participant_detail, name="detail"),
    path("<int:pk>/bearbeiten/", views.participant_update, name="update"),
    path("heute/", views.today, name="today"),
    path("durchgang/<int:run_pk>/", views.run_participants, name="run"),
    path("durchgang/<int:run_pk>/anmelden/", views.enrollment_create, name="enroll"),
    path("durchgang/<int:run_pk>/nachruecken/", views.waiting_list_promote, name="promote"),
    path("durchgang/<int:run_pk>/anwesenheit/", views.attendance_matrix_page, name="matrix"),
    path("durchgang/<int:run_pk>/bescheinigungen/", views.certificates_page, name="certificates"),
    path("durchgang/<int:run_pk>/dokumente/<slug:kind>/", views.document_create, name="document"),
    path("anmeldung/<int:pk>/abmelden/", views.enrollment_withdraw, name="withdraw"),
    path("termin/<int:session_pk>/anwesenheit/", views.session_attendance_page, name="attendance"),
    path(
        "termin/<int:session_pk>/anwesenheit/<int:enrollment_pk>/",
        views.attendance_mark,
        name="attendance_mark",
    ),
    path("bescheinigung/<str:number>/", views.certificate_verify, name="verify"),
    path("handouts/", views.handout_list, name="handout_list"),
    path("handouts/<int:module_pk>/", views.handout_edit, name="handout_edit"),
]
