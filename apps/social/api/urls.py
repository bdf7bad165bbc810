"""Social API routes, mounted under /api/social/ by config/api.py."""

from __future__ import annotations

from django.urls import path

from apps.social.api import board
from apps.social.api import friends
from apps.social.api import homepage
from apps.social.api import ratings

app_name = "social-api"
urlpatterns = [
    # Ratings, lists, reviews
    path("titles/<int:title_id>/rating/", ratings.RatingSetApi.as_view(), name="rating-set"),
    path("titles/<int:title_id>/rating/delete/", ratings.RatingDeleteApi.as_view(), name="rating-delete"),
    path("titles/<int:title_id>/watchlist/", ratings.WatchlistAddApi.as_view(), name="watchlist-add"),
    path(
        "titles/<int:title_id>/watchlist/delete/",
        ratings.WatchlistRemoveApi.as_view(),
        name="watchlist-remove",
    ),
    path("titles/<int:title_id>/reviews/", ratings.ReviewListApi.as_view(), name="review-list"),
    path("titles/<int:title_id>/review/", ratings.ReviewUpsertApi.as_view(), name="review-upsert"),
    path("reviews/<int:review_id>/delete/", ratings.ReviewDeleteApi.as_view(), name="review-delete"),
    path("reviews/<int:review_id>/comments/", ratings.ReviewCommentListApi.as_view(), name="review-comments"),
    path(
        "reviews/<int:review_id>/comments/create/",
        ratings.ReviewCommentCreateApi.as_view(),
        name="review-comment-create",
    ),
    path(
        "review-comments/<int:comment_id>/delete/",
        ratings.ReviewCommentDeleteApi.as_view(),
        name="review-comment-delete",
    ),
    path("reviews/<int:review_id>/like/", ratings.ReviewLikeApi.as_view(), name="review-like"),
    path("me/watchlist/", ratings.WatchlistListApi.as_view(), name="watchlist"),
    path("me/diary/", ratings.DiaryListApi.as_view(), name="diary"),
    path("me/diary/create/", ratings.DiaryCreateApi.as_view(), name="diary-create"),
    path("me/diary/<int:entry_id>/delete/", ratings.DiaryDeleteApi.as_view(), name="diary-delete"),
    # Homepage, profile, onboarding
    path("users/", friends.UserSearchApi.as_view(), name="user-search"),
    path("users/<str:nickname>/", homepage.HomepageDetailApi.as_view(), name="homepage"),
    path("users/<str:nickname>/guestbook/", homepage.GuestbookListApi.as_view(), name="guestbook"),
    path(
        "users/<str:nickname>/guestbook/create/",
        homepage.GuestbookCreateApi.as_view(),
        name="guestbook-create",
    ),
    path("users/<str:nickname>/surf/", friends.SurfApi.as_view(), name="surf"),
    path("users/<str:nickname>/taste-match/", friends.TasteMatchApi.as_view(), name="taste-match"),
    path("guestbook/<int:entry_id>/reply/", homepage.GuestbookReplyApi.as_view(), name="guestbook-reply"),
    path("guestbook/<int:entry_id>/delete/", homepage.GuestbookDeleteApi.as_view(), name="guestbook-delete"),
    path("me/profile/", homepage.ProfileUpdateApi.as_view(), name="profile-update"),
    path("me/avatar/", homepage.AvatarSetApi.as_view(), name="avatar-set"),
    path("me/shelf/", homepage.ShelfSetApi.as_view(), name="shelf-set"),
    path("onboarding/grid/", homepage.OnboardingGridApi.as_view(), name="onboarding-grid"),
    path("onboarding/", homepage.OnboardingCompleteApi.as_view(), name="onboarding"),
    # Friends and blocks
    path("me/friends/", friends.FriendListApi.as_view(), name="friends"),
    path("me/friends/<int:user_id>/delete/", friends.FriendRemoveApi.as_view(), name="friend-remove"),
    path("friend-requests/", friends.FriendRequestListApi.as_view(), name="friend-requests"),
    path("friend-requests/create/", friends.FriendRequestCreateApi.as_view(), name="friend-request-create"),
    path(
        "friend-requests/<int:request_id>/accept/",
        friends.FriendRequestAcceptApi.as_view(),
        name="friend-request-accept",
    ),
    path(
        "friend-requests/<int:request_id>/decline/",
        friends.FriendRequestDeclineApi.as_view(),
        name="friend-request-decline",
    ),
    path(
        "friend-requests/<int:request_id>/withdraw/",
        friends.FriendRequestWithdrawApi.as_view(),
        name="friend-request-withdraw",
    ),
    path("follows/<int:user_id>/", friends.FollowSetApi.as_view(), name="follow-set"),
    path("blocks/<int:user_id>/", friends.BlockCreateApi.as_view(), name="block-create"),
    path("blocks/<int:user_id>/delete/", friends.BlockDeleteApi.as_view(), name="block-delete"),
    # Recommendations, notifications, feed
    path("recommendations/", friends.RecommendationSendApi.as_view(), name="recommendation-send"),
    path("recommendations/inbox/", friends.RecommendationInboxApi.as_view(), name="recommendation-inbox"),
    path("recommendations/sent/", friends.RecommendationSentApi.as_view(), name="recommendation-sent"),
    path(
        "recommendations/<int:recommendation_id>/accept/",
        friends.RecommendationAcceptApi.as_view(),
        name="recommendation-accept",
    ),
    path(
        "recommendations/<int:recommendation_id>/dismiss/",
        friends.RecommendationDismissApi.as_view(),
        name="recommendation-dismiss",
    ),
    path("notifications/", friends.NotificationListApi.as_view(), name="notifications"),
    path("notifications/read/", friends.NotificationReadApi.as_view(), name="notifications-read"),
    path("feed/", friends.FeedApi.as_view(), name="feed"),
    # Board
    path("board/", board.BoardPostListApi.as_view(), name="board-list"),
    path("board/create/", board.BoardPostCreateApi.as_view(), name="board-create"),
    path("board/<int:post_id>/", board.BoardPostDetailApi.as_view(), name="board-detail"),
    path("board/<int:post_id>/update/", board.BoardPostUpdateApi.as_view(), name="board-update"),
    path("board/<int:post_id>/delete/", board.BoardPostDeleteApi.as_view(), name="board-delete"),
    path("board/<int:post_id>/moderate/", board.BoardPostModerateApi.as_view(), name="board-moderate"),
    path("board/<int:post_id>/comments/", board.BoardCommentListApi.as_view(), name="board-comments"),
    path(
        "board/<int:post_id>/comments/create/",
        board.BoardCommentCreateApi.as_view(),
        name="board-comment-create",
    ),
    path(
        "board-comments/<int:comment_id>/delete/",
        board.BoardCommentDeleteApi.as_view(),
        name="board-comment-delete",
    ),
    path("board/<int:post_id>/like/", board.BoardLikeApi.as_view(), name="board-like"),
]
