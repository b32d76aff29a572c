"""Business rules of the feedback app: codes, submitting answers, editing questionnaires."""

import secrets
from dataclasses import dataclass
from datetime import date, timedelta

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Max, Q
from django.utils import timezone
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from aktiva import addresses
from aktiva.models import Organization
from trainings import headcount
from trainings.models import CourseRun

from .models import Answer, FeedbackCode, Item, Questionnaire, Response

# Codes are typed from paper by people not used to keyboards: no character has a
# look-alike in the alphabet (no 0/O/D-confusion digits, no 1/I/L, no B/8, S/5, Z/2).
CODE_ALPHABET = "34679ACEFGHJKMNPQRTUVWXY"
CODE_LENGTH = 9  # printed as three groups of three: ACE-FGH-JKM
OLD_CODE_LENGTH = 8  # codes made before (31 characters, in two groups of four)
# Why guessing stays hopeless: 24**9 ≈ 2.6e12 codes (41 bits). An installation has perhaps
# 1e5 valid ones, so one guess in 26 million hits; the wrong-code limit
# (feedback/throttle.py) allows about a thousand guesses a day from one address.
# Codes made before the alphabet lost B, S, Z, 2, 5, 8 are still found when a person types
# the other one of a look-alike pair (see `code_candidates`).
LOOK_ALIKES = ["B8", "S5", "Z2"]
SPARE_CODES = 3
MAX_CODES_PER_BATCH = 60


def public_url(path: str = "", *, base: str = "") -> str:
    """The address people type or scan to give feedback (printed on slips and pages);
    `base` is the address of the request (`aktiva.addresses`)."""
    return addresses.public_url(path, base=base)


def code_valid_days() -> int:
    """How many days after the run's last session the codes keep working."""
    return settings.AKTIVA_FEEDBACK_CODE_VALID_DAYS


def code_normalize(raw: str) -> str:
    """What a person typed, as stored: upper case, without spaces and dashes."""
    return "".join(ch for ch in raw.upper() if ch.isalnum())


def code_candidates(value: str) -> set[str]:
    """The stored codes a typed one may mean: each character of a look-alike pair may
    stand for the other (at most 2**8 candidates, one query)."""
    candidates = {""}
    for ch in value:
        pair = next((p for p in LOOK_ALIKES if ch in p), ch)
        candidates = {c + alternative for c in candidates for alternative in pair}
    return candidates


def code_new() -> str:
    return "".join(secrets.choice(CODE_ALPHABET) for _ in range(CODE_LENGTH))


def default_code_count(run: CourseRun) -> int:
    """One per enrolled participant plus a few spare; the run's places while nobody is enrolled."""
    return min((headcount.enrolled_count(run) or run.capacity) + SPARE_CODES, MAX_CODES_PER_BATCH)


@transaction.atomic
def feedback_codes_generate(*, run: CourseRun, count: int) -> list[FeedbackCode]:
    """Add `count` new random codes to the run."""
    if not 1 <= count <= MAX_CODES_PER_BATCH:
        raise ValidationError(
            {
                "count": _("Bitte eine Anzahl zwischen 1 und %(max)s angeben.")
                % {"max": MAX_CODES_PER_BATCH}
            }
        )
    if run.status == CourseRun.Status.CANCELLED:
        raise ValidationError(_("Für einen abgesagten Durchgang gibt es keine Feedback-Codes."))
    candidates: set[str] = set()
    while len(candidates) < count:
        candidates.add(code_new())
        if len(candidates) == count:
            # A collision with an existing code is astronomically rare; draw again if it happens.
            candidates -= set(
                FeedbackCode.objects.filter(code__in=candidates).values_list("code", flat=True)
            )
    codes = [FeedbackCode(run=run, code=value) for value in sorted(candidates)]
    return FeedbackCode.objects.bulk_create(codes)


@dataclass(frozen=True)
class RunDates:
    first: date | None
    last: date | None
    second: date | None = None  # the second held session: "before" stays open until then


def run_dates(run: CourseRun) -> RunDates:
    dated = CourseRun.objects.with_dates().values("first_date", "last_date").get(pk=run.pk)
    second = (
        run.sessions.filter(is_cancelled=False, date__gt=dated["first_date"])
        .order_by("date")
        .values_list("date", flat=True)
        .first()
        if dated["first_date"]
        else None
    )
    return RunDates(first=dated["first_date"], last=dated["last_date"], second=second)


def code_expires_on(dates: RunDates) -> date | None:
    """The last day a code works; None while the run has no dates yet."""
    if dates.last is None:
        return None
    return dates.last + timedelta(days=code_valid_days())


class CodeError(Exception):
    """A typed code that does not open a form; the message is meant for the participant."""


def code_open(*, code: str, today: date | None = None) -> tuple[FeedbackCode, RunDates]:
    """The feedback code with its run, if it currently opens forms. Raises CodeError."""
    today = today or timezone.localdate()
    value = code_normalize(code)
    found = (
        list(
            FeedbackCode.objects.select_related("run", "run__organization").filter(
                code__in=code_candidates(value)
            )
        )
        if len(value) in (CODE_LENGTH, OLD_CODE_LENGTH)
        else []
    )
    # the code as typed wins; otherwise one look-alike reading, if only one exists
    exact = [c for c in found if c.code == value]
    feedback_code = exact[0] if exact else (found[0] if len(found) == 1 else None)
    if feedback_code is None:
        raise CodeError(
            _("Diesen Code kennen wir nicht. Bitte prüfen Sie die Schreibweise auf Ihrem Zettel.")
        )
    if feedback_code.run.status == CourseRun.Status.CANCELLED:
        raise CodeError(_("Dieser Kurs wurde abgesagt. Der Code gilt nicht mehr."))
    dates = run_dates(feedback_code.run)
    expires_on = code_expires_on(dates)
    if expires_on is not None and today > expires_on:
        raise CodeError(
            _("Dieser Code ist abgelaufen: Rückmeldungen waren bis zum %(date)s möglich.")
            % {"date": date_format(expires_on, "SHORT_DATE_FORMAT")}
        )
    return feedback_code, dates


def moments_open(dates: RunDates, today: date) -> list[str]:
    """Up to the end of the second held session's day: the well-being form "before" (so
    that someone who joins on the second day, moved up from the waiting list, can still
    answer it); from the last session on: the well-being form "after" and the course
    feedback; in between nothing. The same code opens both, so the two well-being answers
    can be paired without knowing who anyone is."""
    if dates.last is None:
        return [Response.Moment.BEFORE]
    if today >= dates.last:
        return [Response.Moment.AFTER, Response.Moment.COURSE]
    if today <= (dates.second or dates.first):
        return [Response.Moment.BEFORE]
    return []


def questionnaire_for(*, organization: Organization, moment: str) -> Questionnaire:
    """The questionnaire new answers of this moment are given under: the organization's own
    active one, or else the shipped one."""
    purpose = (
        Questionnaire.Purpose.COURSE
        if moment == Response.Moment.COURSE
        else Questionnaire.Purpose.WELLBEING
    )
    candidates = Questionnaire.objects.filter(purpose=purpose).filter(
        Q(organization=organization, is_active=True) | Q(organization__isnull=True, is_current=True)
    )
    found = sorted(candidates, key=lambda q: q.organization_id is None)
    return found[0]


class AlreadySubmitted(Exception):
    pass


def who5_score(values: list[int]) -> int:
    """WHO-5: raw score 0–25 times four gives 0–100."""
    return sum(values) * 4


@transaction.atomic
def response_submit(
    *,
    code: FeedbackCode,
    questionnaire: Questionnaire,
    moment: str,
    answers: dict[Item, int | str | None],
    today: date | None = None,
) -> Response:
    """Store one answer set. A second one for the same code and moment raises AlreadySubmitted,
    also when two submits race (the unique constraint decides)."""
    score = None
    if questionnaire.purpose == Questionnaire.Purpose.WELLBEING:
        values = [v for item, v in answers.items() if item.kind == Item.Kind.WHO5]
        score = who5_score([int(v) for v in values if v is not None])
    response = Response(
        code=code,
        questionnaire=questionnaire,
        moment=moment,
        submitted_on=today or timezone.localdate(),
        score=score,
    )
    response.full_clean(exclude=["code", "questionnaire"], validate_constraints=False)
    try:
        with transaction.atomic():
            response.save()
    except IntegrityError as exc:
        raise AlreadySubmitted from exc
    rows = []
    for item, value in answers.items():
        if value is None or value == "":
            continue
        answer = Answer(response=response, item=item)
        if item.kind == Item.Kind.TEXT:
            answer.text = str(value).strip()
        else:
            answer.value = int(value)
        answer.clean_fields(exclude=["response", "item"])
        rows.append(answer)
    Answer.objects.bulk_create(rows)
    return response


def response_exists(*, code: FeedbackCode, moment: str) -> bool:
    return Response.objects.filter(code=code, moment=moment).exists()


# Questionnaire editor ------------------------------------------------------------------------


@transaction.atomic
def questionnaire_create(
    *, organization: Organization, title: str, intro: str = ""
) -> Questionnaire:
    questionnaire = Questionnaire(
        organization=organization,
        purpose=Questionnaire.Purpose.COURSE,
        title=title,
        intro=intro,
    )
    questionnaire.full_clean()
    questionnaire.save()
    return questionnaire


def _editable(questionnaire: Questionnaire) -> Questionnaire:
    """The version that may be changed: the questionnaire itself while nobody answered it,
    else a new version with copies of its items (past answers keep their wording)."""
    if questionnaire.is_shipped:
        raise ValidationError(_("Mitgelieferte Fragebögen können nicht geändert werden."))
    locked = Questionnaire.objects.select_for_update().get(pk=questionnaire.pk)
    if not locked.is_current:
        raise ValidationError(
            _("Diese Version ist veraltet; bitte die aktuelle Version bearbeiten.")
        )
    if not locked.responses.exists():
        return locked
    was_active = locked.is_active
    Questionnaire.objects.filter(pk=locked.pk).update(is_current=False, is_active=False)
    new = Questionnaire.objects.create(
        organization=locked.organization,
        key=locked.key,
        version=locked.version + 1,
        is_current=True,
        is_active=was_active,
        purpose=locked.purpose,
        title=locked.title,
        intro=locked.intro,
    )
    _copy_items(source=locked, target=new)
    return new


def _copy_items(*, source: Questionnaire, target: Questionnaire) -> None:
    fields = ["key", "position", "kind", "text", "label", "choices", "required"]
    Item.objects.bulk_create(
        Item(questionnaire=target, **{f: getattr(item, f) for f in fields})
        for item in source.items.all()
    )


@transaction.atomic
def questionnaire_copy(
    *, questionnaire: Questionnaire, organization: Organization
) -> Questionnaire:
    """An own, editable copy (e.g. of the shipped course questionnaire). Item keys are kept,
    so the year report compares the copied questions with earlier answers."""
    if questionnaire.purpose != Questionnaire.Purpose.COURSE:
        raise ValidationError(
            _("Der WHO-5-Fragebogen ist ein geprüftes Instrument und wird nicht verändert.")
        )
    copy = Questionnaire.objects.create(
        organization=organization,
        purpose=questionnaire.purpose,
        title=_("%(title)s (eigene Fassung)") % {"title": questionnaire.title},
        intro=questionnaire.intro,
    )
    _copy_items(source=questionnaire, target=copy)
    return copy


@transaction.atomic
def questionnaire_update(*, questionnaire: Questionnaire, title: str, intro: str) -> Questionnaire:
    version = _editable(questionnaire)
    version.title = title
    version.intro = intro
    version.full_clean()
    version.save(update_fields=["title", "intro"])
    return version


def _clean_choices(kind: str, choices: list[str]) -> list[str]:
    choices = [c.strip() for c in choices if c.strip()]
    if kind == Item.Kind.CHOICE and len(choices) < 2:
        raise ValidationError(
            {"choices": _("Bitte mindestens zwei Antwortmöglichkeiten angeben, eine pro Zeile.")}
        )
    return choices if kind == Item.Kind.CHOICE else []


@transaction.atomic
def item_save(
    *,
    questionnaire: Questionnaire,
    item_key: str | None,
    kind: str,
    text: str,
    label: str = "",
    choices: list[str] | None = None,
    required: bool = True,
) -> Item:
    """Add a question (item_key None) or change the one with that key, in the editable version."""
    if kind == Item.Kind.WHO5:
        raise ValidationError(
            {"kind": _("WHO-5-Fragen gibt es nur im mitgelieferten WHO-5-Fragebogen.")}
        )
    version = _editable(questionnaire)
    if item_key is None:
        last = version.items.aggregate(m=Max("position"))["m"] or 0
        item = Item(questionnaire=version, key=f"frage-{secrets.token_hex(4)}", position=last + 1)
    else:
        item = version.items.get(key=item_key)
    item.kind = kind
    item.text = text
    item.label = label
    item.choices = _clean_choices(kind, choices or [])
    item.required = required
    item.full_clean()
    item.save()
    return item


@transaction.atomic
def item_delete(*, questionnaire: Questionnaire, item_key: str) -> Questionnaire:
    version = _editable(questionnaire)
    version.items.filter(key=item_key).delete()
    return version


@transaction.atomic
def item_move(*, questionnaire: Questionnaire, item_key: str, up: bool) -> Questionnaire:
    version = _editable(questionnaire)
    items = list(version.items.order_by("position", "pk"))
    index = next(i for i, item in enumerate(items) if item.key == item_key)
    other = index - 1 if up else index + 1
    if 0 <= other < len(items):
        items[index], items[other] = items[other], items[index]
    for position, item in enumerate(items, start=1):
        item.position = position
    Item.objects.bulk_update(items, ["position"])
    return version


@transaction.atomic
def questionnaire_activate(*, questionnaire: Questionnaire) -> Questionnaire:
    """Use this questionnaire for new course feedback of its organization."""
    if questionnaire.is_shipped or not questionnaire.is_current:
        raise ValidationError(
            _("Nur die aktuelle Version eines eigenen Fragebogens kann verwendet werden.")
        )
    if not questionnaire.items.exists():
        raise ValidationError(_("Ein Fragebogen ohne Fragen kann nicht verwendet werden."))
    Questionnaire.objects.filter(
        organization=questionnaire.organization, purpose=questionnaire.purpose, is_active=True
    ).update(is_active=False)
    Questionnaire.objects.filter(pk=questionnaire.pk).update(is_active=True)
    questionnaire.is_active = True
    return questionnaire


@transaction.atomic
def questionnaire_use_default(*, organization: Organization) -> None:
    """Go back to the shipped course questionnaire."""
    Questionnaire.objects.filter(
        organization=organization, purpose=Questionnaire.Purpose.COURSE, is_active=True
    ).update(is_active=False)
