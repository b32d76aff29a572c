"""iCal: a trainer's private subscription, renewing its token, a run's .ics download."""

from datetime import date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from icalendar import Calendar

from aktiva.models import Membership
from trainings.models import Trainer

from ..factories import (
    CourseRunFactory,
    LocationFactory,
    MembershipFactory,
    SessionFactory,
    TrainerFactory,
    UserFactory,
    catalogue_module,
)

BERLIN = ZoneInfo("Europe/Berlin")


@pytest.fixture
def run(org, trainer):
    soon = timezone.localdate() + timedelta(days=7)
    room = LocationFactory(
        organization=org, name="Raum Elbe", street="Am Ufer 1", postal_code="01067"
    )
    run = CourseRunFactory(
        organization=org,
        title="AktivA Sommer",
        location=room,
        status="planned",
        trainers=[trainer, TrainerFactory(organization=org, first_name="Conny", last_name="Ko")],
    )
    SessionFactory(
        run=run,
        date=soon,
        start_time=time(9),
        end_time=time(12, 30),
        modules=[catalogue_module("aktivitaetenplanung")],
    )
    SessionFactory(run=run, date=soon + timedelta(days=1), is_cancelled=True)
    return run


def events(response):
    assert response["Content-Type"].startswith("text/calendar")
    calendar = Calendar.from_ical(response.content)
    return sorted(calendar.walk("VEVENT"), key=lambda e: e.decoded("dtstart"))


def feed_url(trainer):
    return reverse("trainings:ical_feed", args=[trainer.ical_token])


def test_feed_lists_the_trainers_sessions_without_login(anonymous_client, trainer, run, org):
    other = CourseRunFactory(organization=org, title="Nicht meiner")
    SessionFactory(run=other, date=timezone.localdate())
    response = anonymous_client.get(feed_url(trainer))
    assert response.status_code == 200
    held, cancelled = events(response)
    session = run.sessions.order_by("date").first()
    assert str(held["summary"]) == "AktivA: AktivA Sommer"
    assert held.decoded("dtstart") == datetime.combine(session.date, time(9), tzinfo=BERLIN)
    assert held["dtstart"].params["TZID"] == "Europe/Berlin"
    assert held.decoded("dtend").time() == time(12, 30)
    assert str(held["location"]) == "Raum Elbe, Am Ufer 1, 01067 Dresden"
    assert str(held["status"]) == "CONFIRMED" and str(cancelled["status"]) == "CANCELLED"
    assert "Aktivitätenplanung" in str(held["description"]) and "Conny Ko" in str(
        held["description"]
    )
    assert str(held["uid"]) == f"session-{session.pk}@127.0.0.1"
    assert b"BEGIN:VTIMEZONE" in response.content and b"Nicht meiner" not in response.content
    # the UID stays the same when the session moves
    session.date += timedelta(days=2)
    session.save()
    moved = {str(e["uid"]): e for e in events(anonymous_client.get(feed_url(trainer)))}
    assert moved[str(held["uid"])].decoded("dtstart").date() == session.date


def test_cancelled_run_gives_cancelled_events(anonymous_client, trainer, run):
    run.status = "cancelled"
    run.save()
    assert {str(e["status"]) for e in events(anonymous_client.get(feed_url(trainer)))} == {
        "CANCELLED"
    }


def test_unknown_token_and_inactive_trainer_get_404(anonymous_client, trainer):
    assert (
        anonymous_client.get(reverse("trainings:ical_feed", args=["gibt-es-nicht"])).status_code
        == 404
    )
    Trainer.objects.filter(pk=trainer.pk).update(is_active=False)
    assert anonymous_client.get(feed_url(trainer)).status_code == 404


def test_feed_queries_do_not_grow(anonymous_client, org, trainer, django_assert_max_num_queries):
    for _ in range(20):
        run = CourseRunFactory(
            organization=org, trainers=[trainer, TrainerFactory(organization=org)]
        )
        SessionFactory(run=run, date=timezone.localdate(), modules=[catalogue_module("bewegung")])
    with django_assert_max_num_queries(4):
        assert len(events(anonymous_client.get(feed_url(trainer)))) == 20


# --- renewing the token ---------------------------------------------------------------------------


def test_trainer_renews_own_token_and_old_url_stops_working(
    trainer_client, anonymous_client, trainer
):
    old_url = feed_url(trainer)
    response = trainer_client.post(
        reverse("trainings:ical_renew", args=[trainer.pk]),
        {"next": reverse("trainings:my_sessions")},
    )
    assert response.status_code == 302 and response.url == reverse("trainings:my_sessions")
    trainer.refresh_from_db()
    assert feed_url(trainer) != old_url
    assert anonymous_client.get(old_url).status_code == 404
    assert anonymous_client.get(feed_url(trainer)).status_code == 200


def test_coordinator_renews_a_trainers_token(coordinator_client, trainer):
    old = trainer.ical_token
    response = coordinator_client.post(
        reverse("trainings:ical_renew", args=[trainer.pk]), {"next": "https://evil.example/"}
    )
    assert response.status_code == 302 and response.url == trainer.get_absolute_url()
    trainer.refresh_from_db()
    assert trainer.ical_token != old


def test_trainer_cannot_renew_someone_elses_token(trainer_client, org):
    colleague = TrainerFactory(organization=org)
    old = colleague.ical_token
    assert (
        trainer_client.post(reverse("trainings:ical_renew", args=[colleague.pk])).status_code == 403
    )
    colleague.refresh_from_db()
    assert colleague.ical_token == old


def test_renew_other_organization_anonymous_and_get(
    outsider_client, anonymous_client, coordinator_client, trainer
):
    old = trainer.ical_token
    url = reverse("trainings:ical_renew", args=[trainer.pk])
    assert outsider_client.post(url).status_code == 404
    response = anonymous_client.post(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    assert coordinator_client.get(url).status_code == 405
    trainer.refresh_from_db()
    assert trainer.ical_token == old


def test_subscription_url_shown_on_my_sessions_and_trainer_page(
    trainer_client, coordinator_client, trainer
):
    assert (
        feed_url(trainer) in trainer_client.get(reverse("trainings:my_sessions")).content.decode()
    )
    assert feed_url(trainer) in coordinator_client.get(trainer.get_absolute_url()).content.decode()


# --- a run's download -----------------------------------------------------------------------------


def test_run_ics_for_members(coordinator_client, trainer_client, run):
    url = reverse("trainings:run_ics", args=[run.pk])
    for client in (coordinator_client, trainer_client):
        response = client.get(url)
        assert response.status_code == 200
        assert f'filename="aktiva-durchgang-{run.pk}.ics"' in response["Content-Disposition"]
        assert [str(e["status"]) for e in events(response)] == ["CONFIRMED", "CANCELLED"]


def test_draft_run_gives_tentative_events(coordinator_client, org):
    run = CourseRunFactory(organization=org)
    SessionFactory(run=run, date=date(2026, 12, 1))
    response = coordinator_client.get(reverse("trainings:run_ics", args=[run.pk]))
    assert [str(e["status"]) for e in events(response)] == ["TENTATIVE"]


def test_run_ics_other_organization_anonymous_and_no_membership(
    outsider_client, anonymous_client, run
):
    url = reverse("trainings:run_ics", args=[run.pk])
    assert outsider_client.get(url).status_code == 404
    response = anonymous_client.get(url)
    assert response.status_code == 302 and response.url.startswith(reverse("login"))
    client = Client()
    client.force_login(UserFactory())
    assert client.get(url).status_code == 403


def test_trainer_role_without_profile_sees_no_run_file(org, run):
    """Trainers reach only the runs they lead, the .ics download included."""
    user = UserFactory()
    MembershipFactory(user=user, organization=org, role=Membership.Role.TRAINER)
    client = Client()
    client.force_login(user)
    assert client.get(reverse("trainings:run_ics", args=[run.pk])).status_code == 404


def test_trainer_cannot_download_ics_of_a_run_they_do_not_lead(trainer_client, org):
    from ..factories import CourseRunFactory

    other = CourseRunFactory(organization=org)
    assert trainer_client.get(reverse("trainings:run_ics", args=[other.pk])).status_code == 404


def test_renewing_with_a_bare_word_as_next_goes_to_the_default_not_a_500(trainer_client, trainer):
    response = trainer_client.post(
        reverse("trainings:ical_renew", args=[trainer.pk]), {"next": "x"}
    )
    assert response.status_code == 302 and response["Location"] == reverse("trainings:my_sessions")
    response = trainer_client.post(
        reverse("trainings:ical_renew", args=[trainer.pk]), {"next": "/kalender/"}
    )
    assert response["Location"] == "/kalender/"
