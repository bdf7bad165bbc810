"""Reading, matching, reviewing and applying an import; a re-import changes nothing."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import translation

from apps.imports.models import BatchStatus
from apps.imports.models import ImportBatch
from apps.imports.models import ImportRow
from apps.imports.models import RowOutcome
from apps.imports.models import RowStatus
from apps.imports.models import TitleLink
from apps.imports.selectors import import_row_counts
from apps.imports.services import import_batch_apply
from apps.imports.services import import_batch_apply_request
from apps.imports.services import import_batch_create
from apps.imports.services import import_row_choose
from apps.imports.services import import_row_skip_set
from apps.imports.tasks import import_batch_apply_task
from apps.imports.tasks import import_batch_read_task
from apps.social.models import DiaryEntry
from apps.social.models import Rating
from apps.social.models import Review
from apps.social.models import WatchlistItem
from config.exceptions import ApplicationError
from config.exceptions import ConflictError
from config.exceptions import NotFoundError
from tests.factories import UserFactory
from tests.imports.conftest import imdb_csv
from tests.imports.conftest import letterboxd_zip

pytestmark = pytest.mark.django_db


def _upload(user, data: bytes, name: str = "letterboxd.zip", *, capture) -> ImportBatch:
    with capture(execute=True):
        batch = import_batch_create(
            user=user, upload=SimpleUploadedFile(name, data), enqueue_read=import_batch_read_task.delay
        )
    batch.refresh_from_db()
    return batch


def _apply(user, batch: ImportBatch, *, capture) -> ImportBatch:
    with capture(execute=True):
        import_batch_apply_request(user=user, batch_id=batch.pk, enqueue_apply=import_batch_apply_task.delay)
    batch.refresh_from_db()
    return batch


def _rows(batch: ImportBatch, **filters) -> list[ImportRow]:
    return list(batch.rows.filter(**filters).order_by("id"))


def test_upload_is_read_and_matched_but_nothing_is_written_before_review(
    user, catalog, django_capture_on_commit_callbacks
):
    batch = _upload(user, letterboxd_zip(), capture=django_capture_on_commit_callbacks)

    assert batch.status == BatchStatus.REVIEW
    assert (batch.progress_done, batch.progress_total) == (9, 9)
    assert not batch.upload  # the rows hold what the file said
    counts = import_row_counts(batch=batch)
    # Parasite ×4 (rating, 2 diary, review) + Decision to Leave; Alone; unknown film; 2 problems.
    assert (counts["matched"], counts["ambiguous"], counts["unmatched"], counts["invalid"]) == (5, 1, 1, 2)
    ambiguous = _rows(batch, status=RowStatus.AMBIGUOUS)[0]
    assert set(ambiguous.candidate_ids) == {catalog["alone_a"].pk, catalog["alone_b"].pk}
    assert not Rating.objects.filter(user=user).exists()
    assert not DiaryEntry.objects.filter(user=user).exists()
    assert not WatchlistItem.objects.filter(user=user).exists()


def test_apply_writes_chosen_rows_and_a_reimport_changes_nothing(
    user, catalog, django_capture_on_commit_callbacks
):
    # given: the person chose one of the two "Alone" films and applied
    batch = _upload(user, letterboxd_zip(), capture=django_capture_on_commit_callbacks)
    ambiguous = _rows(batch, status=RowStatus.AMBIGUOUS)[0]
    import_row_choose(user=user, row_id=ambiguous.pk, title_id=catalog["alone_b"].pk)
    batch = _apply(user, batch, capture=django_capture_on_commit_callbacks)

    # then
    assert batch.status == BatchStatus.APPLIED
    ratings = dict(Rating.objects.filter(user=user).values_list("title_id", "half_stars"))
    assert ratings == {catalog["parasite"].pk: 10, catalog["alone_b"].pk: 7}
    assert sorted(
        DiaryEntry.objects.filter(user=user).values_list("watched_on", "rewatch", "half_stars")
    ) == [
        (dt.date(2024, 1, 4), False, 10),
        (dt.date(2024, 1, 31), True, 9),
    ]
    assert list(WatchlistItem.objects.filter(user=user).values_list("title_id", flat=True)) == [
        catalog["decision"].pk
    ]
    assert Review.objects.get(user=user).body == "Two families,\none house."
    counts = import_row_counts(batch=batch)
    assert counts["changed"] == 6
    assert counts["outcome:skipped"] == 3  # the unmatched film and the two rows with problems
    assert catalog["parasite"].__class__.objects.get(pk=catalog["parasite"].pk).rating_count == 1

    # when: the same file again
    again = _upload(user, letterboxd_zip(), capture=django_capture_on_commit_callbacks)
    # then: the film chosen last time is matched by its remembered URI, and nothing changes
    assert import_row_counts(batch=again)["ambiguous"] == 0
    again = _apply(user, again, capture=django_capture_on_commit_callbacks)
    counts = import_row_counts(batch=again)
    assert counts["changed"] == 0
    assert counts["outcome:unchanged"] == 6
    assert Rating.objects.filter(user=user).count() == 2
    assert DiaryEntry.objects.filter(user=user).count() == 2


def test_imdb_rows_match_by_name_first_then_by_their_const(user, catalog, django_capture_on_commit_callbacks):
    batch = _upload(user, imdb_csv(), "ratings.csv", capture=django_capture_on_commit_callbacks)
    assert batch.source == "imdb"
    assert [r.status for r in _rows(batch)] == [RowStatus.MATCHED, RowStatus.MATCHED, RowStatus.INVALID]
    _apply(user, batch, capture=django_capture_on_commit_callbacks)
    assert TitleLink.objects.get(source="imdb", external_id="tt6751668").title_id == catalog["parasite"].pk

    # A renamed catalog title no longer matches by name, but the const still finds it.
    catalog["parasite"].__class__.objects.filter(pk=catalog["parasite"].pk).update(title_en="Gisaengchung")
    again = _upload(user, imdb_csv(), "ratings.csv", capture=django_capture_on_commit_callbacks)
    assert _rows(again)[0].title_id == catalog["parasite"].pk


def test_skipped_matched_row_and_unchosen_ambiguous_row_are_not_written(
    user, catalog, django_capture_on_commit_callbacks
):
    batch = _upload(user, letterboxd_zip(), capture=django_capture_on_commit_callbacks)
    watchlist_row = _rows(batch, kind="watchlist")[0]
    import_row_skip_set(user=user, row_id=watchlist_row.pk, skip=True)

    batch = _apply(user, batch, capture=django_capture_on_commit_callbacks)

    assert not WatchlistItem.objects.filter(user=user).exists()
    assert not Rating.objects.filter(user=user, title__in=[catalog["alone_a"], catalog["alone_b"]]).exists()
    assert _rows(batch, status=RowStatus.AMBIGUOUS)[0].outcome == RowOutcome.SKIPPED


def test_choice_must_be_an_offered_candidate_and_the_batch_mine(
    user, catalog, django_capture_on_commit_callbacks
):
    batch = _upload(user, letterboxd_zip(), capture=django_capture_on_commit_callbacks)
    ambiguous = _rows(batch, status=RowStatus.AMBIGUOUS)[0]

    with pytest.raises(ConflictError, match="offered"):
        import_row_choose(user=user, row_id=ambiguous.pk, title_id=catalog["parasite"].pk)
    with pytest.raises(NotFoundError, match="No such import row"):
        import_row_choose(user=UserFactory(), row_id=ambiguous.pk, title_id=catalog["alone_a"].pk)
    ambiguous.refresh_from_db()
    assert ambiguous.title_id is None


def test_unmatched_row_can_be_given_any_catalog_title(user, catalog, django_capture_on_commit_callbacks):
    batch = _upload(user, letterboxd_zip(), capture=django_capture_on_commit_callbacks)
    unmatched = _rows(batch, status=RowStatus.UNMATCHED)[0]

    import_row_choose(user=user, row_id=unmatched.pk, title_id=catalog["burning"].pk)
    _apply(user, batch, capture=django_capture_on_commit_callbacks)

    assert Rating.objects.get(user=user, title=catalog["burning"]).half_stars == 4


def test_applying_twice_is_refused_and_changes_nothing(user, catalog, django_capture_on_commit_callbacks):
    batch = _upload(user, letterboxd_zip(), capture=django_capture_on_commit_callbacks)
    _apply(user, batch, capture=django_capture_on_commit_callbacks)

    with pytest.raises(ConflictError, match="already been applied"):
        import_batch_apply_request(user=user, batch_id=batch.pk, enqueue_apply=import_batch_apply_task.delay)
    assert import_batch_apply(batch_id=batch.pk).status == BatchStatus.APPLIED
    assert Rating.objects.filter(user=user).count() == 1


def test_a_file_of_another_shape_fails_the_batch_with_the_reason_and_keeps_no_rows(
    user, db, django_capture_on_commit_callbacks
):
    batch = _upload(
        user, b"email,phone\na@b.c,1\n", "contacts.csv", capture=django_capture_on_commit_callbacks
    )

    assert batch.status == BatchStatus.FAILED
    assert "ratings.csv, diary.csv, watchlist.csv, reviews.csv" in batch.error_text
    assert not batch.rows.exists()
    with pytest.raises(ConflictError, match="not ready"):
        import_batch_apply_request(user=user, batch_id=batch.pk, enqueue_apply=import_batch_apply_task.delay)


def test_empty_upload_is_refused(user, db):
    with pytest.raises(ApplicationError, match="empty"):
        import_batch_create(
            user=user,
            upload=SimpleUploadedFile("ratings.csv", b""),
            enqueue_read=import_batch_read_task.delay,
        )
    assert not ImportBatch.objects.exists()


@pytest.mark.parametrize(("language", "note"), [("en", "too long"), ("ko", "너무 길어요")])
def test_review_too_long_fails_alone_and_the_rest_is_written(
    user, catalog, django_capture_on_commit_callbacks, language, note
):
    long_review = (
        "Date,Name,Year,Letterboxd URI,Rating,Rewatch,Review,Tags,Watched Date\n"
        f'2024-01-05,Parasite,2019,https://boxd.it/aAa1,5,,"{"길다" * 3000}",,2024-01-04\n'
    ).encode()
    batch = _upload(
        user, letterboxd_zip({"reviews.csv": long_review}), capture=django_capture_on_commit_callbacks
    )
    # The person applies in their language; the worker writes the refusal in it.
    with translation.override(language):
        batch = _apply(user, batch, capture=django_capture_on_commit_callbacks)

    assert batch.language == language
    review_row = _rows(batch, kind="review")[0]
    assert review_row.outcome == RowOutcome.FAILED
    assert note in review_row.outcome_note
    assert not Review.objects.filter(user=user).exists()
    assert Rating.objects.filter(user=user).exists()


def test_titles_without_match_keys_get_them_before_matching(user, db, django_capture_on_commit_callbacks):
    # given: a title added outside ingestion (as the demo catalog or an admin add does)
    from tests.factories import TitleFactory

    title = TitleFactory(title_ko="기생충", title_en="Parasite", year=2019)
    assert not title.match_keys.exists()

    batch = _upload(user, letterboxd_zip(), capture=django_capture_on_commit_callbacks)

    assert _rows(batch, kind="rating")[0].title_id == title.pk


def test_a_persons_own_choice_never_decides_another_persons_import(
    user, catalog, django_capture_on_commit_callbacks
):
    # given: the person gave the film Moochu could not find a title of their own choosing
    batch = _upload(user, letterboxd_zip(), capture=django_capture_on_commit_callbacks)
    unmatched = _rows(batch, status=RowStatus.UNMATCHED)[0]
    import_row_choose(user=user, row_id=unmatched.pk, title_id=catalog["burning"].pk)
    _apply(user, batch, capture=django_capture_on_commit_callbacks)
    assert TitleLink.objects.get(external_id=unmatched.external_id).user == user

    # when: someone else imports the same film
    other = UserFactory()
    theirs = _upload(other, letterboxd_zip(), capture=django_capture_on_commit_callbacks)

    # then: it is still unmatched for them, while the chooser's re-import finds it by its link
    assert [r.title_id for r in _rows(theirs, external_id=unmatched.external_id)] == [None]
    mine = _upload(user, letterboxd_zip(), capture=django_capture_on_commit_callbacks)
    (again,) = _rows(mine, external_id=unmatched.external_id)
    assert (again.status, again.title_id, again.by_link) == (RowStatus.MATCHED, catalog["burning"].pk, True)


def test_a_sure_name_match_is_remembered_for_everyone(user, catalog, django_capture_on_commit_callbacks):
    batch = _upload(user, imdb_csv(), "ratings.csv", capture=django_capture_on_commit_callbacks)
    _apply(user, batch, capture=django_capture_on_commit_callbacks)
    assert TitleLink.objects.get(source="imdb", external_id="tt6751668").user is None

    catalog["parasite"].__class__.objects.filter(pk=catalog["parasite"].pk).update(title_en="Gisaengchung")
    theirs = _upload(UserFactory(), imdb_csv(), "ratings.csv", capture=django_capture_on_commit_callbacks)
    assert (_rows(theirs)[0].title_id, _rows(theirs)[0].by_link) == (catalog["parasite"].pk, True)


def test_a_row_is_reviewed_only_through_its_own_batch(user, catalog, django_capture_on_commit_callbacks):
    first = _upload(user, letterboxd_zip(), capture=django_capture_on_commit_callbacks)
    second = _upload(user, letterboxd_zip(), capture=django_capture_on_commit_callbacks)
    row = _rows(first, status=RowStatus.AMBIGUOUS)[0]

    with pytest.raises(NotFoundError):
        import_row_choose(user=user, row_id=row.pk, title_id=catalog["alone_a"].pk, batch_id=second.pk)
    with pytest.raises(NotFoundError):
        import_row_skip_set(
            user=user, row_id=_rows(first, kind="watchlist")[0].pk, skip=True, batch_id=second.pk
        )
    row.refresh_from_db()
    assert row.title_id is None
