"""The calendar's filters (trainer, room) and its jump to a month, both read from the query
string so that a filtered month can be bookmarked and the navigation keeps the filters."""

from datetime import date

from django import forms
from django.db.models import Q
from django.http import QueryDict
from django.utils.translation import gettext_lazy as _

from aktiva.forms import BootstrapFieldsMixin, ListedModelChoiceField

from ..models import Location, Trainer
from .runs import validate_plausible_date


class MonthInput(forms.DateInput):
    """The browser's month picker (a text field where there is none: 2026-11 works there)."""

    input_type = "month"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m", **kwargs)


class CalendarFilterForm(BootstrapFieldsMixin, forms.Form):
    trainer = ListedModelChoiceField(
        label=_("Trainer/in"), queryset=Trainer.objects.none(), required=False
    )
    raum = ListedModelChoiceField(
        label=_("Ort / Raum"), queryset=Location.objects.none(), required=False
    )
    monat = forms.DateField(
        label=_("Monat"),
        required=False,
        input_formats=["%Y-%m", "%m.%Y", "%m/%Y"],
        widget=MonthInput(),
        validators=[validate_plausible_date],
        error_messages={"invalid": _("Bitte einen Monat angeben, zum Beispiel 2026-11.")},
    )
    plain_fields = ("trainer", "raum")  # the month field has markup of its own on the page

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trainer"].queryset = Trainer.objects.for_organization(organization).order_by(
            "last_name", "first_name"
        )
        self.fields["trainer"].empty_label = _("alle")
        self.fields["raum"].queryset = Location.objects.for_organization(organization)
        self.fields["raum"].empty_label = _("alle")
        self.is_valid()  # fills cleaned_data with the valid fields; errors show at the fields

    def month(self) -> date | None:
        return self.cleaned_data.get("monat")

    def filter(self, sessions):
        """The sessions that match the valid filters (an invalid one is ignored and marked)."""
        trainer, room = self.cleaned_data.get("trainer"), self.cleaned_data.get("raum")
        if trainer:
            sessions = sessions.for_trainer(trainer)
        if room:
            sessions = sessions.filter(
                Q(location=room) | Q(location__isnull=True, run__location=room)
            )
        return sessions

    def query(self) -> str:
        """The valid filters as a query string, for the links that change the period."""
        query = QueryDict(mutable=True)
        for name in ("trainer", "raum"):
            if self.cleaned_data.get(name):
                query[name] = self.cleaned_data[name].pk
        return query.urlencode()
