"""Demo feedback: codes for the runs, answers for past runs (this year and last year)."""

import random
from datetime import date, time, timedelta

from django.urls import reverse
from django.utils import timezone

from aktiva.addresses import public_url
from aktiva.models import Organization
from feedback import services
from feedback.models import FeedbackCode, Response
from trainings.models import CourseRun, Session
from trainings.services import course_run_dates_refresh

HELPED = [
    "Die Wochenplanung mit angenehmen Aktivitäten.",
    "Dass ich nicht allein bin mit meiner Situation.",
    "Tolle Maßnahme!",
    "Positiv überraschend trotz Zweifeln!",
    "Das ABC-Modell hat mir die Augen geöffnet.",
    "Der Austausch in der Gruppe.",
]
IMPROVE = [
    "Mehr Pausen bitte.",
    "Der Raum war im Sommer zu warm.",
    "Gerne noch einen Folgetermin nach ein paar Wochen.",
    "",
]


def _past_run(organization: Organization, title: str, start: date) -> CourseRun:
    run = CourseRun.objects.create(
        organization=organization,
        title=title,
        status=CourseRun.Status.COMPLETED,
        location=organization.locations.first(),
    )
    run.trainers.set(organization.trainers.filter(qualified_on__isnull=False)[:2])
    for offset in (0, 1, 2, 3, 7, 8, 9, 10):
        Session.objects.create(
            run=run, date=start + timedelta(days=offset), start_time=time(9), end_time=time(12, 30)
        )
    course_run_dates_refresh(run_ids=[run.pk])
    return run


def _answers(
    rng: random.Random, run: CourseRun, first: date, last: date, *, finished: bool
) -> None:
    codes = services.feedback_codes_generate(
        run=run, count=min(run.capacity, 12) + services.SPARE_CODES
    )
    before_q = services.questionnaire_for(
        organization=run.organization, moment=Response.Moment.BEFORE
    )
    course_q = services.questionnaire_for(
        organization=run.organization, moment=Response.Moment.COURSE
    )
    who5_items = list(before_q.items.order_by("position"))
    course_items = list(course_q.items.order_by("position"))
    for code in codes[: rng.randint(9, 11)]:
        before = [max(0, min(5, round(rng.gauss(2.2, 1)))) for _ in who5_items]
        services.response_submit(
            code=code,
            questionnaire=before_q,
            moment=Response.Moment.BEFORE,
            answers=dict(zip(who5_items, before, strict=True)),
            today=first,
        )
        if not finished or rng.random() < 0.15:
            continue
        after = [max(0, min(5, v + rng.choice([-1, 0, 1, 1, 1, 2]))) for v in before]
        services.response_submit(
            code=code,
            questionnaire=before_q,
            moment=Response.Moment.AFTER,
            answers=dict(zip(who5_items, after, strict=True)),
            today=last,
        )
        answers = {}
        for item in course_items:
            if item.kind == "scale":
                answers[item] = rng.choice(
                    [1, 1, 1, 2, 2, 2, 3, 4] if item.key != "interesse" else [1, 2, 3, 3, 4, 5]
                )
            elif item.kind == "yes_no":
                answers[item] = 1 if rng.random() < 0.9 else 0
            elif item.kind == "text":
                answers[item] = (
                    rng.choice(HELPED if item.key == "geholfen" else IMPROVE)
                    if rng.random() < 0.6
                    else ""
                )
        services.response_submit(
            code=code,
            questionnaire=course_q,
            moment=Response.Moment.COURSE,
            answers=answers,
            today=last,
        )


def load(organizations: list) -> list[str]:
    if not organizations:
        return []
    rng = random.Random(4)
    today = timezone.localdate()
    main = organizations[0]
    _past_run(main, f"AktivA Frühjahr {today.year - 1}", date(today.year - 1, 3, 2))
    _past_run(main, f"AktivA Herbst {today.year - 1}", date(today.year - 1, 9, 7))
    runs = list(
        CourseRun.objects.filter(organization__in=organizations)
        .exclude(status=CourseRun.Status.CANCELLED)
        .with_dates()
        .filter(first_date__lte=today)
    )
    for run in runs:
        _answers(rng, run, run.first_date, run.last_date, finished=run.last_date <= today)
    return [_open_code_line(main, today)]


def _open_code_line(organization, today) -> str:
    """A code whose form is open on the day the demo is loaded, and which form it opens:
    a run that has not started yet (the well-being form "before") or one that ended
    recently (the forms "after")."""
    for run in (
        CourseRun.objects.filter(organization=organization)
        .exclude(status=CourseRun.Status.CANCELLED)
        .with_dates()
        .order_by("-first_date")
    ):
        moments = services.moments_open(services.run_dates(run), today)
        if not moments:
            continue
        spare = FeedbackCode.objects.filter(run=run, responses__isnull=True).first()
        spare = spare or services.feedback_codes_generate(run=run, count=1)[0]
        url = public_url(reverse("feedback:public_code", args=[spare.code]))
        forms = ", ".join(str(Response.Moment(m).label) for m in moments)
        return (
            f"Feedback-Formular ({run.title}, heute offen: {forms}): {url}  (Code {spare.display})"
        )
    return "Feedback-Formular: heute ist bei keinem Durchgang ein Fragebogen an der Reihe."
