"""My account: export (JSON and a ZIP of CSVs, also for an empty account) and deletion
(what goes, what stays, refused without proof, and a second delete)."""

from __future__ import annotations

import csv
import io
import json
import zipfile

import pytest
from django.test import Client

from apps.chat.models import Message
from apps.chat.services import message_create
from apps.chat.services import room_create
from apps.social.models import GuestbookEntry
from apps.social.models import Rating
from apps.social.models import Review
from apps.social.models import ReviewComment
from apps.social.models import User
from apps.social.selectors_account import account_export_collect
from apps.social.selectors_account import account_export_zip
from apps.social.services import guestbook_entry_create
from apps.social.services.account_data import account_delete
from apps.social.services.ratings import diary_entry_create
from apps.social.services.ratings import rating_set
from apps.social.services.ratings import review_comment_create
from apps.social.services.ratings import review_upsert
from apps.social.services.ratings import watchlist_add
from config.exceptions import ApplicationError
from tests.factories import TitleFactory
from tests.factories import UserFactory
from tests.social.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def busy_alice(alice, bob):
    """Alice saved something of every kind; Bob commented on her review."""
    murder = TitleFactory(title_ko="살인의 추억", title_en="Memories of Murder", year=2003)
    host = TitleFactory(title_ko="괴물", title_en="The Host", year=2006)
    rating_set(user=alice, title=murder, stars="4.5")
    review = review_upsert(user=alice, title=murder, body="논두렁의 마지막 장면, 잊히지 않아요")
    review_comment_create(user=bob, review_id=review.pk, body="동감!")
    watchlist_add(user=alice, title=host)
    diary_entry_create(user=alice, title=murder, note="두 번째 관람")
    guestbook_entry_create(owner=bob, author=alice, body="밥돌님 안녕, 일촌해요")
    guestbook_entry_create(owner=alice, author=bob, body="앨리스 미니홈피 예뻐요")
    room = room_create(owner=bob, name="봉준호 특집")
    message_create(room_id=room.pk, author=alice, body="괴물 최고")
    message_create(room_id=room.pk, author=bob, body="인정")
    return alice


# ---- export -----------------------------------------------------------------
def test_export_collects_every_kind_the_page_promises(busy_alice, django_assert_max_num_queries):
    with django_assert_max_num_queries(6):
        data = account_export_collect(user=busy_alice)

    assert data["account"]["nickname"] == "앨리스"
    assert [(r["title"], r["stars"]) for r in data["ratings"]] == [("살인의 추억", 4.5)]
    assert data["reviews"][0]["body"] == "논두렁의 마지막 장면, 잊히지 않아요"
    assert data["reviews"][0]["comments"] == 1
    assert [w["title_en"] for w in data["watchlist"]] == ["The Host"]
    assert data["diary"][0]["note"] == "두 번째 관람"
    # only entries she wrote, not the one written on her page
    assert [(g["on_page_of"], g["body"]) for g in data["guestbook_written"]] == [
        ("bob", "밥돌님 안녕, 일촌해요")
    ]


def test_csv_zip_has_one_readable_file_per_kind(busy_alice):
    archive = zipfile.ZipFile(io.BytesIO(account_export_zip(account_export_collect(user=busy_alice))))

    assert sorted(archive.namelist()) == [
        "diary.csv",
        "guestbook_written.csv",
        "moochu-export.json",
        "ratings.csv",
        "reviews.csv",
        "watchlist.csv",
    ]
    rows = list(csv.DictReader(io.StringIO(archive.read("ratings.csv").decode("utf-8-sig"))))
    assert rows == [
        {
            "title_id": rows[0]["title_id"],
            "title": "살인의 추억",
            "title_en": "Memories of Murder",
            "year": "2003",
            "stars": "4.5",
            "rated_at": rows[0]["rated_at"],
        }
    ]


def test_exporting_an_empty_account_gives_headers_and_empty_lists_and_says_so(bob):
    client = client_for(bob)

    page = client.get("/me/account/").content.decode()
    assert 'data-role="export-empty"' in page

    data = json.loads(client.get("/me/account/export.json").content)
    assert data["ratings"] == data["reviews"] == data["watchlist"] == data["diary"] == []
    assert data["guestbook_written"] == []
    archive = zipfile.ZipFile(io.BytesIO(client.get("/me/account/export.zip").content))
    assert (
        archive.read("watchlist.csv").decode("utf-8-sig").strip() == "title_id,title,title_en,year,added_at"
    )


def test_export_downloads_are_attachments_and_private(busy_alice):
    response = client_for(busy_alice).get("/me/account/export.zip")

    assert response["Content-Type"] == "application/zip"
    assert response["Content-Disposition"].startswith('attachment; filename="moochu-export-')
    assert response["Cache-Control"] == "no-store"
    assert Client().get("/me/account/export.json").status_code == 302
    assert client_for(busy_alice).get("/me/account/export.exe").status_code == 404


def test_account_page_lists_addresses_connections_and_counts(busy_alice):
    page = client_for(busy_alice).get("/me/account/").content.decode()

    assert busy_alice.email in page
    assert "/accounts/email/" in page
    assert "/accounts/password/change/" in page
    assert 'data-role="social-accounts"' in page
    assert 'data-role="delete-effects"' in page
    assert "채팅 메시지는 내용이 지워져요" in page


# ---- deletion ---------------------------------------------------------------
def test_deleting_removes_what_the_page_says_and_erases_chat_messages(busy_alice, bob):
    alice_id = busy_alice.pk
    her_messages = list(Message.objects.filter(author=busy_alice).values_list("pk", flat=True))

    removed = account_delete(user=busy_alice, password="pass-word-123")

    assert removed["ratings"] == 1
    assert removed["chat_messages_erased"] == 1
    assert not User.objects.filter(pk=alice_id).exists()
    assert not Rating.objects.filter(user_id=alice_id).exists()
    assert not Review.objects.exists()
    assert not ReviewComment.objects.exists()  # Bob's comment went with her review
    # guestbook entries she wrote (on Bob's page) and her own guestbook are gone
    assert not GuestbookEntry.objects.exists()
    # her chat message keeps its place, without text or name; Bob's is untouched
    erased = Message.objects.get(pk=her_messages[0])
    assert (erased.author_id, erased.body, erased.is_deleted) == (None, "", True)
    assert Message.objects.get(author=bob).body == "인정"


def test_deleting_needs_the_password_and_changes_nothing_without_it(busy_alice):
    with pytest.raises(ApplicationError):
        account_delete(user=busy_alice, password="wrong")

    assert User.objects.filter(pk=busy_alice.pk).exists()
    assert Message.objects.filter(author=busy_alice, deleted_at__isnull=True).count() == 1


def test_social_only_accounts_confirm_with_their_nickname(db):
    user = UserFactory(nickname="카카오친구")
    user.set_unusable_password()
    user.save()

    with pytest.raises(ApplicationError):
        account_delete(user=user, confirm="다른이름")
    account_delete(user=user, confirm="카카오친구")

    assert not User.objects.filter(pk=user.pk).exists()


def test_deleting_twice_is_a_clear_refusal(busy_alice):
    account_delete(user=busy_alice, password="pass-word-123")

    with pytest.raises(ApplicationError) as again:
        account_delete(user=busy_alice, password="pass-word-123")
    assert again.value.extra["code"] == "already_deleted"


def test_delete_page_flow_signs_out_and_a_second_post_is_told_so(busy_alice):
    client = client_for(busy_alice)
    client.cookies["django_language"] = "en"

    wrong = client.post("/me/account/delete/", {"password": "nope"})
    assert wrong.status_code == 400
    assert "The password is not right." in wrong.content.decode()

    done = client.post("/me/account/delete/", {"password": "pass-word-123"}, follow=True)
    assert "Your account was deleted" in done.content.decode()
    assert "_auth_user_id" not in client.session

    again = client.post("/me/account/delete/", {"password": "pass-word-123"}, follow=True)
    assert "This account was already deleted, or you are signed out." in again.content.decode()
