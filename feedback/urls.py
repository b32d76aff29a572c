from django.urls import path

from . import public_views, views

app_name = "feedback"
urlpatterns = [
    # the public form: short addresses for paper slips
    path("f/", public_views.start, name="public_start"),
    path("f/<str:code>/", public_views.code_page, name="public_code"),
    path("f/<str:code>/<slug:moment>/", public_views.form_page, name="public_form"),
    # staff
    path("auswertung/", views.year_report, name="year_report"),
    path("auswertung/<int:year>/", views.year_report, name="year_report_year"),
    path("auswertung/<int:year>/pdf/", views.year_report_pdf, name="year_report_pdf"),
    path("auswertung/<int:year>/durchgaenge/", views.year_runs, name="year_runs"),
    path("auswertung/<int:year>/freitext/", views.year_texts, name="year_texts"),
    path("auswertung/<int:year>/antworten.<str:fmt>", views.year_export, name="year_export"),
    path("auswertung/durchgang/<int:pk>/", views.run_results, name="run_results"),
    path("auswertung/durchgang/<int:pk>/codes/", views.run_codes, name="run_codes"),
    path(
        "auswertung/durchgang/<int:pk>/codes/drucken/",
        views.run_codes_print,
        name="run_codes_print",
    ),
    path("frageboegen/", views.questionnaire_list, name="questionnaire_list"),
    path("frageboegen/neu/", views.questionnaire_create, name="questionnaire_create"),
    path(
        "frageboegen/standard/", views.questionnaire_use_default, name="questionnaire_use_default"
    ),
    path("frageboegen/<int:pk>/", views.questionnaire_detail, name="questionnaire_detail"),
    path("frageboegen/<int:pk>/kopieren/", views.questionnaire_copy, name="questionnaire_copy"),
    path(
        "frageboegen/<int:pk>/verwenden/",
        views.questionnaire_activate,
        name="questionnaire_activate",
    ),
    path("frageboegen/<int:pk>/fragen/neu/", views.item_edit, name="item_create"),
    path("frageboegen/<int:pk>/fragen/<slug:key>/", views.item_edit, name="item_edit"),
    path("frageboegen/<int:pk>/fragen/<slug:key>/loeschen/", views.item_delete, name="item_delete"),
    path("frageboegen/<int:pk>/fragen/<slug:key>/verschieben/", views.item_move, name="item_move"),
]
