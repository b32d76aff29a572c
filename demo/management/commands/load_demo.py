from django.contrib.auth.models import User
from django.core.management.base import BaseCommand
from django.db import transaction

from aktiva.models import Organization
from demo import feedback, participants, planning


class Command(BaseCommand):
    help = (
        "Loads demo data (two jobcenters, users, trainers, rooms, runs, participants, "
        "feedback) unless it is already there."
    )

    @transaction.atomic
    def handle(self, *args, **options):
        if Organization.objects.filter(name="Jobcenter Dresden").exists():
            self.stdout.write("Demo data is already there.")
            logins = [
                f"koordination, anna, jonas, leipzig, admin (password: {planning.DEMO_PASSWORD})",
            ]
        else:
            organizations, logins = planning.load()
            logins += participants.load(organizations) or []
            logins += feedback.load(organizations) or []
            if not User.objects.filter(username="admin").exists():
                User.objects.create_superuser("admin", "admin@example.org", planning.DEMO_PASSWORD)
            logins.append(f"Plattform-Admin (/admin/): admin / {planning.DEMO_PASSWORD}")
        self.stdout.write(self.style.SUCCESS("\nAktivA demo: http://127.0.0.1:8000"))
        for line in logins:
            self.stdout.write(f"  {line}")
        self.stdout.write("")
