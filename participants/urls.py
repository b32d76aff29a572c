from django.urls import path

from .views import attendance, documents, enrollment, handouts, people, privacy, reports

app_name = "participants"
urlpatterns = [
    path("", people.participant_list, name="list"),
    path("neu/", people.participant_create, name="create"),
    path("<int:pk>/", people.participant_detail, name="detail"),
    path("<int:pk>/bearbeiten/", people.participant_update, name="update"),
    path("<int:pk>/auskunft.json", privacy.participant_export_json, name="export_json"),
    path("<int:pk>/auskunft/", privacy.participant_export_pdf, name="export_pdf"),
    path("<int:pk>/loeschen/", privacy.participant_erase_page, name="erase"),
    path("heute/", attendance.today, name="today"),
    path("meldungen/", reports.reports_list, name="reports_list"),
    path("durchgang/<int:run_pk>/meldungen/", reports.run_reports, name="reports"),
    path("durchgang/<int:run_pk>/", enrollment.run_participants, name="run"),
    path("durchgang/<int:run_pk>/anmelden/", enrollment.enrollment_create, name="enroll"),
    path("durchgang/<int:run_pk>/nachruecken/", enrollment.waiting_list_promote, name="promote"),
    path("durchgang/<int:run_pk>/anwesenheit/", attendance.attendance_matrix_page, name="matrix"),
    path(
        "durchgang/<int:run_pk>/bescheinigungen/",
        documents.certificates_page,
        name="certificates",
    ),
    path(
        "durchgang/<int:run_pk>/bescheinigungen/ausstellen/",
        documents.certificates_issue,
        name="certificates_issue",
    ),
    path(
        "durchgang/<int:run_pk>/dokumente/<slug:kind>/", documents.document_create, name="document"
    ),
    path("anmeldung/<int:pk>/abmelden/", enrollment.enrollment_withdraw, name="withdraw"),
    path(
        "termin/<int:session_pk>/anwesenheit/",
        attendance.session_attendance_page,
        name="attendance",
    ),
    path(
        "termin/<int:session_pk>/anwesenheit/alle/",
        attendance.attendance_all_present,
        name="attendance_all_present",
    ),
    path(
        "termin/<int:session_pk>/anwesenheit/rueckgaengig/",
        attendance.attendance_undo,
        name="attendance_undo",
    ),
    path(
        "termin/<int:session_pk>/anwesenheit/<int:enrollment_pk>/",
        attendance.attendance_mark,
        name="attendance_mark",
    ),
    path("bescheinigung/<str:number>/", documents.certificate_verify, name="verify"),
    path("handouts/", handouts.handout_list, name="handout_list"),
    path("handouts/<int:module_pk>/", handouts.handout_edit, name="handout_edit"),
]
