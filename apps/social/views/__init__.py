"""Social pages by subdomain, split the way ``apps/social/services/`` is. Thin views over the
services and selectors: every state change is a POST (CSRF-protected by the middleware);
business errors come back as a message on the page they were made from, with nothing saved.

The URLconf imports the views from here."""

from __future__ import annotations

from apps.social.views.account import account_delete_view
from apps.social.views.account import account_deleted
from apps.social.views.account import account_export
from apps.social.views.account import account_settings
from apps.social.views.board import board_comment_view
from apps.social.views.board import board_delete_view
from apps.social.views.board import board_detail
from apps.social.views.board import board_edit
from apps.social.views.board import board_like_view
from apps.social.views.board import board_list
from apps.social.views.board import board_moderate_view
from apps.social.views.friends import friend_request_answer_view
from apps.social.views.friends import friend_request_view
from apps.social.views.friends import friends
from apps.social.views.friends import relation_view
from apps.social.views.homepage import avatar_upload
from apps.social.views.homepage import guestbook_create_view
from apps.social.views.homepage import guestbook_delete_view
from apps.social.views.homepage import guestbook_reply_view
from apps.social.views.homepage import homepage
from apps.social.views.homepage import homepage_visit
from apps.social.views.homepage import profile_edit
from apps.social.views.homepage import shelf_edit
from apps.social.views.homepage import surf
from apps.social.views.library import diary_delete_view
from apps.social.views.library import diary_edit
from apps.social.views.library import diary_log_view
from apps.social.views.library import diary_page
from apps.social.views.library import watchlist_page
from apps.social.views.notifications import notification_open_view
from apps.social.views.notifications import notifications_page
from apps.social.views.notifications import notifications_read_all_view
from apps.social.views.notifications import watch_alert_preference_view
from apps.social.views.picks import pick_dismiss_view
from apps.social.views.picks import pick_restore_view
from apps.social.views.picks import picks_page
from apps.social.views.ratings import diary_create_view
from apps.social.views.ratings import onboarding
from apps.social.views.ratings import rating_set_view
from apps.social.views.ratings import review_upsert_view
from apps.social.views.ratings import title_social
from apps.social.views.ratings import watchlist_toggle_view
from apps.social.views.recommendations import feed
from apps.social.views.recommendations import inbox
from apps.social.views.recommendations import notifications_read_view
from apps.social.views.recommendations import recommend_friends
from apps.social.views.recommendations import recommend_view
from apps.social.views.recommendations import recommendation_answer_view
from apps.social.views.reviews import review_comment_delete_view
from apps.social.views.reviews import review_comment_view
from apps.social.views.reviews import review_delete_view
from apps.social.views.reviews import review_detail
from apps.social.views.reviews import review_edit_view
from apps.social.views.reviews import review_like_view
from apps.social.views.reviews import review_reply_view
from apps.social.views.reviews import review_report_view

__all__ = [
    "account_delete_view",
    "account_deleted",
    "account_export",
    "account_settings",
    "avatar_upload",
    "board_comment_view",
    "board_delete_view",
    "board_detail",
    "board_edit",
    "board_like_view",
    "board_list",
    "board_moderate_view",
    "diary_create_view",
    "diary_delete_view",
    "diary_edit",
    "diary_log_view",
    "diary_page",
    "feed",
    "friend_request_answer_view",
    "friend_request_view",
    "friends",
    "guestbook_create_view",
    "guestbook_delete_view",
    "guestbook_reply_view",
    "homepage",
    "homepage_visit",
    "inbox",
    "notification_open_view",
    "notifications_page",
    "notifications_read_all_view",
    "notifications_read_view",
    "onboarding",
    "pick_dismiss_view",
    "pick_restore_view",
    "picks_page",
    "profile_edit",
    "rating_set_view",
    "recommend_friends",
    "recommend_view",
    "recommendation_answer_view",
    "relation_view",
    "review_comment_delete_view",
    "review_comment_view",
    "review_delete_view",
    "review_detail",
    "review_edit_view",
    "review_like_view",
    "review_reply_view",
    "review_report_view",
    "review_upsert_view",
    "shelf_edit",
    "surf",
    "title_social",
    "watch_alert_preference_view",
    "watchlist_page",
    "watchlist_toggle_view",
]
