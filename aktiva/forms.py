"""Form helpers every app uses: the date and time widgets, and service errors on a form."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.forms import Form


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
