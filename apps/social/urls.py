"""Social pages: /@nickname homepages, /me/…, /inbox/, /feed/, /board/…"""

from __future__ import annotations

from django.urls import path

from apps.recs import views as recs_views
from apps.social import views

app_name = "social"
urlpatterns = [
    # Title actions (posted from the title-page include)
    path("titles/<int:title_id>/social/", views.title_social, name="title"),
    path("me/titles/<int:title_id>/rate/", views.rating_set_view, name="rate"),
    path("me/titles/<int:title_id>/watchlist/", views.watchlist_toggle_view, name="watchlist"),
    path("me/titles/<int:title_id>/diary/", views.diary_create_view, name="diary"),
    path("me/titles/<int:title_id>/review/", views.review_upsert_view, name="review"),
    path("me/titles/<int:title_id>/recommend/", views.recommend_view, name="recommend"),
    path("me/titles/<int:title_id>/recommend/friends/", views.recommend_friends, name="recommend-friends"),
    path("me/reviews/<int:review_id>/delete/", views.review_delete_view, name="review-delete"),
    path("me/reviews/<int:review_id>/comment/", views.review_comment_view, name="review-comment"),
    path("me/reviews/<int:review_id>/like/", views.review_like_view, name="review-like"),
    # Me
    path("me/profile/", views.profile_edit, name="profile-edit"),
    path("me/avatar/", views.avatar_upload, name="avatar"),
    path("me/shelf/", views.shelf_edit, name="shelf-edit"),
    path("me/onboarding/", views.onboarding, name="onboarding"),
    path("me/friends/", views.friends, name="friends"),
    path(
        "me/friend-requests/<int:request_id>/<str:action>/",
        views.friend_request_answer_view,
        name="friend-request-answer",
    ),
    path("me/guestbook/<int:entry_id>/reply/", views.guestbook_reply_view, name="guestbook-reply"),
    path("me/guestbook/<int:entry_id>/delete/", views.guestbook_delete_view, name="guestbook-delete"),
    path("me/notifications/read/", views.notifications_read_view, name="notifications-read"),
    # My account: addresses, password, connected accounts, export, deletion
    path("me/account/", views.account_settings, name="account"),
    path("me/account/export.<str:fmt>", views.account_export, name="account-export"),
    path("me/account/delete/", views.account_delete_view, name="account-delete"),
    path("me/account/deleted/", views.account_deleted, name="account-deleted"),
    path("me/watch-alerts/", views.watch_alert_preference_view, name="watch-alert-preference"),
    path("inbox/", views.inbox, name="inbox"),
    path(
        "inbox/<int:recommendation_id>/<str:action>/",
        views.recommendation_answer_view,
        name="recommendation-answer",
    ),
    path("feed/", views.feed, name="feed"),
    # Board
    path("board/", views.board_list, name="board"),
    path("board/new/", views.board_edit, name="board-new"),
    path("board/<int:post_id>/", views.board_detail, name="board-detail"),
    path("board/<int:post_id>/edit/", views.board_edit, name="board-edit"),
    path("board/<int:post_id>/delete/", views.board_delete_view, name="board-delete"),
    path("board/<int:post_id>/moderate/", views.board_moderate_view, name="board-moderate"),
    path("board/<int:post_id>/comment/", views.board_comment_view, name="board-comment"),
    path("board/<int:post_id>/like/", views.board_like_view, name="board-like"),
    # My library, reviews as conversations, notification centre, picks
    path("me/watchlist/", views.watchlist_page, name="watchlist-page"),
    path("me/diary/", views.diary_page, name="diary-page"),
    path("me/diary/log/", views.diary_log_view, name="diary-log"),
    path("me/diary/<int:entry_id>/edit/", views.diary_edit, name="diary-edit"),
    path("me/diary/<int:entry_id>/delete/", views.diary_delete_view, name="diary-delete"),
    path("reviews/<int:review_id>/", views.review_detail, name="review-detail"),
    path("reviews/<int:review_id>/reply/", views.review_reply_view, name="review-reply"),
    path("reviews/<int:review_id>/edit/", views.review_edit_view, name="review-edit"),
    path("reviews/<int:review_id>/report/", views.review_report_view, name="review-report"),
    path(
        "me/review-comments/<int:comment_id>/delete/",
        views.review_comment_delete_view,
        name="review-comment-delete",
    ),
    path("me/notifications/", views.notifications_page, name="notifications"),
    path("me/notifications/read-all/", views.notifications_read_all_view, name="notifications-read-all"),
    path(
        "me/notifications/<int:notification_id>/",
        views.notification_open_view,
        name="notification-open",
    ),
    path("picks/", views.picks_page, name="picks"),
    path("picks/<int:title_id>/dismiss/", views.pick_dismiss_view, name="pick-dismiss"),
    path("picks/<int:title_id>/restore/", views.pick_restore_view, name="pick-restore"),
    # Mini-homepages
    path("@<str:nickname>/", views.homepage, name="homepage"),
    path("@<str:nickname>/guestbook/", views.guestbook_create_view, name="guestbook-create"),
    path("@<str:nickname>/surf/", views.surf, name="surf"),
    # The anonymous page's visit beacon (POST, JSON): before the catch-all relation route.
    path("@<str:nickname>/visit/", views.homepage_visit, name="homepage-visit"),
    path("@<str:nickname>/friend-request/", views.friend_request_view, name="friend-request"),
    path("@<str:nickname>/taste/", recs_views.taste_page, name="taste"),
    path("@<str:nickname>/<str:action>/", views.relation_view, name="relation"),
]
