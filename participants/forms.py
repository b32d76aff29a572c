from django import forms
from django.urls import reverse
from django.utils import timezone
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _

from aktiva.forms import DateInput

from .models import HandoutContent, Participant


class ParticipantForm(forms.ModelForm):
    class Meta:
        model = Participant
        fields = [
            "first_name",
            "last_name",
            "customer_number",
            "email",
            "phone",
            "consent_on",
            "report_consent_on",
            "note",
        ]
        widgets = {
            "consent_on": DateInput(),
            "report_consent_on": DateInput(),
            "note": forms.Textarea(attrs={"rows": 3}),
        }

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.organization = organization
        self.fields["first_name"].widget.attrs["autocomplete"] = "off"
        self.fields["last_name"].widget.attrs["autocomplete"] = "off"

    def clean_report_consent_on(self):
        consent = self.cleaned_data["report_consent_on"]
        if consent and consent > timezone.localdate():
            raise forms.ValidationError(
                _(
                    "Das Datum liegt in der Zukunft. Tragen Sie den Tag ein, an dem "
                    "eingewilligt wurde."
                ),
                code="future",
            )
        return consent

    def clean_customer_number(self):
        number = self.cleaned_data["customer_number"].strip()
        if not number:
            return number
        first = (
            Participant.objects.for_organization(self.instance.organization)
            .filter(customer_number__iexact=number)
            .exclude(pk=self.instance.pk)
            .first()
        )
        if first:
            raise forms.ValidationError(
                format_html(
                    '{} <a href="{}">{}</a>',
                    _("Diese Kundennummer ist bereits vergeben an:"),
                    reverse("participants:detail", args=[first.pk]),
                    first,
                ),
                code="duplicate",
            )
        return number


class SearchForm(forms.Form):
    q = forms.CharField(
        label=_("Name oder Kundennummer"),
        required=False,
        max_length=100,
        widget=forms.TextInput(attrs={"type": "search", "autocomplete": "off"}),
    )


class WithdrawForm(forms.Form):
    outcome = forms.ChoiceField(
        label=_("Was ist passiert?"),
        choices=[
            ("withdrawn", _("Abmeldung: nimmt nicht (mehr) teil")),
            ("dropped_out", _("Abbruch: hat teilgenommen und kommt nicht mehr")),
        ],
        initial="withdrawn",
        widget=forms.RadioSelect,
    )
    reason = forms.CharField(
        label=_("Grund der Abmeldung"),
        max_length=300,
        help_text=_(
            "z. B. Arbeitsaufnahme, Umzug, kein Interesse mehr. Keine Gesundheitsangaben: "
            "der Grund steht in der Meldung an das Jobcenter."
        ),
    )

    def withdrawal(self) -> dict:
        """The arguments of `services.enrollment_withdraw`."""
        data = self.cleaned_data
        return {"reason": data["reason"], "dropped_out": data["outcome"] == "dropped_out"}


class HandoutContentForm(forms.ModelForm):
    class Meta:
        model = HandoutContent
        fields = ["body"]
        widgets = {"body": forms.Textarea(attrs={"rows": 18})}
