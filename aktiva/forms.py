"""Form helpers every app uses: the date and time widgets, a select of rows, and service
errors on a form."""

import re

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms import Form
from django.forms.models import ModelChoiceIterator
from django.forms.utils import flatatt
from django.utils.html import format_html, format_html_join
from django.utils.translation import gettext_lazy as _

from .models import Organization


class DateInput(forms.DateInput):
    """The browser's date picker; the value in the ISO format it expects."""

    input_type = "date"

    def __init__(self, **kwargs):
        super().__init__(format="%Y-%m-%d", **kwargs)


class TimeInput(forms.TimeInput):
    """The browser's time picker; hours and minutes as it expects (no seconds)."""

    input_type = "time"

    def __init__(self, **kwargs):
        super().__init__(format="%H:%M", **kwargs)


class _PlainIterator(ModelChoiceIterator):
    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset:
            yield self.choice(obj)


class PlainSelect(forms.Select):
    """Django's select, with the options written in one go: its own template includes a
    template per option (about 60 µs each, 2.5 ms for a jobcenter's 40 trainers on every
    list page). The same context, so the same attributes and the same selected option."""

    def render(self, name, value, attrs=None, renderer=None):
        widget = self.get_context(name, value, attrs)["widget"]
        groups = []
        for group_name, options, _index in widget["optgroups"]:
            html = format_html_join(
                "",
                '<option value="{}"{}>{}</option>',
                ((o["value"], flatatt(o["attrs"]), o["label"]) for o in options),
            )
            groups.append(
                format_html('<optgroup label="{}">{}</optgroup>', group_name, html)
                if group_name
                else html
            )
        return format_html(
            '<select name="{}"{}>{}</select>',
            widget["name"],
            flatatt(widget["attrs"]),
            format_html_join("", "{}", ((g,) for g in groups)),
        )


class PlainModelChoiceField(forms.ModelChoiceField):
    """A select of rows read with one plain query and written by `PlainSelect`. Django
    reads a select's choices through a server-side cursor (DECLARE, FETCH, CLOSE: three
    round trips on PostgreSQL), which pays for thousands of rows, not for the few dozen of
    a filter on a list page."""

    iterator = _PlainIterator
    widget = PlainSelect


def postal_code(value: str) -> str:
    """A German postcode (five digits), stripped; "" stays "" (required is the field's)."""
    code = value.strip()
    if code and not re.fullmatch(r"\d{5}", code):
        raise forms.ValidationError(_("Eine Postleitzahl hat fünf Ziffern."))
    return code


def add_service_errors(form: Form, error: ValidationError) -> None:
    """Put a service's ValidationError on the form: next to its field where the form has it."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        target = field if field in form.fields else None
        if field == NON_FIELD_ERRORS:
            target = None
        form.add_error(target, errors)


class OrganizationSettingsForm(forms.ModelForm):
    """What a coordinator keeps up to date; name, federal state and kind are the platform
    administrator's (they decide holidays and the tenant)."""

    class Meta:
        model = Organization
        fields = [
            "street",
            "postal_code",
            "city",
            "contact_phone",
            "contact_email",
            "report_team_name",
            "report_team_address",
        ]
        widgets = {"report_team_address": forms.Textarea(attrs={"rows": 3})}
        error_messages = {
            "contact_email": {"invalid": _("Bitte geben Sie eine gültige E-Mail-Adresse an.")},
        }

    def clean_postal_code(self) -> str:
        return postal_code(self.cleaned_data["postal_code"])

    def clean(self):
        cleaned = super().clean()
        name = (cleaned.get("report_team_name") or "").strip()
        address = (cleaned.get("report_team_address") or "").strip()
        if address and not name:
            self.add_error(
                "report_team_name",
                _("Bitte nennen Sie das Team, an das die Anschrift gehört."),
            )
        if name and not address and "report_team_address" not in self.errors:
            self.add_error(
                "report_team_address",
                _("Bitte geben Sie die Anschrift des Teams an, damit Meldungen ankommen."),
            )
        return cleaned
