"""A grown database for the page benchmark: ten years of a large jobcenter and a few others.

    grow(scale=1.0, seed=10)   # on the database Django is connected to (PostgreSQL only)

At scale 1: about 8,800 runs (8 sessions, 15 places each) over ten years, 120,000
participants, 1,000,000 attendance rows, 50,000 feedback answer sets in the current year
(and a few in every other year), 200,000 audit log entries, in five organizations; most of
it in the demo's first jobcenter, so the demo logins see the grown data. The rows go in
with COPY, with ids taken from the sequences, so growing takes a few minutes. A marker
table records the scale and the seed: a second call with the same figures does nothing.

It grows on top of the demo data (`load_demo` first), which stays as it is: the pages the
benchmark opens (the demo's running run, its sessions, a demo participant) are the same at
both sizes.
"""

import json
import random
import time
from datetime import UTC, date, datetime, timedelta
from datetime import time as clock

from django.db import connection, transaction
from django.utils import timezone

from aktiva.models import Membership, Organization
from demo.participants import FIRST, LAST
from feedback import services as feedback_services
from feedback.models import Item, Response
from trainings.models import CourseRun, Location, Module, Trainer
from trainings.services import course_run_dates_refresh

MARKER = "benchmark_grown"
RUNS = 8_800
PARTICIPANTS = 120_000
PLACES = 15  # enrollments per run: 8,800 × 15 × 8 sessions, of them held and attended ≈ 1,010,000
SESSION_DAYS = (0, 1, 2, 3, 7, 8, 9, 10)  # two weeks, Monday to Thursday
YEAR_ANSWER_SETS = 52_000  # feedback answer sets in the current year
AUDIT_ENTRIES = 200_000
YEARS = 10
# Share of the runs per organization; the first is the demo's first jobcenter.
OTHERS = [
    ("Jobcenter Chemnitz", "SN", 0.06),
    ("Jobcenter Erzgebirgskreis", "SN", 0.04),
    ("Jobcenter Halle (Saale)", "ST", 0.04),
]
MAIN_SHARE = 0.82  # the rest goes to the demo's second jobcenter
CODE_ALPHABET = "ACEFGHJKMNPQRTUVWXY34679"


def grown_marker() -> dict | None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT to_regclass(%s)", [MARKER])
        if cursor.fetchone()[0] is None:
            return None
        cursor.execute(f"SELECT scale, seed FROM {MARKER}")
        row = cursor.fetchone()
    return {"scale": row[0], "seed": row[1]} if row else None


class Ids:
    """Primary keys handed out ahead of COPY; the sequences are moved past them afterwards."""

    def __init__(self, table: str):
        self.table = table
        with connection.cursor() as cursor:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {table}")
            self.next = cursor.fetchone()[0] + 1

    def take(self) -> int:
        value = self.next
        self.next += 1
        return value

    def settle(self) -> None:
        with connection.cursor() as cursor:
            cursor.execute(
                "SELECT setval(pg_get_serial_sequence(%s, 'id'), %s)", [self.table, self.next]
            )


def copy(table: str, columns: tuple[str, ...], rows) -> int:
    """COPY the rows in, without the revision triggers (`aktiva.revisions`): a million marks
    would raise their organization's revision a million times; `grow` raises every
    organization's once at the end. The foreign keys are still checked."""
    count = 0
    with connection.cursor() as cursor:
        # the keys checked at the end of each statement: ALTER TABLE refuses a table with
        # checks still pending
        cursor.execute("SET CONSTRAINTS ALL IMMEDIATE")
        cursor.execute(f"ALTER TABLE {table} DISABLE TRIGGER USER")
        sql = f"COPY {table} ({', '.join(columns)}) FROM STDIN"
        with cursor.cursor.copy(sql) as pipe:
            for row in rows:
                pipe.write_row(row)
                count += 1
        cursor.execute(f"ALTER TABLE {table} ENABLE TRIGGER USER")
    return count


def _raise_revisions() -> None:
    """What the triggers would have done: every organization's revisions raised, and the
    names the search looks up counted again."""
    from django.apps import apps

    from aktiva.models import OrganizationRevision
    from participants import search_names

    search_names.refill()

    with connection.cursor() as cursor:
        for model in apps.get_models():
            if issubclass(model, OrganizationRevision):
                table = model._meta.db_table
                cursor.execute(
                    f"INSERT INTO {table} (organization_id, revision)"
                    " SELECT id, 1 FROM aktiva_organization"
                    f" ON CONFLICT (organization_id) DO UPDATE SET revision = {table}.revision + 1"
                )


def _aware(day: date, hour: int = 10) -> datetime:
    return datetime(day.year, day.month, day.day, hour, tzinfo=UTC)


def _organizations(rng: random.Random, scale: float) -> list[tuple[Organization, int]]:
    main = Organization.objects.get(name="Jobcenter Dresden")
    second = Organization.objects.get(name="Jobcenter Leipzig")
    runs = max(4, round(RUNS * scale))
    shares = [(main, MAIN_SHARE)]
    for name, state, share in OTHERS:
        org, _ = Organization.objects.get_or_create(
            name=name, defaults={"federal_state": state, "city": name.split()[-1]}
        )
        shares.append((org, share))
    shares.append((second, 1 - MAIN_SHARE - sum(share for *_, share in OTHERS)))
    result = []
    for org, share in shares:
        count = max(1, round(runs * share))
        trainers = max(3, round(40 * share / MAIN_SHARE * min(1.0, scale * 20)))
        existing = Trainer.objects.filter(organization=org).count()
        Trainer.objects.bulk_create(
            Trainer(
                organization=org,
                first_name=rng.choice(FIRST),
                last_name=rng.choice(LAST),
                qualified_on=date(2015, 1, 1),
            )
            for _ in range(max(0, trainers - existing))
        )
        if not org.locations.exists() or org.locations.count() < 4:
            Location.objects.bulk_create(
                Location(
                    organization=org,
                    name=f"Raum {n}.{10 + n}",
                    street="Hauptstraße 1",
                    postal_code="01067",
                    city=org.city or "Dresden",
                    capacity=16,
                )
                for n in range(4)
            )
        result.append((org, count))
    return result


def grow(*, scale: float = 1.0, seed: int = 10, log=print) -> bool:
    """Grow the database once; False when it had already grown with these figures."""
    marker = grown_marker()
    if marker == {"scale": scale, "seed": seed}:
        return False
    if marker is not None:
        raise RuntimeError(
            f"The database grew with other figures ({marker}); use a fresh database (--rebuild)."
        )
    started = time.perf_counter()
    rng = random.Random(seed)
    today = timezone.localdate()
    first_day = today.replace(year=today.year - YEARS)
    core = list(
        Module.objects.filter(organization=None, kind=Module.Kind.CORE).order_by("position")
    )
    with transaction.atomic():
        plan = _organizations(rng, scale)
        runs_ids, sessions_ids = Ids("trainings_courserun"), Ids("trainings_session")
        people_ids, places_ids = Ids("participants_participant"), Ids("participants_enrollment")
        marks_ids, codes_ids = Ids("participants_attendance"), Ids("feedback_feedbackcode")
        responses_ids = Ids("feedback_response")
        runs, run_trainers, run_modules, sessions, session_modules = [], [], [], [], []
        people, places, marks = [], [], []
        feedback_runs = []  # (run id, org, held days) of completed runs
        participants_total = max(PLACES + 1, round(PARTICIPANTS * scale))
        total_runs = sum(count for _, count in plan)
        for org, count in plan:
            trainers = list(Trainer.objects.filter(organization=org).values_list("id", flat=True))
            locations = list(org.locations.values_list("id", flat=True))
            own_people = max(PLACES + 1, round(participants_total * count / total_runs))
            prefix = "".join(c for c in org.name.split()[-1] if c.isalpha())[:2].upper()
            person_ids = []
            for i in range(own_people):
                pid = people_ids.take()
                person_ids.append(pid)
                created = _aware(first_day + timedelta(days=rng.randrange(YEARS * 365)))
                people.append(
                    (
                        pid,
                        org.pk,
                        rng.choice(FIRST),
                        rng.choice(LAST),
                        f"{prefix}{i + 100_000:07d}",
                        "",
                        "",
                        created.date(),
                        "",
                        created,
                        created,
                    )
                )
            span = (today + timedelta(days=60) - first_day).days
            place = 0
            for n in range(count):
                start = first_day + timedelta(days=span * n // count)
                start -= timedelta(days=start.weekday())  # a Monday
                days = [start + timedelta(days=d) for d in SESSION_DAYS]
                cancelled = rng.random() < 0.03
                if cancelled:
                    status = CourseRun.Status.CANCELLED
                elif days[-1] < today:
                    status = CourseRun.Status.COMPLETED
                elif days[0] <= today:
                    status = CourseRun.Status.RUNNING
                else:
                    status = CourseRun.Status.PLANNED
                rid = runs_ids.take()
                created = _aware(start - timedelta(days=30))
                runs.append(
                    (
                        rid,
                        org.pk,
                        f"AktivA {start:%Y} Nr. {n + 1}",
                        rng.choice(locations),
                        PLACES,
                        8,
                        status,
                        "",
                        "Absage: zu wenige Anmeldungen" if cancelled else "",
                        created,
                        created,
                    )
                )
                for trainer in rng.sample(trainers, 2):
                    run_trainers.append((rid, trainer))
                for module in core:
                    run_modules.append((rid, module.pk))
                held = []
                for index, day in enumerate(days):
                    sid = sessions_ids.take()
                    sessions.append((sid, rid, day, clock(9), clock(12, 30), None, False, ""))
                    session_modules.append((sid, core[index * len(core) // len(days)].pk))
                    if day <= today and not cancelled:
                        held.append(sid)
                if status == CourseRun.Status.COMPLETED:
                    feedback_runs.append((rid, org, days))
                for _place in range(PLACES):
                    person = person_ids[place % len(person_ids)]
                    place += 1
                    eid = places_ids.take()
                    roll = rng.random()
                    if cancelled:
                        state = "withdrawn"
                    elif roll < 0.06:
                        state = "dropped_out"
                    elif status == CourseRun.Status.COMPLETED:
                        state = "completed"
                    else:
                        state = "enrolled"
                    places.append(
                        (
                            eid,
                            rid,
                            person,
                            state,
                            None,
                            None,
                            created if state == "withdrawn" else None,
                            "enrolled" if state == "withdrawn" else "",
                            "",
                            created,
                        )
                    )
                    if state == "withdrawn":
                        continue
                    reliability = rng.choice((1.0, 1.0, 0.95, 0.9, 0.6))
                    for sid in held:
                        r = rng.random()
                        if r < reliability:
                            mark = "late" if r > reliability - 0.05 else "present"
                        else:
                            mark = rng.choice(("excused", "absent"))
                        reason = ""
                        if mark == "excused":
                            reason = rng.choice(("important", "sick_note"))
                        marks.append((marks_ids.take(), eid, sid, mark, reason, created, created))
        log(f"  generated {len(runs)} runs, {len(people)} people in {_since(started)}")
        copy(
            "participants_participant",
            (
                "id",
                "organization_id",
                "first_name",
                "last_name",
                "customer_number",
                "email",
                "phone",
                "consent_on",
                "note",
                "created_at",
                "updated_at",
            ),
            people,
        )
        copy(
            "trainings_courserun",
            (
                "id",
                "organization_id",
                "title",
                "location_id",
                "capacity",
                "min_participants",
                "status",
                "notes",
                "cancellation_reason",
                "created_at",
                "updated_at",
            ),
            runs,
        )
        copy("trainings_courserun_trainers", ("courserun_id", "trainer_id"), run_trainers)
        copy("trainings_courserun_modules", ("courserun_id", "module_id"), run_modules)
        copy(
            "trainings_session",
            (
                "id",
                "run_id",
                "date",
                "start_time",
                "end_time",
                "location_id",
                "is_cancelled",
                "note",
            ),
            sessions,
        )
        copy("trainings_session_modules", ("session_id", "module_id"), session_modules)
        # COPY passes by the services: the runs' stored first and last days as they would
        course_run_dates_refresh(run_ids=[run[0] for run in runs])
        copy(
            "participants_enrollment",
            (
                "id",
                "run_id",
                "participant_id",
                "status",
                "waiting_since",
                "promoted_at",
                "withdrawn_at",
                "withdrawn_from",
                "withdrawal_reason",
                "created_at",
            ),
            places,
        )
        copy(
            "participants_attendance",
            (
                "id",
                "enrollment_id",
                "session_id",
                "status",
                "excuse_reason",
                "updated_at",
                "marked_at",
            ),
            marks,
        )
        log(f"  copied {len(marks)} attendance rows in {_since(started)}")
        answer_sets = _feedback(rng, feedback_runs, today, scale, codes_ids, responses_ids)
        audit = _audit(rng, plan[0][0], scale, first_day, today)
        _raise_revisions()
        for ids in (runs_ids, sessions_ids, people_ids, places_ids, marks_ids, codes_ids):
            ids.settle()
        responses_ids.settle()
        with connection.cursor() as cursor:
            cursor.execute(f"CREATE TABLE IF NOT EXISTS {MARKER} (scale float, seed int)")
            cursor.execute(f"INSERT INTO {MARKER} VALUES (%s, %s)", [scale, seed])
    with connection.cursor() as cursor:
        # VACUUM too (outside a transaction): index-only scans need the visibility map.
        cursor.execute("ANALYZE" if connection.in_atomic_block else "VACUUM ANALYZE")
    log(
        f"  grown in {_since(started)}: {len(runs)} runs, {len(people)} participants, "
        f"{len(marks)} attendance rows, {answer_sets} feedback answer sets, "
        f"{audit} audit entries, {len(plan)} organizations"
    )
    return True


def _feedback(rng, feedback_runs, today, scale, codes_ids, responses_ids) -> int:
    """Dense answers in the current year (YEAR_ANSWER_SETS), a few per run in the others."""
    this_year = [r for r in feedback_runs if r[2][-1].year == today.year]
    per_run = -(-round(YEAR_ANSWER_SETS * scale) // max(1, len(this_year) * 3))
    items, questionnaires = {}, {}
    answers_ids = Ids("feedback_answer")
    used = set()
    codes, responses, answers = [], [], []
    for rid, org, days in feedback_runs:
        if org.pk not in questionnaires:
            questionnaires[org.pk] = {
                moment: feedback_services.questionnaire_for(organization=org, moment=moment)
                for moment in Response.Moment.values
            }
            for q in questionnaires[org.pk].values():
                items[q.pk] = list(q.items.all())
        dense = days[-1].year == today.year
        for _ in range(per_run if dense else 2):
            code = "".join(rng.choice(CODE_ALPHABET) for _ in range(9))
            while code in used:
                code = "".join(rng.choice(CODE_ALPHABET) for _ in range(9))
            used.add(code)
            cid = codes_ids.take()
            codes.append((cid, rid, code, days[0]))
            moments = Response.Moment.values if dense else [Response.Moment.COURSE]
            for moment in moments:
                q = questionnaires[org.pk][moment]
                response_id = responses_ids.take()
                values = []
                for item in items[q.pk]:
                    if item.kind == Item.Kind.TEXT:
                        if rng.random() < 0.2:
                            text = rng.choice(
                                ("Der Austausch in der Gruppe.", "Mehr Pausen bitte.")
                            )
                            answers.append((answers_ids.take(), response_id, item.pk, None, text))
                        continue
                    if item.kind == Item.Kind.WHO5:
                        value = rng.randint(0, 5)
                        values.append(value)
                    elif item.kind == Item.Kind.SCALE:
                        value = rng.randint(1, 5)
                    elif item.kind == Item.Kind.YES_NO:
                        value = rng.randint(0, 1)
                    else:
                        value = rng.randrange(max(1, len(item.choices)))
                    answers.append((answers_ids.take(), response_id, item.pk, value, ""))
                day = days[0] if moment == Response.Moment.BEFORE else days[-1]
                score = sum(values) * 4 if q.purpose == q.Purpose.WELLBEING else None
                responses.append((response_id, cid, q.pk, moment, day, score))
    copy("feedback_feedbackcode", ("id", "run_id", "code", "created_on"), codes)
    copy(
        "feedback_response",
        ("id", "code_id", "questionnaire_id", "moment", "submitted_on", "score"),
        responses,
    )
    copy("feedback_answer", ("id", "response_id", "item_id", "value", "text"), answers)
    answers_ids.settle()
    return sum(1 for r in responses if r[4].year == today.year)


def _audit(rng, org, scale, first_day, today) -> int:
    users = list(Membership.objects.filter(organization=org).values_list("user_id", flat=True)) or [
        None
    ]
    ids = Ids("aktiva_auditlogentry")
    count = round(AUDIT_ENTRIES * scale)
    span = (today - first_day).days * 86_400
    rows = (
        (
            ids.take(),
            org.pk,
            rng.choice(users),
            rng.choice(("view", "view", "view", "change", "export")),
            "participants.participant",
            str(rng.randrange(1, 100_000)),
            "",
            json.dumps({}),
            datetime.combine(first_day, clock(7), tzinfo=UTC)
            + timedelta(seconds=span * n // max(1, count)),
        )
        for n in range(count)
    )
    written = copy(
        "aktiva_auditlogentry",
        (
            "id",
            "organization_id",
            "user_id",
            "action",
            "object_type",
            "object_id",
            "object_repr",
            "details",
            "created_at",
        ),
        rows,
    )
    ids.settle()
    return written


def _since(started: float) -> str:
    return f"{time.perf_counter() - started:.0f} s"
