"""The start page, outside the "trainings" namespace: every page links to {% url 'dashboard' %}.
Included by string from aktiva/urls.py, so the project package imports no app."""

from django.urls import path

from .views.dashboard import dashboard

urlpatterns = [path("", dashboard, name="dashboard")]
