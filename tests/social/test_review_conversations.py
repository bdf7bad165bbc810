"""Reviews as conversations: comments and replies, likes, edits, reports, notifications."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import translation

from apps.social.models import Notification
from apps.social.models import NotificationKind
from apps.social.models import Review
from apps.social.models import ReviewComment
from apps.social.models import ReviewReport
from apps.social.services import notification_mark_read
from apps.social.services import notifications_mark_read
from apps.social.services import profile_update
from apps.social.services import review_comment_create
from apps.social.services import review_comment_delete
from apps.social.services import review_like_set
from apps.social.services import review_report_create
from apps.social.services import review_upsert
from config.exceptions import ApplicationError
from tests.factories import NotificationFactory
from tests.social.conftest import client_for

pytestmark = pytest.mark.django_db


@pytest.fixture
def review(alice, title):
    return review_upsert(user=alice, title=title, body="인생 영화")


def _kinds(user) -> list[str]:
    return list(Notification.objects.filter(user=user).order_by("id").values_list("kind", flat=True))


def test_a_comment_notifies_the_author_with_a_link_to_the_comment(alice, bob, review):
    comment = review_comment_create(user=bob, review_id=review.pk, body="동의해요")
    note = Notification.objects.get(user=alice)
    assert note.kind == NotificationKind.REVIEW_COMMENT
    assert note.actor == bob
    assert note.url == reverse("social:review-detail", args=[review.pk]) + f"#comment-{comment.pk}"
    assert review.title.display_title in note.text
    assert Review.objects.get(pk=review.pk).comment_count == 1


def test_a_reply_notifies_the_commenter_and_the_author_once_each(alice, bob, carol, review):
    first = review_comment_create(user=bob, review_id=review.pk, body="첫 댓글")
    review_comment_create(user=carol, review_id=review.pk, body="답글", parent_id=first.pk)
    assert _kinds(bob) == [NotificationKind.COMMENT_REPLY]
    assert _kinds(alice) == [NotificationKind.REVIEW_COMMENT, NotificationKind.REVIEW_COMMENT]
    # the author replying on their own review tells the commenter, not themselves
    review_comment_create(user=alice, review_id=review.pk, body="고마워요", parent_id=first.pk)
    assert _kinds(bob) == [NotificationKind.COMMENT_REPLY, NotificationKind.COMMENT_REPLY]
    assert len(_kinds(alice)) == 2


def test_a_reply_to_a_reply_stays_one_level_deep(bob, carol, review):
    first = review_comment_create(user=bob, review_id=review.pk, body="첫 댓글")
    second = review_comment_create(user=carol, review_id=review.pk, body="답글", parent_id=first.pk)
    third = review_comment_create(user=bob, review_id=review.pk, body="답글의 답글", parent_id=second.pk)
    assert third.parent_id == first.pk


def test_likes_notify_once_and_unlike_takes_the_like_back(alice, bob, review):
    assert review_like_set(user=bob, review=review, liked=True) == 1
    assert review_like_set(user=bob, review=review, liked=True) == 1
    assert review_like_set(user=bob, review=review, liked=False) == 0
    assert _kinds(alice) == [NotificationKind.REVIEW_LIKE]
    review_like_set(user=alice, review=review, liked=True)  # liking my own review tells nobody
    assert len(_kinds(alice)) == 1


def test_a_comment_on_a_deleted_review_is_a_clear_error_and_writes_nothing(alice, bob, review):
    review_id = review.pk
    review.delete()
    with translation.override("en"), pytest.raises(ApplicationError, match="has been deleted"):
        review_comment_create(user=bob, review_id=review_id, body="늦었네")
    assert not ReviewComment.objects.exists()
    assert not Notification.objects.exists()
    # through the page: a message, no crash, nothing written
    response = client_for(bob).post(
        reverse("social:review-reply", args=[review_id]), {"body": "늦었네"}, follow=True
    )
    assert response.status_code == 200
    assert "삭제된 리뷰" in response.content.decode()
    assert not ReviewComment.objects.exists()


def test_a_reply_to_a_deleted_comment_writes_nothing(bob, carol, review):
    first = review_comment_create(user=bob, review_id=review.pk, body="곧 지울 댓글")
    review_comment_delete(user=bob, comment_id=first.pk)
    with pytest.raises(ApplicationError):
        review_comment_create(user=carol, review_id=review.pk, body="답글", parent_id=first.pk)
    assert not ReviewComment.objects.exists()
    assert Review.objects.get(pk=review.pk).comment_count == 0


def test_deleting_a_comment_counts_its_replies_out(bob, carol, review):
    first = review_comment_create(user=bob, review_id=review.pk, body="댓글")
    review_comment_create(user=carol, review_id=review.pk, body="답글", parent_id=first.pk)
    assert Review.objects.get(pk=review.pk).comment_count == 2
    review_comment_delete(user=bob, comment_id=first.pk)
    assert Review.objects.get(pk=review.pk).comment_count == 0


def test_review_page_shows_the_thread_and_only_the_author_edits(alice, bob, review):
    first = review_comment_create(user=bob, review_id=review.pk, body="첫 댓글")
    review_comment_create(user=alice, review_id=review.pk, body="작성자 답글", parent_id=first.pk)
    url = reverse("social:review-detail", args=[review.pk])
    page = client_for(alice).get(url).content.decode()
    assert "첫 댓글" in page
    assert "작성자 답글" in page
    assert reverse("social:review-edit", args=[review.pk]) in page
    assert reverse("social:review-edit", args=[review.pk]) not in client_for(bob).get(url).content.decode()
    client_for(bob).post(reverse("social:review-edit", args=[review.pk]), {"body": "해킹"})
    assert Review.objects.get(pk=review.pk).body == "인생 영화"
    client_for(alice).post(reverse("social:review-edit", args=[review.pk]), {"body": "다시 봐도 인생 영화"})
    assert Review.objects.get(pk=review.pk).body == "다시 봐도 인생 영화"


def test_review_page_respects_the_authors_ratings_visibility(alice, bob, review):
    profile_update(user=alice, data={"visibility_ratings": "private"})
    assert client_for(bob).get(reverse("social:review-detail", args=[review.pk])).status_code == 404
    assert client_for(alice).get(reverse("social:review-detail", args=[review.pk])).status_code == 200


def test_reports_once_per_person_and_never_on_my_own(alice, bob, review):
    review_report_create(user=bob, review_id=review.pk, reason="스팸")
    with pytest.raises(ApplicationError):
        review_report_create(user=bob, review_id=review.pk)
    with pytest.raises(ApplicationError):
        review_report_create(user=alice, review_id=review.pk)
    comment = review_comment_create(user=alice, review_id=review.pk, body="댓글")
    review_report_create(user=bob, review_id=review.pk, comment_id=comment.pk)
    assert ReviewReport.objects.count() == 2


def test_review_delete_by_author_from_the_page(alice, bob, review):
    client_for(bob).post(reverse("social:review-delete", args=[review.pk]))
    assert Review.objects.filter(pk=review.pk).exists()
    client_for(alice).post(reverse("social:review-delete", args=[review.pk]))
    assert not Review.objects.filter(pk=review.pk).exists()
    assert client_for(alice).get(reverse("social:review-detail", args=[review.pk])).status_code == 404


# -- notification centre ----------------------------------------------------------------------
def test_notification_centre_marks_one_and_all_read(alice, bob, carol, review):
    review_comment_create(user=bob, review_id=review.pk, body="하나")
    review_like_set(user=carol, review=review, liked=True)
    first, second = Notification.objects.filter(user=alice).order_by("id")
    client = client_for(alice)
    page = client.get(reverse("social:notifications")).content.decode()
    assert page.count("note--unread") == 2
    # opening one marks it read and goes where it points
    response = client.post(reverse("social:notification-open", args=[first.pk]), {"open": "1"})
    assert response["Location"] == first.url
    first.refresh_from_db()
    assert first.is_read
    unread = client.get(reverse("social:notifications") + "?show=unread").content.decode()
    assert f'data-notification="{second.pk}"' in unread
    assert f'data-notification="{first.pk}"' not in unread
    client.post(reverse("social:notification-open", args=[first.pk]), {"read": "0"})
    first.refresh_from_db()
    assert not first.is_read
    client.post(reverse("social:notifications-read-all"))
    assert not Notification.objects.filter(user=alice, is_read=False).exists()


def test_nobody_marks_someone_elses_notification(alice, bob, review):
    review_comment_create(user=bob, review_id=review.pk, body="하나")
    note = Notification.objects.get(user=alice)
    with pytest.raises(ApplicationError):
        notification_mark_read(user=bob, notification_id=note.pk)
    client_for(bob).post(reverse("social:notification-open", args=[note.pk]))
    note.refresh_from_db()
    assert not note.is_read
    assert notifications_mark_read(user=bob) == 0


def test_opening_a_notification_never_redirects_off_site(alice, bob):
    note = NotificationFactory(user=alice, actor=bob, kind="mention", text="x", url="https://evil.example/")
    response = client_for(alice).post(reverse("social:notification-open", args=[note.pk]), {"open": "1"})
    assert response["Location"] == reverse("social:notifications")


def test_comment_api_replies_and_answers_a_deleted_review_with_the_error_shape(alice, bob, review):
    client = client_for(bob)
    url = reverse("social-api:review-comment-create", args=[review.pk])
    first = client.post(url, {"body": "첫 댓글"}, content_type="application/json").json()
    reply = client.post(
        url, {"body": "답글", "parent_id": first["id"]}, content_type="application/json"
    ).json()
    assert first["parent_id"] is None
    assert reply["parent_id"] == first["id"]
    review_id = review.pk
    review.delete()
    gone = client.post(
        reverse("social-api:review-comment-create", args=[review_id]),
        {"body": "늦음"},
        content_type="application/json",
    )
    assert gone.status_code == 404
    assert gone.json()["extra"] == {"review_id": review_id}
    assert not ReviewComment.objects.exists()


@pytest.mark.parametrize("route", ["social:review-reply", "social:review-comment"])
def test_commenting_on_a_review_hidden_from_me_is_404_and_writes_nothing(alice, bob, review, route):
    profile_update(user=alice, data={"visibility_ratings": "private"})
    response = client_for(bob).post(reverse(route, args=[review.pk]), {"body": "몰래 댓글"})
    assert response.status_code == 404
    assert not ReviewComment.objects.exists()
    assert not Notification.objects.exists()


def test_a_comment_from_the_title_page_returns_there_and_one_from_the_review_page_returns_there(bob, review):
    from_title = client_for(bob).post(reverse("social:review-comment", args=[review.pk]), {"body": "좋아요"})
    assert from_title.url == reverse("social:title", args=[review.title_id])
    first = ReviewComment.objects.get()
    from_review = client_for(bob).post(
        reverse("social:review-reply", args=[review.pk]), {"body": "답글", "parent_id": str(first.pk)}
    )
    assert from_review.url == reverse("social:review-detail", args=[review.pk])
    assert ReviewComment.objects.filter(parent=first).count() == 1
