"""The public address: the setting where it is set, else the request's, else the dev server."""

from django.test import RequestFactory

from aktiva.addresses import public_url, request_base_url


def test_the_setting_wins_over_the_request(settings):
    settings.AKTIVA_PUBLIC_URL = "https://aktiva.jobcenter.example"
    assert public_url("/f/", base="http://demo:8080") == "https://aktiva.jobcenter.example/f/"


def test_without_the_setting_the_request_address_counts(settings):
    settings.AKTIVA_PUBLIC_URL = ""
    settings.ALLOWED_HOSTS = ["demo.example"]
    request = RequestFactory().get("/irgendwo/", HTTP_HOST="demo.example:8080")
    assert request_base_url(request) == "http://demo.example:8080"
    assert public_url("/f/", base=request_base_url(request)) == "http://demo.example:8080/f/"
    assert public_url("/f/") == "http://127.0.0.1:8000/f/"


def test_rows_get_the_address_reverse_gives_them():
    from types import SimpleNamespace

    from django.urls import reverse

    from aktiva.addresses import with_urls

    rows = [SimpleNamespace(pk=7), SimpleNamespace(pk=918273645918)]
    dicts = [{"pk": 12}, {"pk": 3}]
    assert with_urls(rows, "trainings:trainer_detail") is rows
    assert [r.url for r in rows] == [reverse("trainings:trainer_detail", args=[r.pk]) for r in rows]
    with_urls(dicts, "participants:detail")
    expected = [reverse("participants:detail", args=[d["pk"]]) for d in dicts]
    assert [d["url"] for d in dicts] == expected
