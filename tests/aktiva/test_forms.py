"""The form helpers for filters rendered in plain Bootstrap markup."""

import re

import pytest
from django import forms

from aktiva.forms import BootstrapFieldsMixin, ListedModelChoiceField, PlainSelect
from trainings.models import Trainer

from ..factories import TrainerFactory


def _options(html: str) -> list[tuple[str, bool, str]]:
    return [
        (value, bool(selected), label)
        for value, selected, label in re.findall(
            r'<option value="([^"]*)"( selected)?>([^<]*)</option>', html
        )
    ]


@pytest.mark.parametrize("value", [None, "b", "<x>"])
def test_plain_select_renders_what_djangos_select_renders(value):
    choices = [("", "alle"), ("a", "Anna & Co"), ("b", "Bert"), ("<x>", "<Xaver>")]
    attrs = {"id": "id_f", "class": "form-select", "aria-invalid": "true"}
    plain = PlainSelect(choices=choices).render("f", value, attrs)
    django = forms.Select(choices=choices).render("f", value, attrs)
    assert _options(plain) == _options(django) and len(_options(plain)) == 4
    tag = re.compile(r"<select ([^>]*)>")
    assert sorted(tag.search(plain)[1].split()) == sorted(tag.search(django)[1].split())
    assert "&lt;Xaver&gt;" in plain and "Anna &amp; Co" in plain  # escaped as Django does


class _Filter(BootstrapFieldsMixin, forms.Form):
    trainer = ListedModelChoiceField(queryset=Trainer.objects.none(), required=False)
    name = forms.CharField(required=False, max_length=3)
    plain_fields = ("trainer", "name")

    def __init__(self, *args, organization, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["trainer"].queryset = Trainer.objects.filter(organization=organization)


def test_a_field_with_an_error_says_so_to_screen_readers(org):
    trainer = TrainerFactory(organization=org)
    form = _Filter({"trainer": "999", "name": "abc"}, organization=org)
    assert not form.is_valid() and list(form.errors) == ["trainer"]
    html = str(form["trainer"])
    assert 'class="form-select is-invalid"' in html and 'aria-invalid="true"' in html
    assert 'aria-describedby="id_trainer_error"' in html
    assert 'class="form-control"' in str(form["name"]) and "aria-invalid" not in str(form["name"])
    # a valid choice is selected again, from the same single query
    form = _Filter({"trainer": str(trainer.pk)}, organization=org)
    assert form.is_valid() and form.cleaned_data["trainer"] == trainer
    assert (str(trainer.pk), True, str(trainer)) in _options(str(form["trainer"]))


def test_the_choices_are_read_in_one_plain_query(org, django_assert_num_queries):
    TrainerFactory.create_batch(3, organization=org)
    form = _Filter({}, organization=org)
    with django_assert_num_queries(1) as ctx:
        html = str(form["trainer"])
    assert not ctx.captured_queries[0]["sql"].startswith("DECLARE")
    assert len(_options(html)) == 4
