from django.contrib import admin
from django.urls import include, path

from aktiva.health import healthz
from aktiva.offline import service_worker
from aktiva.views.accessibility import accessibility_statement
from aktiva.views.organization import organization_settings

urlpatterns = [
    path("", include("trainings.urls_start")),
    path("healthz", healthz, name="healthz"),
    path("barrierefreiheit/", accessibility_statement, name="accessibility"),
    path("sw.js", service_worker, name="service_worker"),
    path("admin/", admin.site.urls),
    path("i18n/", include("django.conf.urls.i18n")),
    path("konto/", include("aktiva.account_urls")),
    path("dokumente/", include("aktiva.document_urls")),
    path("protokoll/", include("aktiva.audit_urls")),
    path("organisation/", organization_settings, name="organization_settings"),
    path("teilnehmende/", include("participants.urls")),
    path("", include("feedback.urls")),
    path("", include("trainings.urls")),
]
