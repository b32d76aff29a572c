"""The access log for personal data: who viewed or changed whom, and when."""

import csv
import io

from django import forms
from django.contrib.auth.models import User
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from .forms import BootstrapFieldsMixin, DateInput, ListedModelChoiceField, PlainSelect
from .models import AuditLogEntry


def _entry(*, user, organization, action: str, obj: models.Model, details: dict | None):
    return AuditLogEntry(
        organization=organization,
        user=user if user and user.is_authenticated else None,
        action=action,
        object_type=obj._meta.label,
        object_id=str(obj.pk),
        object_repr=str(obj)[:200],
        details=details or {},
    )


def audit_log(*, user, organization, action: str, obj: models.Model, details: dict | None = None):
    entry = _entry(user=user, organization=organization, action=action, obj=obj, details=details)
    entry.save()
    return entry


def audit_log_many(
    *, user, organization, action: str, objects: list[models.Model], details: dict | None = None
) -> None:
    """`audit_log` for each object, in one query (a page or a mail that names many people)."""
    entries = [
        _entry(user=user, organization=organization, action=action, obj=obj, details=details)
        for obj in objects
    ]
    if len(entries) == 1:
        entries[0].save()  # one INSERT; bulk_create would wrap it in BEGIN and COMMIT
    else:
        AuditLogEntry.objects.bulk_create(entries)


class AuditFilterForm(BootstrapFieldsMixin, forms.Form):
    """Filters of the organization's audit trail; `filter()` applies them."""

    plain_fields = ("person", "staff", "action", "date_from", "date_to")

    person = forms.CharField(label=_("Person (Name im Eintrag)"), required=False, max_length=100)
    staff = ListedModelChoiceField(
        label=_("Mitarbeiter/in"), queryset=User.objects.none(), required=False
    )
    action = forms.ChoiceField(
        label=_("Aktion"),
        choices=[("", _("alle"))] + list(AuditLogEntry.Action.choices),
        required=False,
        widget=PlainSelect,
    )
    date_from = forms.DateField(label=_("von"), required=False, widget=DateInput())
    date_to = forms.DateField(label=_("bis"), required=False, widget=DateInput())
    # The participant page links here for one person: "participants.Participant:12".
    subject = forms.RegexField(regex=r"^[\w.]+:\w+$", required=False, widget=forms.HiddenInput)

    def __init__(self, data=None, *, organization):
        super().__init__(data)
        self.fields["staff"].queryset = User.objects.filter(
            membership__organization=organization
        ).order_by("last_name", "first_name")
        self.fields["staff"].label_from_instance = lambda u: u.get_full_name() or u.username
        self.fields["staff"].empty_label = _("alle")

    def clean(self):
        cleaned = super().clean()
        start, end = cleaned.get("date_from"), cleaned.get("date_to")
        if start and end and start > end:
            self.add_error("date_to", _("Das Ende liegt vor dem Anfang."))
        return cleaned

    def filter(self, entries):
        if not self.is_valid():
            return entries
        data = self.cleaned_data
        if data["person"]:
            entries = entries.filter(object_repr__icontains=data["person"])
        if data["staff"]:
            entries = entries.filter(user=data["staff"])
        if data["action"]:
            entries = entries.filter(action=data["action"])
        if data["date_from"]:
            entries = entries.filter(created_at__date__gte=data["date_from"])
        if data["date_to"]:
            entries = entries.filter(created_at__date__lte=data["date_to"])
        if data["subject"]:
            object_type, object_id = data["subject"].split(":")
            entries = entries.filter(object_type=object_type, object_id=object_id)
        return entries


def audit_csv(entries) -> str:
    """The entries as CSV for the data protection officer (never the data itself)."""
    out = io.StringIO()
    writer = csv.writer(out, delimiter=";")
    writer.writerow([_("Zeit"), _("Mitarbeiter/in"), _("Aktion"), _("Art"), _("Nr."), _("Eintrag")])
    for entry in entries:
        writer.writerow(
            [
                timezone.localtime(entry.created_at).strftime("%Y-%m-%d %H:%M:%S"),
                entry.user.get_username() if entry.user else "–",
                entry.get_action_display(),
                entry.object_label,
                entry.object_id,
                entry.object_repr,
            ]
        )
    return out.getvalue()


def audit_request(request, action: str, obj: models.Model, **details) -> AuditLogEntry:
    """`audit_log` for a view: the request's user and organization."""
    return audit_log(
        user=request.user,
        organization=request.organization,
        action=action,
        obj=obj,
        details=details,
    )


def audit_request_many(request, action: str, objects: list[models.Model], **details) -> None:
    """`audit_log_many` for a view: the request's user and organization."""
    if objects:
        audit_log_many(
            user=request.user,
            organization=request.organization,
            action=action,
            objects=objects,
            details=details,
        )
