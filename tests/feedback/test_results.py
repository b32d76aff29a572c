"""Figures on a hand-computed example, the n ≥ 3 rule and before/after pairing."""

from datetime import date

import pytest
from django.template.loader import render_to_string
from django.urls import reverse

from feedback import selectors, services
from feedback.documents import year_report_context
from feedback.models import FiguresRevision, Response
from tests.factories import run_with_sessions
from trainings.models import CourseRun, Session

from .factories import (
    FeedbackCodeFactory,
    course_questionnaire,
    submit_course,
    submit_who5,
)

pytestmark = pytest.mark.django_db


@pytest.fixture
def run(org):
    return run_with_sessions(org, first=date(2026, 3, 2), count=8)[0]


def test_means_distribution_and_recommend_share_on_a_hand_computed_example(run):
    # "lernen" answered 1, 2, 2, 5 → mean 10/4 = 2.5; distribution 1:1, 2:2, 5:1
    # recommend: yes, yes, yes, no → 3/4 = 75 %
    for value, recommend, helped in [
        (1, True, "Die Gruppe"),
        (2, True, ""),
        (2, True, "Alles"),
        (5, False, ""),
    ]:
        submit_course(
            FeedbackCodeFactory(run=run),
            scale={"lernen": value},
            recommend=recommend,
            helped=helped,
        )

    results = selectors.run_results(run)

    assert results.n == 4 and results.shown
    lernen = results.item("lernen")
    assert lernen.n == 4
    assert lernen.mean == pytest.approx(2.5)
    assert [(b.count, b.share) for b in lernen.bars] == [
        (1, 0.25),
        (2, 0.5),
        (0, 0),
        (0, 0),
        (1, 0.25),
    ]
    assert results.item("akzeptanz").mean == pytest.approx(3.0)
    assert results.recommend_share == pytest.approx(0.75)
    helped = next(t for t in results.texts if t.label == "Was geholfen hat")
    assert helped.answers == ["Alles", "Die Gruppe"]  # alphabetical, not as handed in


def test_who5_before_and_after_are_paired_by_code(run):
    a, b, c, d = (FeedbackCodeFactory(run=run) for _ in range(4))
    # before scores: a 40, b 60, c 48, d 80 (d has no "after")
    submit_who5(a, Response.Moment.BEFORE, [2, 2, 2, 2, 2])
    submit_who5(b, Response.Moment.BEFORE, [3, 3, 3, 3, 3])
    submit_who5(c, Response.Moment.BEFORE, [3, 3, 2, 2, 2])
    submit_who5(d, Response.Moment.BEFORE, [4, 4, 4, 4, 4])
    # after: a 72 (+32), b 56 (−4), c 68 (+20); e only after (ignored for pairs)
    submit_who5(a, Response.Moment.AFTER, [4, 4, 4, 3, 3])
    submit_who5(b, Response.Moment.AFTER, [3, 3, 3, 3, 2])
    submit_who5(c, Response.Moment.AFTER, [4, 4, 3, 3, 3])
    submit_who5(FeedbackCodeFactory(run=run), Response.Moment.AFTER, [0, 0, 1, 1, 1])  # 12

    w = selectors.run_results(run).wellbeing

    assert (w.n_before, w.n_after, w.n_pairs) == (4, 4, 3)
    assert w.mean_before == pytest.approx((40 + 60 + 48 + 80) / 4)  # 57
    assert w.mean_after == pytest.approx((72 + 56 + 68 + 12) / 4)  # 52
    assert w.mean_change == pytest.approx((32 - 4 + 20) / 3)  # 16
    assert w.share_improved == pytest.approx(2 / 3)
    assert w.share_low_before == pytest.approx(2 / 4)  # 40, 48 ≤ 50
    assert w.share_low_after == pytest.approx(1 / 4)  # 12
    assert w.before_shown and w.after_shown and w.pairs_shown


def test_results_are_withheld_below_three_answers(run):
    for value in (1, 2):
        submit_course(FeedbackCodeFactory(run=run), scale=value)
    code = FeedbackCodeFactory(run=run)
    submit_who5(code, Response.Moment.BEFORE, [1, 1, 1, 1, 1])
    submit_who5(code, Response.Moment.AFTER, [2, 2, 2, 2, 2])

    results = selectors.run_results(run)

    assert results.n == 2 and not results.shown
    assert not results.wellbeing.before_shown and not results.wellbeing.pairs_shown

    submit_course(FeedbackCodeFactory(run=run), scale=3)
    assert selectors.run_results(run).shown


def test_year_results_cover_the_runs_ending_in_the_year_and_compare_with_the_previous(
    org, other_org
):
    this_year = run_with_sessions(org, first=date(2026, 3, 2), count=8)[0]
    last_year = run_with_sessions(org, first=date(2025, 12, 29), count=8)[0]  # ends in January 2026
    older = run_with_sessions(org, first=date(2025, 5, 5), count=8)[0]
    foreign = run_with_sessions(other_org, first=date(2026, 3, 2), count=8)[0]
    for run, value in [
        (this_year, 1),
        (this_year, 2),
        (last_year, 3),
        (older, 4),
        (older, 4),
        (older, 4),
        (foreign, 5),
    ]:
        submit_course(FeedbackCodeFactory(run=run), scale=value)

    now = selectors.year_results(org, 2026)
    previous = selectors.year_results(org, 2025)

    assert now.n == 3 and now.item("lernen").mean == pytest.approx(2.0)
    assert previous.n == 3 and previous.item("lernen").mean == pytest.approx(4.0)
    row = next(c for c in selectors.compare(now, previous) if c.label == "Lernen")
    assert row.change == pytest.approx(-2.0)
    runs = selectors.year_runs(org, 2026)
    # satisfaction is withheld below three answers to that question
    assert [(r.run, r.n, r.satisfaction) for r in runs] == [
        (last_year, 1, None),
        (this_year, 2, None),
    ]
    assert not any(r.shown for r in runs)


def _course_answers(run, *, akzeptanz: int, lernen: int | None, recommend: int | None):
    """Course feedback on 'akzeptanz' and, optionally, 'lernen' and the recommendation."""
    questionnaire = course_questionnaire()
    by_key = {item.key: item for item in questionnaire.items.all()}
    answers = {by_key["akzeptanz"]: akzeptanz, by_key["lernen"]: lernen}
    answers[by_key[selectors.RECOMMEND_KEY]] = recommend
    services.response_submit(
        code=FeedbackCodeFactory(run=run),
        questionnaire=questionnaire,
        moment=Response.Moment.COURSE,
        answers=answers,
    )


@pytest.fixture
def one_answer_to_lernen(run):
    """Three answer sets; only one answers 'lernen' (5) and the recommendation (no)."""
    _course_answers(run, akzeptanz=1, lernen=5, recommend=0)
    _course_answers(run, akzeptanz=2, lernen=None, recommend=None)
    _course_answers(run, akzeptanz=3, lernen=None, recommend=None)
    return run


def test_a_question_with_fewer_than_three_answers_is_withheld(one_answer_to_lernen):
    results = selectors.run_results(one_answer_to_lernen)

    assert results.shown
    akzeptanz, lernen = results.item("akzeptanz"), results.item("lernen")
    assert akzeptanz.shown and akzeptanz.mean == pytest.approx(2.0)
    assert lernen.n == 1 and not lernen.shown
    assert lernen.mean is None and lernen.bars == []
    recommend = results.item(selectors.RECOMMEND_KEY)
    assert not recommend.shown and recommend.yes_share is None and recommend.bars == []
    assert results.recommend_share is None


def test_run_page_and_year_report_say_too_few_answers_per_question(
    one_answer_to_lernen, coordinator_client
):
    url = reverse("feedback:run_results", args=[one_answer_to_lernen.pk])
    html = coordinator_client.get(url).content.decode()
    assert "zu wenige Antworten" in html
    assert "Zu wenige Antworten (1)" in html  # the recommendation
    assert "100 %" not in html and "5,00" not in html

    context = year_report_context(one_answer_to_lernen.organization, 2026)
    lernen = next(row for row in context["comparison"] if row.label == "Lernen")
    assert lernen.now is None
    assert [row["label"] for row in context["distribution_chart"]["rows"]] == ["Akzeptanz"]
    report = coordinator_client.get(reverse("feedback:year_report_year", args=[2026]))
    assert "Zu wenige Antworten (1)" in report.content.decode()
    pdf_html = render_to_string("pdf/feedback/year_report.html", context)
    assert "5,00" not in pdf_html and "100 %" not in pdf_html


def test_free_texts_are_listed_alphabetically_not_in_the_order_handed_in(run):
    for helped in ("zuletzt", "Mitte", "am Anfang", "Mitte"):
        submit_course(FeedbackCodeFactory(run=run), helped=helped)

    helped = next(t for t in selectors.run_results(run).texts if t.label == "Was geholfen hat")

    assert helped.answers == ["am Anfang", "Mitte", "Mitte", "zuletzt"]


def test_runs_of_a_year_are_those_whose_last_held_session_lies_in_it(org, other_org):
    """The year's runs are found from the sessions: a cancelled session after the year does
    not move a run into the next year, a held one does; cancelled runs and other
    organizations' runs never count."""
    december = run_with_sessions(org, first=date(2025, 12, 1), count=4)[0]
    late = december.sessions.create(
        date=date(2026, 1, 8), start_time=december.sessions.first().start_time,
        end_time=december.sessions.first().end_time, is_cancelled=True,
    )  # fmt: skip
    spanning = run_with_sessions(org, first=date(2025, 12, 28), count=8)[0]  # into January
    called_off = run_with_sessions(org, first=date(2025, 6, 2), count=4)[0]
    called_off.status = called_off.Status.CANCELLED
    called_off.save()
    run_with_sessions(other_org, first=date(2025, 6, 2), count=4)

    assert selectors.run_ids_of_year(org, 2025) == [december.pk]
    assert selectors.run_ids_of_year(org, 2026) == [spanning.pk]
    late.is_cancelled = False
    late.save()
    assert selectors.run_ids_of_year(org, 2025) == []
    assert list(selectors.runs_of_year(org, 2026).order_by("pk")) == sorted(
        [december, spanning], key=lambda r: r.pk
    )


# --- the year's figures in the cache: never older than what they are made of ------------------


def _year(org):
    return selectors.year_results(org, 2026)


def test_year_figures_are_cached_and_recomputed_whenever_an_input_changes(
    org, other_org, run, django_assert_max_num_queries
):
    code = FeedbackCodeFactory(run=run)
    for value in (1, 2, 3):
        submit_course(FeedbackCodeFactory(run=run), scale=value)
    first = _year(org)
    assert first.n == 3 and first.item("lernen").mean == pytest.approx(2.0)
    with django_assert_max_num_queries(1):  # the organization's revision: nothing of the year
        assert _year(org).item("lernen").mean == pytest.approx(2.0)

    # a new answer set
    submit_course(FeedbackCodeFactory(run=run), scale=5)
    assert _year(org).n == 4 and _year(org).item("lernen").mean == pytest.approx(2.75)

    # a late "before" answer, and the first held day moving after it or back
    submit_who5(code, Response.Moment.BEFORE, [3, 3, 3, 3, 3], on=date(2026, 3, 4))
    assert _year(org).wellbeing.n_before_late == 1
    first_session = run.sessions.order_by("date").first()
    first_session.is_cancelled = True
    first_session.save()
    for session in run.sessions.filter(is_cancelled=False):
        session.date = date(2026, 3, 20) + (session.date - date(2026, 3, 3))
        session.save()
    assert _year(org).wellbeing.n_before_late == 0

    # a run leaving the year (its last session moves into the next one)
    last = run.sessions.order_by("date").last()
    last.date = date(2027, 1, 4)
    last.save()
    assert _year(org).n == 0

    # another organization's figures never come from this one's entry
    twin = run_with_sessions(other_org, first=date(2026, 3, 2), count=8)[0]
    for value in (4, 4, 4):
        submit_course(FeedbackCodeFactory(run=twin), scale=value)
    assert selectors.year_results(other_org, 2026).item("lernen").mean == pytest.approx(4.0)
    assert _year(org).n == 0


def test_a_deleted_answer_set_changes_the_figures(org, run):
    responses = [submit_course(FeedbackCodeFactory(run=run), scale=v) for v in (1, 2, 3, 5)]
    assert _year(org).item("lernen").mean == pytest.approx(2.75)
    responses[1].delete()  # neither the newest nor the only one
    assert _year(org).n == 3 and _year(org).item("lernen").mean == pytest.approx(3.0)


def test_year_figures_are_computed_when_the_cache_is_gone(org, run, cache_gone):
    for value in (1, 2, 3):
        submit_course(FeedbackCodeFactory(run=run), scale=value)

    assert _year(org).item("lernen").mean == pytest.approx(2.0)


def _revision(org) -> int:
    row = FiguresRevision.objects.filter(organization=org).first()
    return row.revision if row else 0


def test_every_change_to_runs_sessions_and_responses_raises_only_their_organizations_revision(
    org, other_org, run
):
    """The database raises it, whichever way a row changes: save(), update(), delete()."""
    twin = run_with_sessions(other_org, first=date(2026, 3, 2), count=2)[0]
    theirs = _revision(other_org)
    changes = [
        lambda: submit_course(FeedbackCodeFactory(run=run), scale=2),
        lambda: Response.objects.filter(code__run=run).delete(),
        lambda: CourseRun.objects.filter(pk=run.pk).update(title="Umbenannt"),
        lambda: Session.objects.filter(run=run).update(is_cancelled=True),
        lambda: run.sessions.first().delete(),
        lambda: run_with_sessions(org, first=date(2026, 5, 4), count=1),
    ]
    for change in changes:
        before = _revision(org)
        change()
        assert _revision(org) > before
    assert _revision(other_org) == theirs
    twin.delete()
    assert _revision(other_org) > theirs


def test_year_figures_follow_a_cancelled_run_and_a_cancelled_session(org, run):
    for value in (1, 2, 3):
        submit_course(FeedbackCodeFactory(run=run), scale=value)
    assert _year(org).n == 3
    CourseRun.objects.filter(pk=run.pk).update(status=CourseRun.Status.CANCELLED)
    assert _year(org).n == 0 and _year(org).run_ids == []
    CourseRun.objects.filter(pk=run.pk).update(status=CourseRun.Status.PLANNED)
    assert _year(org).n == 3
    # cancelling the sessions of the year leaves the run without a last day in it
    Session.objects.filter(run=run).update(is_cancelled=True)
    assert _year(org).n == 0


def test_year_runs_are_in_the_order_of_their_last_day_and_a_page_keeps_it(org):
    late = run_with_sessions(org, first=date(2026, 9, 7), count=2, title="Herbst")[0]
    early = run_with_sessions(org, first=date(2026, 2, 2), count=2, title="Winter")[0]
    results = _year(org)
    assert results.run_ids == [early.pk, late.pk]
    rows = selectors.year_runs(org, 2026, results=results, run_ids=[late.pk])
    assert [row.run.title for row in rows] == ["Herbst"]


def test_year_figures_keep_a_few_free_texts_and_year_texts_has_all(org, run):
    for i in range(8):
        submit_course(FeedbackCodeFactory(run=run), scale=2, helped=f"Antwort {7 - i}")
    preview = next(t for t in _year(org).texts if t.key == "geholfen")
    assert preview.n == 8 and preview.answers == [f"Antwort {i}" for i in range(5)]
    full = next(t for t in selectors.year_texts(org, 2026) if t.key == "geholfen")
    assert full.n == 8 and full.answers == [f"Antwort {i}" for i in range(8)]
    submit_course(FeedbackCodeFactory(run=run), scale=2, helped="Antwort 8")  # a new revision
    assert (
        "Antwort 8"
        in next(t for t in selectors.year_texts(org, 2026) if t.key == "geholfen").answers
    )
