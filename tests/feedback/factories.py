"""Factories and helpers for the feedback tests."""

import factory

from feedback import services
from feedback.defaults import COURSE_KEY, WHO5_KEY
from feedback.models import FeedbackCode, Questionnaire, Response
from tests.factories import CourseRunFactory


class FeedbackCodeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeedbackCode

    run = factory.SubFactory(CourseRunFactory)
    code = factory.LazyFunction(services.code_new)


def course_questionnaire() -> Questionnaire:
    return Questionnaire.objects.get(key=COURSE_KEY, is_current=True)


def who5_questionnaire() -> Questionnaire:
    return Questionnaire.objects.get(key=WHO5_KEY, is_current=True)


def submit_course(
    code: FeedbackCode, *, scale: int | dict = 1, recommend: bool = True, helped: str = "", on=None
):
    """Course feedback with every scale item at `scale` (or per key from a dict)."""
    questionnaire = course_questionnaire()
    answers = {}
    for item in questionnaire.items.all():
        if item.kind == "scale":
            answers[item] = scale.get(item.key, 3) if isinstance(scale, dict) else scale
        elif item.kind == "yes_no":
            answers[item] = 1 if recommend else 0
        elif item.key == "geholfen":
            answers[item] = helped
    return services.response_submit(
        code=code,
        questionnaire=questionnaire,
        moment=Response.Moment.COURSE,
        answers=answers,
        today=on,
    )


def submit_who5(code: FeedbackCode, moment: str, values: list[int], on=None):
    questionnaire = who5_questionnaire()
    items = list(questionnaire.items.order_by("position"))
    return services.response_submit(
        code=code,
        questionnaire=questionnaire,
        moment=moment,
        answers=dict(zip(items, values, strict=True)),
        today=on,
    )
