"""Reading results: per run and per organization and year.

Every function runs a fixed number of queries, whatever the number of answers.
Figures are shown only where at least MIN_ANSWERS answers exist, so that no
single answer can be recognised.
"""

import hashlib
from collections import defaultdict
from dataclasses import dataclass, field
from datetime import date
from statistics import mean

from django.db.models import Count, Exists, OuterRef, QuerySet, Subquery
from django.urls import reverse
from django.utils.translation import get_language, gettext_lazy

from aktiva import revisions
from aktiva.models import Organization
from trainings.models import CourseRun, Session

from . import services
from .models import Answer, FiguresRevision, Item, Questionnaire, Response

MIN_ANSWERS = 3
WHO5_CUTOFF = 50  # a WHO-5 score at or below 50 suggests poor well-being
RECOMMEND_KEY = "weiterempfehlen"
SATISFACTION_KEY = "zufriedenheit"


def _share(part: int, whole: int) -> float | None:
    return part / whole if whole else None


@dataclass
class Bar:
    label: str
    count: int
    share: float  # 0–1


@dataclass
class ItemResult:
    key: str
    kind: str
    label: str
    text: str
    n: int = 0
    mean: float | None = None
    bars: list[Bar] = field(default_factory=list)
    yes_share: float | None = None

    @property
    def shown(self) -> bool:
        """Each question on its own needs MIN_ANSWERS answers: optional questions, or those
        only in a newer version, may have far fewer than the form as a whole."""
        return self.n >= MIN_ANSWERS


@dataclass
class TextResult:
    label: str
    text: str
    answers: list[str]  # alphabetical; a year's figures keep only the first TEXTS_PREVIEW
    key: str = ""
    n: int = 0  # the number of answers


@dataclass
class Wellbeing:
    n_before: int
    n_after: int
    n_pairs: int
    mean_before: float | None
    mean_after: float | None
    mean_change: float | None
    share_improved: float | None
    share_low_before: float | None
    share_low_after: float | None
    # "before" forms answered after the first held session (late joiners may still answer)
    n_before_late: int = 0

    @property
    def before_shown(self) -> bool:
        return self.n_before >= MIN_ANSWERS

    @property
    def after_shown(self) -> bool:
        return self.n_after >= MIN_ANSWERS

    @property
    def pairs_shown(self) -> bool:
        return self.n_pairs >= MIN_ANSWERS


@dataclass
class Results:
    n: int
    items: list[ItemResult]
    texts: list[TextResult]
    wellbeing: Wellbeing
    # Set for a year's figures: the runs they cover and the cache key of all they are
    # made of (see year_results); what is computed from them can be cached under it.
    run_ids: list[int] = field(default_factory=list)
    key: str = ""

    @property
    def shown(self) -> bool:
        return self.n >= MIN_ANSWERS

    @property
    def scale_items(self) -> list[ItemResult]:
        return [i for i in self.items if i.kind == Item.Kind.SCALE]

    @property
    def other_items(self) -> list[ItemResult]:
        return [i for i in self.items if i.kind in (Item.Kind.YES_NO, Item.Kind.CHOICE)]

    @property
    def recommend_share(self) -> float | None:
        return next((i.yes_share for i in self.items if i.key == RECOMMEND_KEY), None)

    def item(self, key: str) -> ItemResult | None:
        return next((i for i in self.items if i.key == key), None)


SCALE_LABELS = {
    1: gettext_lazy("stimme voll und ganz zu"),
    2: gettext_lazy("stimme eher zu"),
    3: gettext_lazy("teils, teils"),
    4: gettext_lazy("stimme eher nicht zu"),
    5: gettext_lazy("stimme überhaupt nicht zu"),
}
YES_NO_LABELS = {1: gettext_lazy("ja"), 0: gettext_lazy("nein")}


def _items_by_key(questionnaires: QuerySet) -> dict[str, Item]:
    """One entry per item key, worded as in the newest version that has answers."""
    items: dict[str, Item] = {}
    rows = Item.objects.filter(questionnaire__in=questionnaires).select_related("questionnaire")
    for item in rows.order_by("-questionnaire__version", "questionnaire_id", "position"):
        items.setdefault(item.key, item)
    return dict(sorted(items.items(), key=lambda kv: kv[1].position))


def _wellbeing(responses: QuerySet) -> Wellbeing:
    rows = responses.filter(
        moment__in=[Response.Moment.BEFORE, Response.Moment.AFTER], score__isnull=False
    ).values_list("code_id", "moment", "score")
    before: dict[int, int] = {}
    after: dict[int, int] = {}
    for code_id, moment, score in rows:
        (before if moment == Response.Moment.BEFORE else after)[code_id] = score
    changes = [after[c] - before[c] for c in before.keys() & after.keys()]
    first_held = (
        Session.objects.filter(run=OuterRef("code__run"), is_cancelled=False)
        .order_by("date")
        .values("date")[:1]
    )
    late = responses.filter(moment=Response.Moment.BEFORE, submitted_on__gt=Subquery(first_held))
    return Wellbeing(
        n_before_late=late.count() if before else 0,
        n_before=len(before),
        n_after=len(after),
        n_pairs=len(changes),
        mean_before=mean(before.values()) if before else None,
        mean_after=mean(after.values()) if after else None,
        mean_change=mean(changes) if changes else None,
        share_improved=_share(sum(1 for c in changes if c > 0), len(changes)),
        share_low_before=_share(sum(1 for s in before.values() if s <= WHO5_CUTOFF), len(before)),
        share_low_after=_share(sum(1 for s in after.values() if s <= WHO5_CUTOFF), len(after)),
    )


def results_for(responses: QuerySet) -> Results:
    """All figures over a set of responses (of one run, or of an organization's year)."""
    course = responses.filter(moment=Response.Moment.COURSE)
    n = course.count()
    items = _items_by_key(Questionnaire.objects.filter(responses__in=course).distinct())
    counts: dict[str, dict[int, int]] = defaultdict(dict)
    answers = Answer.objects.filter(response__in=course)
    for key, value, number in (
        answers.exclude(item__kind=Item.Kind.TEXT)
        .values_list("item__key", "value")
        .annotate(number=Count("id"))
        .order_by()
    ):
        counts[key][value] = number
    texts = _free_texts(answers)

    results: list[ItemResult] = []
    text_results: list[TextResult] = []
    for key, item in items.items():
        if item.kind == Item.Kind.TEXT:
            answers_of_item = texts.get(key, [])
            text_results.append(
                TextResult(
                    item.display_label,
                    item.display_text,
                    answers_of_item,
                    key,
                    len(answers_of_item),
                )
            )
            continue
        by_value = counts.get(key, {})
        total = sum(by_value.values())
        result = ItemResult(
            key=key, kind=item.kind, label=item.display_label, text=item.display_text, n=total
        )
        if item.kind == Item.Kind.SCALE:
            values = range(1, 6)
            labels = SCALE_LABELS
            if total:
                result.mean = sum(v * c for v, c in by_value.items()) / total
        elif item.kind == Item.Kind.YES_NO:
            values = (1, 0)
            labels = YES_NO_LABELS
            result.yes_share = _share(by_value.get(1, 0), total)
        else:
            values = range(len(item.choices))
            labels = dict(enumerate(item.choices))
        result.bars = [
            Bar(labels.get(v, str(v)), by_value.get(v, 0), _share(by_value.get(v, 0), total) or 0)
            for v in values
        ]
        if not result.shown:
            result.mean = result.yes_share = None
            result.bars = []
        results.append(result)
    return Results(n=n, items=results, texts=text_results, wellbeing=_wellbeing(responses))


def _free_texts(answers: QuerySet) -> dict[str, list[str]]:
    """The free-text answers per item key, in alphabetical order: not in the order handed in,
    which would tell when someone answered."""
    texts: dict[str, list[str]] = defaultdict(list)
    for key, text in (
        answers.filter(item__kind=Item.Kind.TEXT)
        .exclude(text="")
        .values_list("item__key", "text")
        .order_by()
    ):
        texts[key].append(text)
    for answers_of_item in texts.values():
        answers_of_item.sort(key=lambda t: (t.casefold(), t))
    return texts


def run_results(run: CourseRun) -> Results:
    return results_for(Response.objects.filter(code__run=run))


def run_ids_of_year(organization: Organization, year: int) -> list[int]:
    """Ids of the organization's runs (not cancelled) whose last held session lies in the
    year: those with a held session in the year and none after it. Both parts read the
    session date and run indexes; grouping every session of every year to find each run's
    last day cost half a second with ten years of runs, in every query that used it."""
    held = Session.objects.filter(run__organization=organization, is_cancelled=False).exclude(
        run__status=CourseRun.Status.CANCELLED
    )
    end = date(year, 12, 31)
    later = Session.objects.filter(run_id=OuterRef("run_id"), is_cancelled=False, date__gt=end)
    return list(
        held.filter(date__gte=date(year, 1, 1), date__lte=end)
        .exclude(Exists(later))
        .order_by("run_id")
        .values_list("run_id", flat=True)
        .distinct()
    )


def runs_of_year(organization: Organization, year: int) -> QuerySet:
    """Runs of the organization whose last held session lies in the year, with their dates."""
    return CourseRun.objects.filter(pk__in=run_ids_of_year(organization, year)).with_dates()


def year_results(organization: Organization, year: int) -> Results:
    """The organization's figures of a year, kept in the cache under a key made of all they
    are computed from, so that a changed input never finds old figures: the organization's
    id and FiguresRevision (raised by database triggers with every change to its runs, their
    sessions and the responses to their codes, in the same transaction), the year, the
    language (the labels are translated when computed) and which database it is. One small
    query instead of aggregating every answer of the year; a questionnaire version is frozen
    once answered, so its wording cannot change under the figures."""
    key = hashlib.sha256(
        repr((_database_and_revision(organization), organization.pk, year, get_language())).encode()
    ).hexdigest()
    results = remembered(f"feedback:year:{key}", lambda: _year_results(organization, year))
    results.key = key
    return results


def _year_results(organization: Organization, year: int) -> Results:
    runs = list(
        CourseRun.objects.filter(pk__in=run_ids_of_year(organization, year))
        .with_dates()
        .order_by("last_date", "pk")
        .values_list("pk", flat=True)
    )
    results = results_for(Response.objects.filter(code__run__in=runs))
    results.run_ids = runs  # in the order of the runs table: by last day
    # A year has thousands of free-text answers: the figures, read by every view of the
    # report, keep a few of each question; all of them are in `year_texts`.
    for text in results.texts:
        text.answers = text.answers[:TEXTS_PREVIEW]
    return results


TEXTS_PREVIEW = 5


def year_texts(organization: Organization, year: int, results: Results | None = None):
    """Every free-text answer of the year's figures, per question (TextResult), cached under
    their key; none below MIN_ANSWERS answer sets."""
    if results is None:
        results = year_results(organization, year)
    if not results.shown:
        return []

    def compute() -> dict[str, list[str]]:
        course = Response.objects.filter(
            code__run__in=results.run_ids, moment=Response.Moment.COURSE
        )
        return dict(_free_texts(Answer.objects.filter(response__in=course)))

    answers = remembered(f"feedback:year-texts:{results.key}", compute)
    return [TextResult(t.label, t.text, answers.get(t.key, []), t.key, t.n) for t in results.texts]


# A year's figures stay in the shared cache this long at most (they are recomputed earlier
# whenever what they are made of changes; see year_results).
RESULTS_CACHE_SECONDS = 7 * 24 * 3600


def _database_and_revision(organization: Organization) -> tuple:
    return revisions.database_and_revisions(organization.pk, FiguresRevision)


def remembered(key: str, compute):
    """`aktiva.revisions.remembered` for the figures (fails open without Redis)."""
    return revisions.remembered(key, compute, RESULTS_CACHE_SECONDS)


@dataclass
class RunRow:
    run: CourseRun
    n: int
    n_before: int
    n_after: int
    satisfaction: float | None

    @property
    def shown(self) -> bool:
        return self.n >= MIN_ANSWERS


def year_runs(
    organization: Organization,
    year: int,
    results: Results | None = None,
    *,
    run_ids: list[int] | None = None,
) -> list[RunRow]:
    """The runs of a year (or those of `run_ids` among them: a page of the runs table) by
    their last day, with their numbers of answers and mean overall satisfaction. The numbers
    are cached under the key of the year's `results` (they come from the same responses)."""
    if results is None:
        results = year_results(organization, year)
    if run_ids is None:
        run_ids = results.run_ids
    runs = {r.pk: r for r in CourseRun.objects.filter(pk__in=run_ids).with_dates()}
    numbers = remembered(f"feedback:year-runs:{results.key}", lambda: _run_numbers(results.run_ids))
    return [RunRow(run=runs[pk], **numbers.get(pk, _NO_NUMBERS)) for pk in run_ids if pk in runs]


_NO_NUMBERS = {"n": 0, "n_before": 0, "n_after": 0, "satisfaction": None}


def _run_numbers(run_ids: list[int]) -> dict[int, dict]:
    # One grouped query for the numbers of answers: counting them as annotations joined
    # every run's sessions with its codes and their responses.
    numbers: dict[int, dict[str, int]] = defaultdict(dict)
    for run_id, moment, number in (
        Response.objects.filter(code__run__in=run_ids)
        .values_list("code__run_id", "moment")
        .annotate(number=Count("id"))
        .order_by()
    ):
        numbers[run_id][moment] = number
    satisfaction: dict[int, list[int]] = defaultdict(list)
    for run_id, value in Answer.objects.filter(
        item__key=SATISFACTION_KEY,
        response__moment=Response.Moment.COURSE,
        response__code__run__in=run_ids,
    ).values_list("response__code__run_id", "value"):
        satisfaction[run_id].append(value)
    return {
        run_id: {
            "n": numbers[run_id].get(Response.Moment.COURSE, 0),
            "n_before": numbers[run_id].get(Response.Moment.BEFORE, 0),
            "n_after": numbers[run_id].get(Response.Moment.AFTER, 0),
            "satisfaction": mean(satisfaction[run_id])
            if len(satisfaction[run_id]) >= MIN_ANSWERS
            else None,
        }
        for run_id in run_ids
    }


@dataclass
class Comparison:
    label: str
    text: str
    now: float | None
    before: float | None

    @property
    def change(self) -> float | None:
        if self.now is None or self.before is None:
            return None
        return self.now - self.before


def compare(now: Results, previous: Results) -> list[Comparison]:
    """Scale means of this year next to the previous year's, item by item."""
    rows = []
    for item in now.scale_items:
        old = previous.item(item.key)
        rows.append(
            Comparison(
                item.label,
                item.text,
                item.mean if now.shown else None,
                old.mean if old and previous.shown else None,
            )
        )
    return rows


def codes_page(run: CourseRun, *, base_url: str = "") -> dict:
    """A run's feedback codes: how many, how many used, until when they work."""
    codes = run.feedback_codes.all()
    return {
        "run": run,
        "code_count": codes.count(),
        "used_count": codes.filter(responses__isnull=False).distinct().count(),
        "expires_on": services.code_expires_on(services.run_dates(run)),
        "start_url": services.public_url(reverse("feedback:public_start"), base=base_url),
    }


def questionnaire_page(questionnaire: Questionnaire) -> dict:
    """A questionnaire version with its items, whether it can be edited, and its versions."""
    return {
        "questionnaire": questionnaire,
        "items": questionnaire.items.order_by("position", "pk"),
        "has_responses": questionnaire.responses.exists(),
        "editable": not questionnaire.is_shipped and questionnaire.is_current,
        "versions": Questionnaire.objects.filter(key=questionnaire.key).order_by("-version"),
    }
