"""The document pipeline every PDF goes through: queue, render, status, download, retry."""

from unittest import mock

import pytest
from django.urls import reverse
from django.utils import translation
from kombu.exceptions import OperationalError

from aktiva import documents
from aktiva.models import AuditLogEntry, Document
from aktiva.pdf import BASE_URL, StaticOnlyURLFetcher, html_to_pdf

from .conftest import CALLS, Broken, Flaky, Greeting


def test_document_is_rendered_after_commit_and_downloadable(
    coordinator_client, org, coordinator, request_document
):
    document = request_document(org, coordinator)
    document.refresh_from_db()
    assert document.status == Document.Status.DONE and document.file.name.endswith(".pdf")
    response = coordinator_client.get(reverse("documents:download", args=[document.pk]))
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_rendering_twice_replaces_the_file(org, coordinator, request_document):
    document = request_document(org, coordinator)
    document.refresh_from_db()
    first = document.file.name
    Document.objects.filter(pk=document.pk).update(status=Document.Status.QUEUED)
    documents.document_render(document=documents.document_claim(document_id=document.pk))
    document.refresh_from_db()
    assert document.status == Document.Status.DONE and document.attempts == 2
    assert not document.file.storage.exists(first) or first == document.file.name


def test_a_done_document_is_not_rendered_again(org, coordinator, request_document):
    document = request_document(org, coordinator)
    assert documents.document_claim(document_id=document.pk) is None
    assert CALLS == [document.pk]


def test_failure_shows_message_and_retry_button_not_500(
    coordinator_client, org, coordinator, request_document
):
    document = request_document(org, coordinator, kind="tests.broken")
    document.refresh_from_db()
    assert document.status == Document.Status.FAILED
    assert document.failure == Document.Failure.ERROR
    html = coordinator_client.get(reverse("documents:detail", args=[document.pk])).content.decode()
    assert "Erneut versuchen" in html and "Fehler" in html


def test_retry_queues_again(coordinator_client, org, coordinator, request_document, on_commit):
    document = request_document(org, coordinator, kind="tests.broken")
    with (
        mock.patch.object(Broken, "render", Greeting.render),  # the cause is fixed
        on_commit(),
    ):
        response = coordinator_client.post(reverse("documents:retry", args=[document.pk]))
    assert response.status_code == 302
    document.refresh_from_db()
    assert document.status == Document.Status.DONE


def test_broker_down_marks_document_failed_with_a_clear_message(
    coordinator_client, org, coordinator, request_document
):
    with mock.patch(
        "aktiva.tasks.document_render_task.apply_async",
        side_effect=OperationalError("Connection refused"),
    ):
        document = request_document(org, coordinator)
    document.refresh_from_db()
    assert document.status == Document.Status.FAILED
    assert document.failure == Document.Failure.BROKER_DOWN
    response = coordinator_client.get(reverse("documents:detail", args=[document.pk]))
    assert "nicht erreichbar" in response.content.decode()


def test_transient_error_is_retried_a_bounded_number_of_times(
    org, coordinator, settings, request_document
):
    Flaky.attempts.clear()
    document = request_document(org, coordinator, kind="tests.flaky")
    document.refresh_from_db()
    assert document.status == Document.Status.FAILED
    assert len(Flaky.attempts) == settings.AKTIVA_DOCUMENT_MAX_RETRIES + 1
    assert document.failure == Document.Failure.RETRIES_EXHAUSTED


def test_failure_is_shown_in_the_readers_language(org, coordinator, request_document):
    document = request_document(org, coordinator, kind="tests.broken")
    document.refresh_from_db()
    with translation.override("en"):
        assert "error" in document.get_failure_display()
    with translation.override("de"):
        assert "Fehler" in document.get_failure_display()


def test_title_never_exceeds_its_column(org, coordinator, request_document):
    """A long name (or run title) used to answer 500 on PostgreSQL."""
    document = request_document(org, coordinator, name="Sehr lang " * 40)
    document.refresh_from_db()
    assert len(document.title) == Document._meta.get_field("title").max_length
    assert document.title.startswith("Gruß – Sehr lang") and document.title.endswith("…")


def test_asking_for_a_document_that_names_people_is_audited(org, coordinator, request_document):
    named = request_document(org, coordinator)
    anonymous = request_document(org, coordinator, kind="tests.broken")
    logged = AuditLogEntry.objects.filter(action=AuditLogEntry.Action.EXPORT)
    assert list(logged.values_list("object_id", flat=True)) == [str(named.pk)]
    assert anonymous.pk not in Document.objects.naming_people().values_list("pk", flat=True)


def test_access_anonymous_other_org_and_trainer(
    anonymous_client,
    outsider_client,
    trainer_client,
    org,
    coordinator,
    trainer_user,
    request_document,
):
    document = request_document(org, coordinator)
    url = reverse("documents:detail", args=[document.pk])
    assert anonymous_client.get(url).status_code == 302
    assert outsider_client.get(url).status_code == 404
    assert outsider_client.get(reverse("documents:download", args=[document.pk])).status_code == 404
    # a trainer sees the documents they asked for, not the coordinator's
    assert trainer_client.get(url).status_code == 404
    own = request_document(org, trainer_user)
    assert trainer_client.get(reverse("documents:detail", args=[own.pk])).status_code == 200


def test_pdf_fetcher_serves_static_files_only():
    fetcher = StaticOnlyURLFetcher()
    font = fetcher.fetch(BASE_URL + "static/fonts/source-sans-3-latin-400-normal.woff2")
    assert len(font.read()) > 1000
    for url in (
        "file:///etc/passwd",
        "http://127.0.0.1:6379/",
        BASE_URL + "static/../../etc/passwd",
        "https://example.org/static/css/aktiva.css",
        BASE_URL + "media/x.pdf",
    ):
        with pytest.raises(ValueError):
            fetcher.fetch(url)


def test_template_cannot_embed_local_files():
    pdf = html_to_pdf(
        '<p>x</p><img src="file:///etc/passwd"><link rel="stylesheet" href="file:///etc/hostname">'
    )
    assert pdf.startswith(b"%PDF")
