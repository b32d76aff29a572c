from django.urls import path

from .views import audit

app_name = "audit"
urlpatterns = [
    path("", audit.audit_trail, name="trail"),
    path("export.csv", audit.audit_trail_csv, name="export"),
]
