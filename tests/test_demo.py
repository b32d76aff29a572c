from io import StringIO

from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from aktiva.models import Organization
from tests.conftest import login
from trainings.models import CourseRun, Session, Trainer


def test_load_demo_builds_two_jobcenters_that_do_not_see_each_other(db):
    out = StringIO()
    call_command("load_demo", stdout=out)
    assert "koordination / aktiva-demo" in out.getvalue()
    dresden = Organization.objects.get(name="Jobcenter Dresden")
    assert Organization.objects.filter(name="Jobcenter Leipzig").exists()

    today = timezone.localdate()
    runs = CourseRun.objects.for_organization(dresden).with_dates()
    assert any(r.last_date and r.last_date < today for r in runs)  # in the past
    assert any(r.first_date and r.first_date <= today <= r.last_date for r in runs)  # now
    assert any(r.first_date and r.first_date > today for r in runs)  # in the future
    assert Trainer.objects.for_organization(dresden).assignable().count() >= 2
    assert Trainer.objects.for_organization(dresden).filter(qualified_on__isnull=True).exists()

    client = Client()
    assert login(client, "leipzig", "aktiva-demo")
    listing = client.get(reverse("trainings:run_list")).content.decode()
    assert "AktivA Gruppe B" not in listing and "AktivA Leipzig" in listing
    dresden_run = runs.first()
    assert client.get(reverse("trainings:run_detail", args=[dresden_run.pk])).status_code == 404

    # a second call leaves the data as it is
    count = Session.objects.count()
    call_command("load_demo", stdout=StringIO())
    assert (
        Session.objects.count() == count
        and Organization.objects.filter(name="Jobcenter Dresden").count() == 1
    )


def test_demo_logins_work_for_every_role(db):
    call_command("load_demo", stdout=StringIO())
    client = Client()
    for username in ("koordination", "anna", "jonas", "leipzig"):
        assert login(client, username, "aktiva-demo")
        assert client.get(reverse("dashboard")).status_code == 200
        client.logout()


def test_the_demo_prints_a_feedback_code_whose_form_is_open_today(db):
    import re

    out = StringIO()
    call_command("load_demo", stdout=out)
    line = next(x for x in out.getvalue().splitlines() if "Feedback-Formular" in x)
    assert "heute offen:" in line
    path = re.search(r"(/f/[A-Z0-9]+/)", line).group(1)
    page = Client().get(path).content.decode()
    assert "jetzt ausfüllen" in page
