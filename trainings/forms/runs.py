"""Forms for course runs, sessions and the schedule generator."""

from datetime import time

from django import forms
from django.db.models import Exists, OuterRef, Q
from django.utils.translation import gettext_lazy as _

from aktiva.forms import DateInput, ListedModelChoiceField, TimeInput

from ..models import CourseRun, Location, Module, Session, Trainer

WEEKDAYS = [
    (0, _("Montag")),
    (1, _("Dienstag")),
    (2, _("Mittwoch")),
    (3, _("Donnerstag")),
    (4, _("Freitag")),
    (5, _("Samstag")),
]


def validate_plausible_date(value):
    """Keeps typos like 20266 or 0202 out of the schedule (and the calendar arithmetic)."""
    if not 2000 <= value.year <= 2100:
        raise forms.ValidationError(_("Bitte ein Datum zwischen 2000 und 2100 angeben."))


class TrainerChoiceField(forms.ModelMultipleChoiceField):
    def label_from_instance(self, trainer: Trainer) -> str:
        if trainer.is_assignable:
            return str(trainer)
        return _("%(name)s (nicht qualifiziert oder inaktiv)") % {"name": trainer}


def assignable_trainers(organization, run: CourseRun | None = None):
    """Active trainers to choose from; inactive ones stay listed while assigned to the run,
    so the form shows the truth."""
    trainers = Trainer.objects.for_organization(organization)
    if run is not None and run.pk:
        trainers = trainers.filter(is_active=True) | trainers.filter(course_runs=run)
    else:
        trainers = trainers.filter(is_active=True)
    return trainers.distinct().order_by("last_name", "first_name")


def offer_free(form: forms.Form, conflicts) -> None:
    """The next step after a double booking (`services.Conflicts`): under the room and the
    trainers fields, who is free at every one of the planned times. The typed values stay."""
    free = {"location": conflicts.free_rooms, "trainers": conflicts.free_trainers}
    none_free = {
        "location": _("Kein anderer Raum ist zu allen diesen Zeiten frei."),
        "trainers": _("Niemand sonst ist zu allen diesen Zeiten frei."),
    }
    for name in {c.cause for c in conflicts.items} & set(form.fields):
        names = ", ".join(str(item) for item in free[name])
        hint = (
            _("Frei zu allen diesen Zeiten: %(names)s.") % {"names": names}
            if names
            else none_free[name]
        )
        # the bound field copied the help text when the form was validated
        form.fields[name].help_text = form[name].help_text = hint


class ServiceValidatedModelForm(forms.ModelForm):
    """Copies the cleaned data onto the instance; the service validates the model
    (full_clean, conflicts) and its errors are put back on the form by the view."""

    def _post_clean(self):
        forms.models.construct_instance(self, self.instance, self._meta.fields, self._meta.exclude)


class CourseRunForm(ServiceValidatedModelForm):
    trainers = TrainerChoiceField(
        label=_("Trainer/innen"),
        queryset=Trainer.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Üblich sind zwei. Nur qualifizierte, aktive Trainer/innen können leiten."),
    )
    modules = forms.ModelMultipleChoiceField(
        label=_("Module"),
        queryset=Module.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Die vier Kernmodule gehören in jeden Durchgang."),
    )

    class Meta:
        model = CourseRun
        fields = [
            "title",
            "location",
            "capacity",
            "min_participants",
            "trainers",
            "modules",
            "notes",
        ]
        widgets = {"notes": forms.Textarea(attrs={"rows": 3})}

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.organization = organization
        self.fields["location"].queryset = Location.objects.for_organization(organization).filter(
            is_active=True
        )
        self.fields["trainers"].queryset = assignable_trainers(organization, self.instance)
        self.fields["modules"].queryset = Module.objects.for_organization(organization)
        minimum = self.fields["min_participants"]
        minimum.required = False
        minimum.help_text = _(
            "Darunter findet der Kurs nicht statt. Leer gelassen: 8, bei weniger Plätzen "
            "so viele, wie es Plätze gibt."
        )
        # aktiva.js moves the minimum with the places typed, until the minimum is edited:
        # on a new run to the usual preset, on a saved one only down to the places.
        minimum.widget.attrs.update(
            {
                "data-follows": "id_capacity",
                "data-follows-up-to": CourseRun.DEFAULT_MIN_PARTICIPANTS,
                "data-follows-preset": "0" if self.instance.pk else "1",
            }
        )
        if not self.instance.pk and not self.is_bound:
            self.initial["modules"] = list(
                Module.objects.filter(organization=None, kind=Module.Kind.CORE).values_list(
                    "pk", flat=True
                )
            )

    def clean(self):
        cleaned = super().clean()
        capacity, minimum = cleaned.get("capacity"), cleaned.get("min_participants")
        if capacity is not None and capacity < 1:
            self.add_error("capacity", _("Ein Durchgang braucht mindestens einen Platz."))
        # The minimum follows the places unless the planner typed one: left empty or left
        # as preset, a run with fewer places needs as many as it has.
        if capacity and capacity >= 1 and "min_participants" not in self.errors:
            untouched = "min_participants" not in self.changed_data
            if minimum is None or (untouched and minimum > capacity):
                minimum = cleaned["min_participants"] = min(
                    CourseRun.DEFAULT_MIN_PARTICIPANTS, capacity
                )
        if capacity and minimum is not None and minimum > capacity:
            self.add_error(
                "min_participants",
                _("Die Mindestzahl darf nicht größer sein als die Zahl der Plätze."),
            )
        return cleaned


class CancelRunForm(forms.Form):
    reason = forms.CharField(
        label=_("Grund der Absage"),
        max_length=300,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Zum Beispiel: zu wenige Anmeldungen, Raum nicht verfügbar."),
        error_messages={"required": _("Bitte geben Sie einen Grund für die Absage an.")},
    )


class ScheduleForm(forms.Form):
    start = forms.DateField(
        label=_("Erster möglicher Tag"), widget=DateInput(), validators=[validate_plausible_date]
    )
    weekdays = forms.TypedMultipleChoiceField(
        label=_("Wochentage"),
        choices=WEEKDAYS,
        coerce=int,
        widget=forms.CheckboxSelectMultiple,
        initial=[0, 1, 2, 3],
        error_messages={"required": _("Bitte wählen Sie mindestens einen Wochentag.")},
    )
    start_time = forms.TimeField(label=_("Beginn"), widget=TimeInput(), initial=time(9, 0))
    end_time = forms.TimeField(label=_("Ende"), widget=TimeInput(), initial=time(12, 30))
    count = forms.IntegerField(
        label=_("Anzahl der Termine"),
        min_value=1,
        max_value=60,
        initial=8,
        error_messages={
            "min_value": _("Mindestens ein Termin."),
            "max_value": _("Höchstens 60 Termine auf einmal."),
        },
    )
    location = forms.ModelChoiceField(
        label=_("Ort / Raum"),
        queryset=Location.objects.none(),
        required=False,
        empty_label=_("kein Raum"),
        help_text=_("Vorbelegt mit dem Ort des Durchgangs."),
    )
    trainers = TrainerChoiceField(
        label=_("Trainer/innen"),
        queryset=Trainer.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
        help_text=_("Gilt für den ganzen Durchgang."),
    )
    modules = forms.ModelMultipleChoiceField(
        label=_("Module (in Curriculum-Reihenfolge verteilt)"),
        queryset=Module.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )
    # Sent by the "skip the busy days" button that a conflict offers.
    skip_conflicts = forms.BooleanField(required=False, widget=forms.HiddenInput)

    def __init__(self, *args, run: CourseRun, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["modules"].queryset = Module.objects.for_organization(run.organization)
        self.fields["location"].queryset = Location.objects.for_organization(
            run.organization
        ).filter(Q(is_active=True) | Q(pk=run.location_id))
        self.fields["trainers"].queryset = assignable_trainers(run.organization, run)
        if run.location_id:
            self.fields["location"].empty_label = _("wie beim Durchgang")
        if not self.is_bound:
            self.initial["location"] = run.location_id
            self.initial["trainers"] = [t.pk for t in run.trainers.all()]
            chosen = [m.pk for m in run.modules.all()]
            self.initial["modules"] = chosen or list(
                Module.objects.filter(organization=None, kind=Module.Kind.CORE).values_list(
                    "pk", flat=True
                )
            )

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("Das Ende muss nach dem Beginn liegen."))
        return cleaned

    def schedule(self) -> dict:
        """The generator's arguments (`services.schedule_generate`)."""
        data = self.cleaned_data
        return {
            "start": data["start"],
            "weekdays": data["weekdays"],
            "start_time": data["start_time"],
            "end_time": data["end_time"],
            "count": data["count"],
            "modules": list(data["modules"]),
            "location": data["location"],
            "trainers": list(data["trainers"]),
            "skip_conflicts": data["skip_conflicts"],
        }


class SessionForm(ServiceValidatedModelForm):
    modules = forms.ModelMultipleChoiceField(
        label=_("Module"),
        queryset=Module.objects.none(),
        required=False,
        widget=forms.CheckboxSelectMultiple,
    )

    class Meta:
        model = Session
        fields = ["date", "start_time", "end_time", "location", "modules", "note"]
        widgets = {"date": DateInput(), "start_time": TimeInput(), "end_time": TimeInput()}

    def __init__(self, *args, run: CourseRun, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.run = run
        self.fields["date"].validators.append(validate_plausible_date)
        self.fields["location"].queryset = Location.objects.for_organization(run.organization)
        self.fields["modules"].queryset = Module.objects.for_organization(run.organization)

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("start_time"), cleaned.get("end_time")
        if start and end and end <= start:
            self.add_error("end_time", _("Das Ende muss nach dem Beginn liegen."))
        return cleaned


class RunFilterForm(forms.Form):
    q = forms.CharField(label=_("Suche"), required=False)
    status = forms.ChoiceField(label=_("Status"), required=False)
    trainer = ListedModelChoiceField(
        label=_("Trainer/in"), queryset=Trainer.objects.none(), required=False
    )
    period_from = forms.DateField(label=_("Termine ab"), required=False, widget=DateInput())
    period_to = forms.DateField(label=_("Termine bis"), required=False, widget=DateInput())

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["status"].choices = [("", _("alle"))] + list(CourseRun.Status.choices)
        # the names only: a jobcenter has dozens of trainers, each an option on every page
        self.fields["trainer"].queryset = Trainer.objects.for_organization(organization).only(
            "first_name", "last_name"
        )
        self.fields["trainer"].empty_label = _("alle")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("period_from"), cleaned.get("period_to")
        if start and end and end < start:
            self.add_error("period_to", _("Das Ende des Zeitraums liegt vor dem Anfang."))
        return cleaned

    def filter(self, runs):
        """The runs that match the valid filters (all of them while nothing is filtered)."""
        if not self.is_valid():
            return runs
        data = self.cleaned_data
        if data["q"]:
            runs = runs.filter(Q(title__icontains=data["q"]) | Q(notes__icontains=data["q"]))
        if data["status"]:
            runs = runs.filter(status=data["status"])
        if data["trainer"]:
            led = CourseRun.trainers.through.objects.filter(
                courserun_id=OuterRef("pk"), trainer=data["trainer"]
            )
            runs = runs.filter(Exists(led))
        if data["period_from"] or data["period_to"]:
            runs = runs.held_between(data["period_from"], data["period_to"])
        return runs
