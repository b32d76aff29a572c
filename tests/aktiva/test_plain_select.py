"""`aktiva.forms.PlainSelect` writes what Django's select writes, without a template per
option; `ListedModelChoiceField` reads its rows with one plain query."""

from django import forms
from django.test.html import parse_html

from aktiva.forms import ListedModelChoiceField, PlainSelect
from trainings.models import Trainer

from ..factories import TrainerFactory


def test_plain_select_writes_what_djangos_select_writes():
    choices = [("", "alle"), ("1", "Anna <Berger>"), ("2", "Jonas & Weber")]
    groups = [("", [("", "alle")]), ("Dresden", [("3", "Mira"), ("4", "Peter")])]
    attrs = {"class": "form-select", "aria-describedby": "hint", "id": "id_trainer"}
    for options, value in [(choices, "2"), (choices, None), (groups, "4")]:
        plain = PlainSelect(choices=options).render("trainer", value, attrs=attrs)
        django = forms.Select(choices=options).render("trainer", value, attrs=attrs)
        assert parse_html(plain) == parse_html(django), plain


def test_plain_model_choice_field_offers_and_validates_its_rows(org):
    anna = TrainerFactory(organization=org, first_name="Anna", last_name="Berger")

    class Filter(forms.Form):
        trainer = ListedModelChoiceField(queryset=Trainer.objects.filter(organization=org))

    form = Filter({"trainer": str(anna.pk)})
    assert form.is_valid() and form.cleaned_data["trainer"] == anna
    html = str(form["trainer"])
    assert f'<option value="{anna.pk}" selected>Anna Berger</option>' in html
    assert not Filter({"trainer": "0"}).is_valid()
