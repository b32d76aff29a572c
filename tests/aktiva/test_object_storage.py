"""Documents in S3-compatible object storage, served only through the access check."""

import pytest
import requests
from django.urls import reverse

from aktiva.models import Document


@pytest.fixture
def in_s3(settings, s3_bucket):
    client, bucket, storage = s3_bucket
    settings.STORAGES = {**settings.STORAGES, "default": storage}
    return client, bucket


def test_a_document_is_written_to_the_bucket_and_downloaded_through_the_application(
    in_s3, coordinator_client, outsider_client, anonymous_client, org, coordinator, request_document
):
    client, bucket = in_s3
    document = request_document(org, coordinator)
    document.refresh_from_db()
    assert document.status == Document.Status.DONE
    keys = [o["Key"] for o in client.list_objects_v2(Bucket=bucket)["Contents"]]
    assert keys == [f"aktiva/{document.file.name}"]

    url = reverse("documents:download", args=[document.pk])
    response = coordinator_client.get(url)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF")
    assert outsider_client.get(url).status_code == 404
    assert anonymous_client.get(url).status_code == 302


def test_the_bucket_is_private(in_s3, s3_endpoint, org, coordinator, request_document):
    client, bucket = in_s3
    document = request_document(org, coordinator)
    document.refresh_from_db()
    key = f"aktiva/{document.file.name}"
    grants = client.get_object_acl(Bucket=bucket, Key=key)["Grants"]
    assert not any("AllUsers" in (g["Grantee"].get("URI") or "") for g in grants)
    # the file has no address of its own that works without the application
    assert requests.get(f"{s3_endpoint}/{bucket}/{key}", timeout=5).status_code == 403


def test_rendering_again_replaces_the_object(in_s3, org, coordinator, request_document):
    from aktiva import documents

    client, bucket = in_s3
    document = request_document(org, coordinator)
    Document.objects.filter(pk=document.pk).update(status=Document.Status.QUEUED)
    documents.document_render(document=documents.document_claim(document_id=document.pk))
    document.refresh_from_db()
    keys = [o["Key"] for o in client.list_objects_v2(Bucket=bucket)["Contents"]]
    assert keys == [f"aktiva/{document.file.name}"]
