"""Forms for the master data coordinators keep: trainers, own modules, locations."""

from django import forms
from django.contrib.auth.models import User
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from aktiva.forms import BootstrapFieldsMixin, DateInput, PlainSelect, postal_code
from aktiva.models import Organization

from ..models import Location, Module, Trainer


class AccountChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, user: User) -> str:
        name = user.get_full_name()
        return f"{name} ({user.username})" if name else user.username


class TrainerForm(forms.ModelForm):
    user = AccountChoiceField(
        queryset=User.objects.none(),
        required=False,
        label=_("Benutzerkonto"),
        empty_label=_("– kein Konto –"),
        help_text=_("Mit einem Konto sieht die Person ihre Termine unter „Meine Termine“."),
        error_messages={"invalid_choice": _("Bitte wählen Sie ein Konto Ihrer Organisation.")},
    )

    class Meta:
        model = Trainer
        fields = [
            "first_name",
            "last_name",
            "email",
            "phone",
            "qualified_on",
            "certificate_reference",
            "is_active",
            "user",
        ]
        widgets = {"qualified_on": DateInput()}
        help_texts = {
            "is_active": _(
                "Nicht mehr aktive Trainer/innen bleiben bei vergangenen Durchgängen eingetragen, "
                "können aber keinem neuen zugeordnet werden."
            )
        }
        error_messages = {
            "first_name": {"required": _("Bitte geben Sie den Vornamen an.")},
            "last_name": {"required": _("Bitte geben Sie den Nachnamen an.")},
            "email": {"invalid": _("Bitte geben Sie eine gültige E-Mail-Adresse an.")},
            "qualified_on": {"invalid": _("Bitte geben Sie ein Datum an, z. B. 15.03.2024.")},
        }

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.organization = organization
        # Members of this organization whose account no other trainer profile uses.
        self.fields["user"].queryset = (
            User.objects.filter(membership__organization=organization)
            .filter(Q(trainer__isnull=True) | Q(trainer=self.instance.pk))
            .order_by("last_name", "first_name", "username")
        )

    def clean_certificate_reference(self) -> str:
        return self.cleaned_data["certificate_reference"].strip()

    def clean(self):
        cleaned = super().clean()
        if cleaned.get("certificate_reference") and not cleaned.get("qualified_on"):
            self.add_error(
                "qualified_on",
                _("Zu einem Nachweis gehört das Datum der Qualifizierung."),
            )
        return cleaned


class TrainerFilterForm(BootstrapFieldsMixin, forms.Form):
    YES_NO = [("", _("alle")), ("ja", _("ja")), ("nein", _("nein"))]

    aktiv = forms.ChoiceField(label=_("aktiv"), choices=YES_NO, required=False, widget=PlainSelect)
    qualifiziert = forms.ChoiceField(
        label=_("qualifiziert"), choices=YES_NO, required=False, widget=PlainSelect
    )
    plain_fields = ("aktiv", "qualifiziert")

    def filter(self, trainers):
        if not self.is_valid():
            return trainers
        active = self.cleaned_data["aktiv"]
        if active:
            trainers = trainers.filter(is_active=active == "ja")
        qualified = self.cleaned_data["qualifiziert"]
        if qualified:
            # "qualified" is about the certificate, independent of the active flag
            q = Q(qualified_on__isnull=False, qualified_on__lte=timezone.localdate())
            trainers = trainers.filter(q) if qualified == "ja" else trainers.exclude(q)
        return trainers


class ModuleForm(forms.ModelForm):
    class Meta:
        model = Module
        fields = ["name", "code", "kind", "position", "default_units", "description"]
        help_texts = {
            "code": _("Kurzer Name ohne Leerzeichen, z. B. „bewerbungstraining“."),
        }
        error_messages = {
            "name": {"required": _("Bitte geben Sie einen Namen an.")},
            "code": {
                "required": _("Bitte geben Sie ein Kürzel an."),
                "invalid": _("Nur Kleinbuchstaben, Ziffern, Binde- und Unterstriche."),
            },
            "position": {
                "required": _("Bitte geben Sie die Reihenfolge an."),
                "invalid": _("Bitte geben Sie eine ganze Zahl an."),
                "min_value": _("Die Reihenfolge darf nicht negativ sein."),
            },
            "default_units": {
                "required": _("Bitte geben Sie die Unterrichtseinheiten an."),
                "invalid": _("Bitte geben Sie eine ganze Zahl an."),
            },
        }

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.organization = organization
        self.instance.organization = organization
        self.fields["default_units"].min_value = 1
        self.fields["default_units"].widget.attrs["min"] = 1

    def clean_code(self) -> str:
        code = self.cleaned_data["code"]
        taken = (
            Module.objects.for_organization(self.organization)
            .filter(code=code)
            .exclude(pk=self.instance.pk)
            .exists()
        )
        if taken:
            raise forms.ValidationError(_("Dieses Kürzel ist schon vergeben."))
        return code

    def clean_default_units(self) -> int:
        units = self.cleaned_data["default_units"]
        if units < 1:
            raise forms.ValidationError(_("Ein Modul hat mindestens eine Unterrichtseinheit."))
        return units


class LocationForm(forms.ModelForm):
    class Meta:
        model = Location
        fields = [
            "name",
            "street",
            "postal_code",
            "city",
            "capacity",
            "step_free",
            "directions",
            "is_active",
        ]
        widgets = {"directions": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "directions": _(
                "Wie Teilnehmende den Raum finden, z. B. „2. Stock, links vom Aufzug“."
            ),
            "is_active": _(
                "Nicht mehr genutzte Räume werden bei neuen Durchgängen nicht angeboten."
            ),
        }
        error_messages = {
            "name": {"required": _("Bitte geben Sie eine Bezeichnung an.")},
            "street": {"required": _("Bitte geben Sie Straße und Hausnummer an.")},
            "postal_code": {"required": _("Bitte geben Sie die Postleitzahl an.")},
            "city": {"required": _("Bitte geben Sie den Ort an.")},
            "capacity": {
                "required": _("Bitte geben Sie die Zahl der Plätze an."),
                "invalid": _("Bitte geben Sie eine ganze Zahl an."),
            },
        }

    def __init__(self, *args, organization: Organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.instance.organization = organization
        self.fields["capacity"].widget.attrs["min"] = 1

    def clean_postal_code(self) -> str:
        return postal_code(self.cleaned_data["postal_code"])

    def clean_capacity(self) -> int:
        capacity = self.cleaned_data["capacity"]
        if capacity < 1:
            raise forms.ValidationError(_("Ein Raum hat mindestens einen Platz."))
        return capacity
