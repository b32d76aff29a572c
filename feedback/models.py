"""Questionnaires, feedback codes and anonymous answers.

Anonymous by construction: nothing here refers to a participant, and a response
keeps only its code (handed out at random on paper), the questionnaire version it
was given under and the day it was submitted: no IP address, no user agent, no time.
"""

import uuid

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext
from django.utils.translation import gettext_lazy as _

from aktiva.models import Organization, OrganizationRevision
from trainings.models import CourseRun


def _in_reader_language(text: str) -> str:
    """The shipped questionnaires' texts are in the catalogue (feedback/defaults.py), so they
    come out in the reader's language; a text an organization typed has no entry and stays
    as typed. (gettext("") would answer the catalogue's header.)"""
    return gettext(text) if text else text


class QuestionnaireQuerySet(models.QuerySet):
    def for_organization(self, organization: Organization):
        """The shipped questionnaires and the organization's own ones."""
        return self.filter(Q(organization__isnull=True) | Q(organization=organization))

    def current(self):
        return self.filter(is_current=True)


class Questionnaire(models.Model):
    """One version of a questionnaire. Versions of the same questionnaire share `key`.

    A version that has responses is never edited: a change makes a new version, so
    past answers keep the wording they were given under.
    """

    class Purpose(models.TextChoices):
        COURSE = "course", _("Rückmeldung zum Kurs")
        WELLBEING = "wellbeing", _("Wohlbefinden (WHO-5)")

    organization = models.ForeignKey(
        Organization,
        null=True,
        blank=True,
        on_delete=models.CASCADE,
        related_name="questionnaires",
    )
    key = models.UUIDField(default=uuid.uuid4, editable=False)
    version = models.PositiveSmallIntegerField(default=1)
    is_current = models.BooleanField(default=True)
    is_active = models.BooleanField(
        _("wird verwendet"),
        default=False,
        help_text=_("Neue Rückmeldungen der Organisation werden mit diesem Fragebogen erfasst."),
    )
    purpose = models.CharField(
        _("Zweck"), max_length=10, choices=Purpose.choices, default=Purpose.COURSE
    )
    title = models.CharField(_("Titel"), max_length=200)
    intro = models.TextField(
        _("Einleitung"), blank=True, help_text=_("Wird über den Fragen angezeigt.")
    )
    created_at = models.DateTimeField(auto_now_add=True)

    objects = QuestionnaireQuerySet.as_manager()

    class Meta:
        verbose_name = _("Fragebogen")
        verbose_name_plural = _("Fragebögen")
        ordering = ["organization_id", "title", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["key", "version"], name="questionnaire_key_version"),
            models.UniqueConstraint(
                fields=["key"], condition=Q(is_current=True), name="questionnaire_one_current"
            ),
            models.UniqueConstraint(
                fields=["organization", "purpose"],
                condition=Q(is_active=True),
                name="questionnaire_one_active_per_purpose",
            ),
            models.CheckConstraint(
                condition=Q(is_active=False) | Q(is_current=True),
                name="questionnaire_active_is_current",
            ),
        ]

    def __str__(self) -> str:
        if self.version > 1:
            return f"{self.display_title} (Version {self.version})"
        return self.display_title

    @property
    def display_title(self) -> str:
        return _in_reader_language(self.title)

    @property
    def display_intro(self) -> str:
        return _in_reader_language(self.intro)

    @property
    def is_shipped(self) -> bool:
        return self.organization_id is None


class Item(models.Model):
    """A question. `key` stays the same across versions so results can be compared."""

    class Kind(models.TextChoices):
        SCALE = "scale", _("Zustimmung (1–5)")
        YES_NO = "yes_no", _("Ja / Nein")
        CHOICE = "choice", _("Auswahl (eine Antwort)")
        TEXT = "text", _("Freitext")
        WHO5 = "who5", _("WHO-5 (0–5)")

    questionnaire = models.ForeignKey(Questionnaire, on_delete=models.CASCADE, related_name="items")
    key = models.SlugField(max_length=50)
    position = models.PositiveSmallIntegerField(_("Reihenfolge"))
    kind = models.CharField(_("Art"), max_length=10, choices=Kind.choices, default=Kind.SCALE)
    text = models.CharField(_("Frage / Aussage"), max_length=300)
    label = models.CharField(
        _("Kurzname"), max_length=50, blank=True, help_text=_("Für Auswertungen, z. B. „Lernen“.")
    )
    choices = models.JSONField(
        _("Antwortmöglichkeiten"), default=list, blank=True, help_text=_("Nur für „Auswahl“.")
    )
    required = models.BooleanField(_("Pflichtfrage"), default=True)

    class Meta:
        verbose_name = _("Frage")
        verbose_name_plural = _("Fragen")
        ordering = ["questionnaire", "position", "pk"]
        constraints = [
            models.UniqueConstraint(
                fields=["questionnaire", "key"], name="item_key_per_questionnaire"
            ),
        ]

    def __str__(self) -> str:
        return self.display_text

    @property
    def short_label(self) -> str:
        return self.label or self.text

    @property
    def display_text(self) -> str:
        return _in_reader_language(self.text)

    @property
    def display_label(self) -> str:
        """The short label in the reader's language (the text where there is none)."""
        return _in_reader_language(self.label) or self.display_text


class FeedbackCodeQuerySet(models.QuerySet):
    def for_organization(self, organization: Organization):
        return self.filter(run__organization=organization)


class FeedbackCode(models.Model):
    """A short code on a paper slip. Handed out at random, never linked to a person."""

    run = models.ForeignKey(CourseRun, on_delete=models.CASCADE, related_name="feedback_codes")
    code = models.CharField(max_length=16, unique=True)
    created_on = models.DateField(auto_now_add=True)

    objects = FeedbackCodeQuerySet.as_manager()

    class Meta:
        verbose_name = _("Feedback-Code")
        verbose_name_plural = _("Feedback-Codes")
        ordering = ["run", "pk"]

    def __str__(self) -> str:
        return self.display

    @property
    def display(self) -> str:
        """Grouped for reading aloud and typing: ACE-FGH-JKM (older codes: ABCD-EFGH)."""
        size = 3 if len(self.code) % 3 == 0 else 4
        return "-".join(self.code[i : i + size] for i in range(0, len(self.code), size))


class Response(models.Model):
    """One filled-in questionnaire. At most one per code and moment (enforced by the database)."""

    class Moment(models.TextChoices):
        BEFORE = "before", _("vor dem Kurs")
        AFTER = "after", _("nach dem Kurs")
        COURSE = "course", _("Rückmeldung zum Kurs")

    code = models.ForeignKey(FeedbackCode, on_delete=models.CASCADE, related_name="responses")
    questionnaire = models.ForeignKey(
        Questionnaire, on_delete=models.PROTECT, related_name="responses"
    )
    moment = models.CharField(max_length=10, choices=Moment.choices)
    submitted_on = models.DateField()
    # WHO-5 raw score × 4 (0–100); empty for other questionnaires.
    score = models.PositiveSmallIntegerField(null=True, blank=True)

    class Meta:
        verbose_name = _("Rückmeldung")
        verbose_name_plural = _("Rückmeldungen")
        ordering = ["pk"]
        constraints = [
            models.UniqueConstraint(fields=["code", "moment"], name="response_one_per_code_moment"),
            models.CheckConstraint(
                condition=Q(score__isnull=True) | Q(score__lte=100), name="response_score_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_moment_display()} #{self.pk}"


class Answer(models.Model):
    response = models.ForeignKey(Response, on_delete=models.CASCADE, related_name="answers")
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="answers")
    # scale 1–5, WHO-5 0–5, yes = 1 / no = 0, choice = index into item.choices
    value = models.SmallIntegerField(null=True, blank=True)
    text = models.TextField(blank=True)

    class Meta:
        verbose_name = _("Antwort")
        verbose_name_plural = _("Antworten")
        constraints = [
            models.UniqueConstraint(fields=["response", "item"], name="answer_one_per_item"),
        ]

    def __str__(self) -> str:
        return self.text or str(self.value)


class FiguresRevision(OrganizationRevision):
    """A number that grows with every change to what an organization's feedback figures are
    made of: its runs, their sessions and the responses to their codes. Database triggers
    (migration 0003) raise it in the same transaction as the change, whichever way it is
    made (a service, the admin, a bulk insert), so a cache key made of it is exact and costs
    one indexed read instead of aggregating a year's responses."""

    class Meta:
        verbose_name = _("Stand der Auswertungen")
        verbose_name_plural = _("Stände der Auswertungen")
