import importlib
import importlib.util

from django.contrib.auth.models import User
from django.core.management.base import BaseCommand
from django.db import transaction

from aktiva.models import Organization
from trainings import demo

OTHER_APPS = ["participants", "feedback"]  # each may ship `<app>.demo.load(organizations)`


class Command(BaseCommand):
    help = (
        "Loads demo data (two jobcenters, users, trainers, rooms, runs) unless it is already there."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        if Organization.objects.filter(name="Jobcenter Dresden").exists():
            self.stdout.write("Demo data is already there.")
            logins = [
                f"koordination, anna, jonas, leipzig, admin (password: {demo.DEMO_PASSWORD})",
            ]
        else:
            organizations, logins = demo.load()
            for app in OTHER_APPS:
                if importlib.util.find_spec(f"{app}.demo"):
                    logins += importlib.import_module(f"{app}.demo").load(organizations) or []
            if not User.objects.filter(username="admin").exists():
                User.objects.create_superuser("admin", "admin@example.org", demo.DEMO_PASSWORD)
            logins.append(f"Plattform-Admin (/admin/): admin / {demo.DEMO_PASSWORD}")
        self.stdout.write(self.style.SUCCESS("\nAktivA demo: http://127.0.0.1:8000"))
        for line in logins:
            self.stdout.write(f"  {line}")
        self.stdout.write("")
