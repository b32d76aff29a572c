"""My sessions shows the next weeks; "Weitere Termine anzeigen" widens the window."""

from datetime import timedelta

from django.urls import reverse
from django.utils import timezone

from ..factories import CourseRunFactory, SessionFactory


def test_my_sessions_shows_the_next_weeks_and_offers_more(trainer_client, org, trainer):
    today = timezone.localdate()
    run = CourseRunFactory(organization=org, title="Langer Lauf", trainers=[trainer])
    soon = SessionFactory(run=run, date=today + timedelta(weeks=3))
    later = SessionFactory(run=run, date=today + timedelta(weeks=10))
    url = reverse("trainings:my_sessions")

    response = trainer_client.get(url)
    assert [s.pk for s in response.context["upcoming"]] == [soon.pk]
    html = response.content.decode()
    assert "nächste 6 Wochen" in html and "Weitere Termine anzeigen" in html
    assert "?wochen=12" in html

    response = trainer_client.get(url + "?wochen=12")
    assert [s.pk for s in response.context["upcoming"]] == [soon.pk, later.pk]
    assert "Weitere Termine anzeigen" not in response.content.decode()

    for junk in ("abc", "-4", "0", "9" * 30):
        response = trainer_client.get(url + "?wochen=" + junk)
        assert response.status_code == 200 and response.context["weeks"] in (6, 156)


def test_my_sessions_says_when_the_weeks_are_empty_but_later_ones_exist(
    trainer_client, org, trainer
):
    run = CourseRunFactory(organization=org, trainers=[trainer])
    SessionFactory(run=run, date=timezone.localdate() + timedelta(weeks=20))
    html = trainer_client.get(reverse("trainings:my_sessions")).content.decode()
    assert "In diesen Wochen sind keine Termine für Sie geplant." in html
    assert "?wochen=12" in html


def test_my_sessions_window_in_english(trainer_client, org, trainer):
    run = CourseRunFactory(organization=org, trainers=[trainer])
    SessionFactory(run=run, date=timezone.localdate() + timedelta(weeks=20))
    trainer_client.post(reverse("set_language"), {"language": "en", "next": "/"})
    html = trainer_client.get(reverse("trainings:my_sessions")).content.decode()
    assert "next 6 weeks" in html and "Show more sessions" in html
