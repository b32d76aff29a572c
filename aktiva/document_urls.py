from django.urls import path

from . import views

app_name = "documents"
urlpatterns = [
    path("<int:pk>/", views.document_detail, name="detail"),
    path("<int:pk>/herunterladen/", views.document_download, name="download"),
    path("<int:pk>/erneut/", views.document_retry, name="retry"),
]
