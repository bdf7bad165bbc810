"""Social services (writes). Submodules per subdomain; the public names are re-exported here."""

from __future__ import annotations

from apps.social.services.accounts import nickname_normalise
from apps.social.services.accounts import onboarding_complete
from apps.social.services.accounts import user_avatar_set
from apps.social.services.accounts import user_nickname_set
from apps.social.services.board import board_comment_create
from apps.social.services.board import board_comment_delete
from apps.social.services.board import board_like_set
from apps.social.services.board import board_post_create
from apps.social.services.board import board_post_delete
from apps.social.services.board import board_post_moderate
from apps.social.services.board import board_post_update
from apps.social.services.board import board_view_record
from apps.social.services.friends import block_remove
from apps.social.services.friends import block_set
from apps.social.services.friends import follow_set
from apps.social.services.friends import friend_remove
from apps.social.services.friends import friend_request_accept
from apps.social.services.friends import friend_request_decline
from apps.social.services.friends import friend_request_send
from apps.social.services.friends import friend_request_withdraw
from apps.social.services.history import diary_entries_import
from apps.social.services.history import ratings_import
from apps.social.services.history import reviews_import
from apps.social.services.history import watchlist_import
from apps.social.services.homepage import guestbook_entry_create
from apps.social.services.homepage import guestbook_entry_delete
from apps.social.services.homepage import guestbook_entry_reply
from apps.social.services.homepage import profile_get_or_create
from apps.social.services.homepage import profile_update
from apps.social.services.homepage import shelf_set
from apps.social.services.homepage import visit_record
from apps.social.services.homepage import visit_record_pending
from apps.social.services.homepage import visits_flush
from apps.social.services.notifications import notification_create
from apps.social.services.notifications import notification_mark_read
from apps.social.services.notifications import notifications_mark_read
from apps.social.services.picks import onboarding_taste_set
from apps.social.services.picks import pick_dismiss
from apps.social.services.picks import pick_dismiss_undo
from apps.social.services.ratings import diary_entry_create
from apps.social.services.ratings import diary_entry_delete
from apps.social.services.ratings import diary_entry_update
from apps.social.services.ratings import rating_delete
from apps.social.services.ratings import rating_set
from apps.social.services.ratings import review_comment_create
from apps.social.services.ratings import review_comment_delete
from apps.social.services.ratings import review_delete
from apps.social.services.ratings import review_like_set
from apps.social.services.ratings import review_report_create
from apps.social.services.ratings import review_upsert
from apps.social.services.ratings import watchlist_add
from apps.social.services.ratings import watchlist_remove
from apps.social.services.recommendations import recommendation_accept
from apps.social.services.recommendations import recommendation_dismiss
from apps.social.services.recommendations import recommendation_send

__all__ = [
    "block_remove",
    "block_set",
    "board_comment_create",
    "board_comment_delete",
    "board_like_set",
    "board_post_create",
    "board_post_delete",
    "board_post_moderate",
    "board_post_update",
    "board_view_record",
    "diary_entries_import",
    "diary_entry_create",
    "diary_entry_delete",
    "diary_entry_update",
    "follow_set",
    "friend_remove",
    "friend_request_accept",
    "friend_request_decline",
    "friend_request_send",
    "friend_request_withdraw",
    "guestbook_entry_create",
    "guestbook_entry_delete",
    "guestbook_entry_reply",
    "nickname_normalise",
    "notification_create",
    "notification_mark_read",
    "notifications_mark_read",
    "onboarding_complete",
    "onboarding_taste_set",
    "pick_dismiss",
    "pick_dismiss_undo",
    "profile_get_or_create",
    "profile_update",
    "rating_delete",
    "rating_set",
    "ratings_import",
    "recommendation_accept",
    "recommendation_dismiss",
    "recommendation_send",
    "review_comment_create",
    "review_comment_delete",
    "review_delete",
    "review_like_set",
    "review_report_create",
    "review_upsert",
    "reviews_import",
    "shelf_set",
    "user_avatar_set",
    "user_nickname_set",
    "visit_record",
    "visit_record_pending",
    "visits_flush",
    "watchlist_add",
    "watchlist_import",
    "watchlist_remove",
]
