"""Form helpers every app uses: the date and time widgets, filter fields in plain Bootstrap
markup, and service errors on a form."""

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


class PlainSelect(forms.Select):
    """Django's select, with the options written in one go: its own template includes two
    templates per option (about 50 µs each, 2.5 ms for a jobcenter's 40 trainers on every
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


class ListedChoiceIterator(ModelChoiceIterator):
    """The choices in one plain query. Django reads them with `.iterator()`, on PostgreSQL a
    server-side cursor (DECLARE, FETCH, CLOSE held over the commit), meant for huge tables,
    not for a list of trainers or rooms."""

    def __iter__(self):
        if self.field.empty_label is not None:
            yield ("", self.field.empty_label)
        for obj in self.queryset.all():
            yield self.choice(obj)


class ListedModelChoiceField(forms.ModelChoiceField):
    """A choice of a few dozen rows (trainers, rooms, staff) for a filter."""

    iterator = ListedChoiceIterator
    widget = PlainSelect


class BootstrapFieldsMixin:
    """A form whose page renders its fields itself, in plain Bootstrap markup (crispy's
    templates cost several ms on a page opened often): the widgets carry Bootstrap's
    classes, and a field with an error says so to screen readers and points to its message
    (`id_<name>_error`, as the page renders it)."""

    plain_fields: tuple[str, ...] = ()  # the fields the page shows

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        for name in self.plain_fields:
            widget = self.fields[name].widget
            widget.attrs["class"] = (
                "form-select" if isinstance(widget, forms.Select) else "form-control"
            )

    def full_clean(self):
        super().full_clean()
        for name in self.errors:
            if name in self.plain_fields:
                attrs = self.fields[name].widget.attrs
                attrs["class"] = attrs.get("class", "") + " is-invalid"
                attrs.update({"aria-invalid": "true", "aria-describedby": f"id_{name}_error"})


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
