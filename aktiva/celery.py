"""The Celery app. Workers: ``celery -A aktiva worker``; beat: ``celery -A aktiva beat``."""

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "aktiva.settings")

app = Celery("aktiva")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
