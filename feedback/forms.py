from django import forms
from django.utils.translation import gettext_lazy as _

from .models import Item, Questionnaire

SCALE_CHOICES = [
    (1, _("stimme voll und ganz zu")),
    (2, _("stimme eher zu")),
    (3, _("teils, teils")),
    (4, _("stimme eher nicht zu")),
    (5, _("stimme überhaupt nicht zu")),
]
WHO5_CHOICES = [
    (5, _("die ganze Zeit")),
    (4, _("meistens")),
    (3, _("etwas mehr als die Hälfte der Zeit")),
    (2, _("etwas weniger als die Hälfte der Zeit")),
    (1, _("ab und zu")),
    (0, _("zu keinem Zeitpunkt")),
]
YES_NO_CHOICES = [(1, _("Ja")), (0, _("Nein"))]
CHOOSE_MESSAGE = _("Bitte wählen Sie eine Antwort.")


class CodeForm(forms.Form):
    code = forms.CharField(
        label=_("Ihr Code"),
        max_length=20,
        help_text=_("Er steht auf Ihrem Zettel, zum Beispiel ACE-FGH-JKM."),
        error_messages={"required": _("Bitte geben Sie den Code von Ihrem Zettel ein.")},
        widget=forms.TextInput(
            attrs={
                "autocomplete": "off",
                "autocapitalize": "characters",
                "spellcheck": "false",
                "class": "form-control form-control-lg code-input",
            }
        ),
    )


class AnswerForm(forms.Form):
    """The questions of one questionnaire version as form fields named after the item keys."""

    def __init__(self, *args, items: list[Item], **kwargs):
        super().__init__(*args, **kwargs)
        self.items = items
        for item in items:
            self.fields[item.key] = self._field(item)

    @staticmethod
    def _field(item: Item) -> forms.Field:
        if item.kind == Item.Kind.TEXT:
            return forms.CharField(
                label=item.text,
                required=item.required,
                max_length=2000,
                widget=forms.Textarea(attrs={"rows": 4, "class": "form-control form-control-lg"}),
                error_messages={"required": _("Bitte schreiben Sie hier eine kurze Antwort.")},
            )
        choices = {
            Item.Kind.SCALE: SCALE_CHOICES,
            Item.Kind.WHO5: WHO5_CHOICES,
            Item.Kind.YES_NO: YES_NO_CHOICES,
        }.get(item.kind) or list(enumerate(item.choices))
        return forms.TypedChoiceField(
            label=item.text,
            required=item.required,
            choices=choices,
            coerce=int,
            empty_value=None,
            widget=forms.RadioSelect,
            error_messages={"required": CHOOSE_MESSAGE, "invalid_choice": CHOOSE_MESSAGE},
        )

    def answers(self) -> dict[Item, int | str | None]:
        return {item: self.cleaned_data.get(item.key) for item in self.items}

    def questions(self):
        """(item, bound field) pairs for the template."""
        return [(item, self[item.key]) for item in self.items]


class GenerateCodesForm(forms.Form):
    count = forms.IntegerField(
        label=_("Anzahl neuer Codes"),
        min_value=1,
        max_value=60,
        help_text=_("Eine pro angemeldeter Person und einige zur Reserve."),
    )


class QuestionnaireForm(forms.Form):
    title = forms.CharField(label=_("Titel"), max_length=200)
    intro = forms.CharField(
        label=_("Einleitung"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 3}),
        help_text=_("Wird über den Fragen angezeigt."),
    )

    @classmethod
    def for_questionnaire(cls, questionnaire: Questionnaire, data=None):
        return cls(data, initial={"title": questionnaire.title, "intro": questionnaire.intro})


class ItemForm(forms.Form):
    KINDS = [(k.value, k.label) for k in Item.Kind if k != Item.Kind.WHO5]

    text = forms.CharField(label=_("Frage / Aussage"), max_length=300)
    label = forms.CharField(
        label=_("Kurzname"),
        max_length=50,
        required=False,
        help_text=_("Für Auswertungen, z. B. „Lernen“."),
    )
    kind = forms.ChoiceField(label=_("Art der Antwort"), choices=KINDS)
    choices = forms.CharField(
        label=_("Antwortmöglichkeiten"),
        required=False,
        widget=forms.Textarea(attrs={"rows": 4}),
        help_text=_("Nur für „Auswahl“: eine Möglichkeit pro Zeile."),
    )
    required = forms.BooleanField(label=_("Pflichtfrage"), required=False, initial=True)

    @classmethod
    def for_item(cls, item: Item, data=None):
        initial = {
            "text": item.text,
            "label": item.label,
            "kind": item.kind,
            "choices": "\n".join(item.choices),
            "required": item.required,
        }
        return cls(data, initial=initial)

    def choice_list(self) -> list[str]:
        return self.cleaned_data["choices"].splitlines()

    def item(self) -> dict:
        """The arguments of `services.item_save`."""
        data = self.cleaned_data
        fields = {name: data[name] for name in ("kind", "text", "label", "required")}
        return {**fields, "choices": self.choice_list()}
