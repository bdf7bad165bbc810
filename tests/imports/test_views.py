"""Import pages and the progress API: upload, review choices, apply, refusals."""

from __future__ import annotations

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from apps.imports.models import BatchStatus
from apps.imports.models import ImportBatch
from apps.imports.models import RowStatus
from apps.imports.parsing import MAX_UPLOAD_BYTES
from apps.social.models import Rating
from tests.factories import UserFactory
from tests.imports.conftest import letterboxd_zip

pytestmark = pytest.mark.django_db


def _upload(client, data: bytes, name: str = "letterboxd.zip", capture=None):
    # The read task runs on commit; the page is fetched after it, as the progress poll would.
    with capture(execute=True):
        response = client.post(reverse("imports:home"), {"file": SimpleUploadedFile(name, data)})
    return client.get(response["Location"])


def test_upload_page_needs_sign_in(client):
    response = client.get(reverse("imports:home"))
    assert response.status_code == 302
    assert "/accounts/login/" in response["Location"]


def test_upload_shows_the_review_with_each_group(
    logged_in_client, catalog, django_capture_on_commit_callbacks
):
    response = _upload(logged_in_client, letterboxd_zip(), capture=django_capture_on_commit_callbacks)

    assert response.status_code == 200
    page = response.content.decode()
    # The ambiguous tab opens first, with both "Alone" films offered.
    assert 'name="title_id" value="{}"'.format(catalog["alone_a"].pk) in page
    assert 'name="title_id" value="{}"'.format(catalog["alone_b"].pk) in page
    batch = ImportBatch.objects.get()
    invalid = logged_in_client.get(
        reverse("imports:detail", args=[batch.pk]) + "?show=invalid"
    ).content.decode()
    assert "2024-13-45" in invalid
    assert "0.5–5" in invalid


def test_choose_then_apply_writes_and_the_api_reports_the_outcome(
    logged_in_client, user, catalog, django_capture_on_commit_callbacks
):
    _upload(logged_in_client, letterboxd_zip(), capture=django_capture_on_commit_callbacks)
    batch = ImportBatch.objects.get()
    row = batch.rows.get(status=RowStatus.AMBIGUOUS)

    logged_in_client.post(
        reverse("imports:row-choose", args=[batch.pk, row.pk]), {"title_id": catalog["alone_a"].pk}
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = logged_in_client.post(reverse("imports:apply", args=[batch.pk]))
    page = logged_in_client.get(response["Location"], HTTP_ACCEPT_LANGUAGE="en")

    assert page.context["batch"].status == BatchStatus.APPLIED
    assert page.context["outcomes"]["created"] == 6
    assert Rating.objects.filter(user=user, title=catalog["alone_a"]).exists()
    data = logged_in_client.get(reverse("imports-api:detail", args=[batch.pk])).json()
    assert data["status"] == BatchStatus.APPLIED
    assert data["counts"]["changed"] == 6


def test_a_choice_outside_the_candidates_shows_an_error_and_changes_nothing(
    logged_in_client, catalog, django_capture_on_commit_callbacks
):
    _upload(logged_in_client, letterboxd_zip(), capture=django_capture_on_commit_callbacks)
    batch = ImportBatch.objects.get()
    row = batch.rows.get(status=RowStatus.AMBIGUOUS)

    response = logged_in_client.post(
        reverse("imports:row-choose", args=[batch.pk, row.pk]),
        {"title_id": catalog["parasite"].pk},
        follow=True,
    )

    assert response.status_code == 200
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    row.refresh_from_db()
    assert row.title_id is None


def test_another_persons_batch_is_404_on_page_and_api(
    logged_in_client, catalog, django_capture_on_commit_callbacks
):
    other = UserFactory()
    batch = ImportBatch.objects.create(user=other, filename="x.csv", status=BatchStatus.REVIEW)

    assert logged_in_client.get(reverse("imports:detail", args=[batch.pk])).status_code == 404
    response = logged_in_client.get(reverse("imports-api:detail", args=[batch.pk]))
    assert response.status_code == 404
    assert set(response.json()) == {"message", "extra"}


def test_a_file_of_another_shape_shows_the_expected_files(
    logged_in_client, db, django_capture_on_commit_callbacks
):
    response = _upload(
        logged_in_client, b"email,phone\na@b.c,1\n", "contacts.csv", django_capture_on_commit_callbacks
    )

    page = response.content.decode()
    assert "ratings.csv, diary.csv, watchlist.csv, reviews.csv" in page
    assert ImportBatch.objects.get().status == BatchStatus.FAILED


def test_an_upload_over_50_mb_is_refused_on_its_declared_length(logged_in_client, db):
    # The body is tiny; the declared length alone must be enough to refuse before reading.
    response = logged_in_client.post(
        reverse("imports:home"),
        data=b"",
        content_type="multipart/form-data; boundary=x",
        CONTENT_LENGTH=str(MAX_UPLOAD_BYTES + 10 * 1024 * 1024),
        follow=True,
    )

    [message] = list(response.context["messages"])
    assert message.level_tag == "error"
    assert "50" in message.message
    assert not ImportBatch.objects.exists()


def test_upload_without_a_file_asks_for_one(logged_in_client, db):
    response = logged_in_client.post(reverse("imports:home"), {}, follow=True)
    assert [m.level_tag for m in response.context["messages"]] == ["error"]
    assert not ImportBatch.objects.exists()
