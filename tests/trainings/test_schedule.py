from datetime import date, time

import pytest
from django.core.exceptions import ValidationError

from trainings import services
from trainings.models import Module

from ..factories import CourseRunFactory, OrganizationFactory, catalogue_module

CORE = ["aktivitaetenplanung", "konstruktives-denken", "soziale-kompetenz", "problemloesen"]


def core_modules():
    return [catalogue_module(code) for code in CORE]


def test_catalogue_ships_core_modules_in_curriculum_order(db):
    core = Module.objects.filter(organization=None, kind=Module.Kind.CORE).order_by("position")
    assert [m.code for m in core] == CORE
    addons = set(
        Module.objects.filter(organization=None)
        .exclude(kind=Module.Kind.CORE)
        .values_list("code", flat=True)
    )
    assert addons == {"bewegung", "ernaehrung", "entspannung", "sgb-workshop"}


def test_eight_sessions_mon_to_thu_spread_core_modules_two_each(db):
    run = CourseRunFactory(organization=OrganizationFactory(federal_state="BE"))
    # Monday 2 March 2026, no holidays in the two weeks.
    result = services.schedule_generate(
        run=run,
        start=date(2026, 3, 2),
        weekdays=[0, 1, 2, 3],
        start_time=time(9),
        end_time=time(12, 30),
        count=8,
        modules=list(reversed(core_modules())),
    )
    dates = [s.date for s in result.sessions]
    assert dates == [date(2026, 3, d) for d in (2, 3, 4, 5, 9, 10, 11, 12)]
    assert result.skipped == []
    codes = [[m.code for m in s.modules.all()] for s in result.sessions]
    assert codes == [[c] for c in CORE for _ in range(2)]
    assert all(s.teaching_units == 4 for s in result.sessions)
    assert set(run.modules.values_list("code", flat=True)) == set(CORE)


def test_generator_skips_state_holidays_and_names_them(db):
    # Buß- und Bettag (18 Nov 2026) is a holiday in Saxony only.
    saxony = CourseRunFactory(organization=OrganizationFactory(federal_state="SN"))
    result = services.schedule_generate(
        run=saxony,
        start=date(2026, 11, 16),
        weekdays=[0, 1, 2, 3],
        start_time=time(9),
        end_time=time(12),
        count=4,
        modules=core_modules(),
    )
    assert [s.date.day for s in result.sessions] == [16, 17, 19, 23]
    assert result.skipped == [(date(2026, 11, 18), "Buß- und Bettag")]

    berlin = CourseRunFactory(organization=OrganizationFactory(federal_state="BE"))
    result = services.schedule_generate(
        run=berlin,
        start=date(2026, 11, 16),
        weekdays=[0, 1, 2, 3],
        start_time=time(9),
        end_time=time(12),
        count=4,
        modules=core_modules(),
    )
    assert [s.date.day for s in result.sessions] == [16, 17, 18, 19]


def test_generator_skips_easter_and_respects_weekdays(db):
    run = CourseRunFactory(organization=OrganizationFactory(federal_state="NW"))
    # Tuesdays and Thursdays from 31 March 2026: Good Friday/Easter Monday are not Tue/Thu,
    # but 14 May 2026 (Ascension, Thursday) is.
    result = services.schedule_generate(
        run=run,
        start=date(2026, 5, 5),
        weekdays=[1, 3],
        start_time=time(9),
        end_time=time(15),
        count=4,
        modules=core_modules(),
    )
    assert [s.date for s in result.sessions] == [
        date(2026, 5, 5),
        date(2026, 5, 7),
        date(2026, 5, 12),
        date(2026, 5, 19),
    ]
    assert [d for d, _ in result.skipped] == [date(2026, 5, 14)]
    assert all(s.teaching_units == 8 for s in result.sessions)


def test_more_modules_than_sessions_puts_several_in_one_session(db):
    run = CourseRunFactory(organization=OrganizationFactory(federal_state="BE"))
    modules = core_modules() + [catalogue_module("entspannung"), catalogue_module("bewegung")]
    result = services.schedule_generate(
        run=run,
        start=date(2026, 3, 2),
        weekdays=[0, 1, 2, 3, 4],
        start_time=time(9),
        end_time=time(15),
        count=3,
        modules=modules,
    )
    covered = [[m.code for m in s.modules.order_by("position")] for s in result.sessions]
    assert covered == [CORE[:2], CORE[2:4], ["bewegung", "entspannung"]]


def test_spread_modules_keeps_curriculum_order():
    class M:
        def __init__(self, pos):
            self.position, self.name = pos, str(pos)

    spread = services.spread_modules([M(4), M(1), M(3), M(2)], 6)
    assert [[m.position for m in s] for s in spread] == [[1], [1], [2], [3], [3], [4]]


@pytest.mark.parametrize(
    "kwargs, field",
    [
        ({"weekdays": []}, "weekdays"),
        ({"end_time": time(8)}, "end_time"),
        ({"count": 0}, "count"),
    ],
)
def test_generator_rejects_bad_input(db, kwargs, field):
    run = CourseRunFactory()
    args = dict(
        run=run,
        start=date(2026, 3, 2),
        weekdays=[0],
        start_time=time(9),
        end_time=time(12),
        count=2,
        modules=[],
    )
    args.update(kwargs)
    with pytest.raises(ValidationError) as error:
        services.schedule_generate(**args)
    assert field in error.value.message_dict
    assert run.sessions.count() == 0
