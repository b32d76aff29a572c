from django.urls import path

from .views import documents

app_name = "documents"
urlpatterns = [
    path("<int:pk>/", documents.document_detail, name="detail"),
    path("<int:pk>/herunterladen/", documents.document_download, name="download"),
    path("<int:pk>/erneut/", documents.document_retry, name="retry"),
]
