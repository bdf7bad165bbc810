from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client
from django.utils import translation

from apps.social.models import ReviewReport
from apps.social.services import board_post_create
from apps.social.services import guestbook_entry_create
from apps.social.services.ratings import review_comment_create
from apps.social.services.ratings import review_upsert
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


def test_admin_lists_and_moderation_action_work(alice, bob, title):
    post = board_post_create(author=alice, heading="광고 글", body="spam", title_ids=[title.pk])
    guestbook_entry_create(owner=alice, author=bob, body="hi")
    staff = UserFactory(is_staff=True, is_superuser=True)
    client = Client()
    client.force_login(staff)
    for model in (
        "user",
        "rating",
        "review",
        "guestbookentry",
        "boardpost",
        "profile",
        "block",
        "notification",
    ):
        assert client.get(f"/admin/social/{model}/").status_code == 200, model
    client.post("/admin/social/boardpost/", {"action": "hide", "_selected_action": [post.pk]})
    post.refresh_from_db()
    assert post.is_hidden


def _moochu_admin_models():
    return [model for model in admin.site._registry if model.__module__.startswith("apps.")]


def test_every_admin_section_and_model_name_reads_in_korean_and_proper_english():
    # given: the models staff see in the admin, and the apps that head their sections
    models = _moochu_admin_models()
    sections = {apps.get_app_config(model._meta.app_label) for model in models}
    untranslated, odd_plurals = [], []
    for model in models:
        with translation.override("en"):
            english = str(model._meta.verbose_name_plural)
        with translation.override("ko"):
            korean = str(model._meta.verbose_name_plural)
        if korean == english:
            untranslated.append(model._meta.label)
        # Django's default plural adds "s": "entrys", "batchs", "persons", "accesss"
        if english.endswith(("ys", "chs", "shs", "sss", "xs", "persons")) and not english.endswith(
            ("ays", "eys", "oys")
        ):
            odd_plurals.append(english)
    for section in sections:
        with translation.override("en"):
            english = str(section.verbose_name)
        with translation.override("ko"):
            if str(section.verbose_name) == english:
                untranslated.append(section.name)
    assert untranslated == []
    assert odd_plurals == []
    assert {"movies", "social", "chat", "recs"} <= {section.label for section in sections}


def test_the_korean_admin_index_names_sections_and_models_in_korean(client: Client):
    staff = UserFactory(is_staff=True, is_superuser=True)
    client.force_login(staff)
    client.cookies["django_language"] = "ko"

    page = client.get("/admin/").content.decode()

    for heading in ("카탈로그", "사람들", "채팅", "추천 엔진", "리뷰 신고", "리뷰 댓글", "게시판 글", "작품"):
        assert heading in page, heading
    for english in (">Reviews<", ">Titles<", ">Messages<", ">Board posts<", ">Social<", ">Movies<"):
        assert english not in page, english


def test_a_review_report_reaches_the_staff_in_the_admin_with_a_link_to_the_review(alice, bob, title):
    # given: bob reports a comment on alice's review from the review page
    review = review_upsert(user=alice, title=title, body="계단이 너무 많아요")
    comment = review_comment_create(user=alice, review_id=review.pk, body="광고성 댓글 http://spam")
    reporter = Client()
    reporter.force_login(bob)
    reporter.post(f"/reviews/{review.pk}/report/", {"comment_id": comment.pk, "reason": "광고예요"})
    assert ReviewReport.objects.filter(reporter=bob, comment=comment).exists()
    staff = Client()
    staff.force_login(UserFactory(is_staff=True, is_superuser=True))
    staff.cookies["django_language"] = "ko"

    # when: staff open the reports and the comments
    reports = staff.get("/admin/social/reviewreport/").content.decode()
    comments = staff.get("/admin/social/reviewcomment/?q=spam").content.decode()

    # then: the report says who, why and what, and links to the review page
    assert "광고예요" in reports
    for heading in ("신고 시각", "작성자", "사유"):  # column headings in the reader's language
        assert heading in reports, heading
    assert "Reporter" not in reports
    assert "Reason" not in reports
    assert "광고성 댓글" in reports
    assert f'href="/reviews/{review.pk}/"' in reports
    assert "광고성 댓글" in comments
