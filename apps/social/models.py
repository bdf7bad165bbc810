"""Moochu's people: accounts and their ratings."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.models import AbstractUser
from django.db import models
from django.db.models import Q
from django.db.models.functions import Lower
from django.utils.translation import gettext_lazy as _

from apps.common.models import TimeStampedModel


class User(AbstractUser):
    # Shown everywhere and used in /@nickname; Korean allowed. Stored NFC-normalised,
    # unique regardless of case (see social services).
    nickname = models.CharField(_("nickname"), max_length=30, unique=True, null=True, blank=True)
    avatar = models.ImageField(upload_to="avatars/", blank=True)
    # Cold start and "my services" filter, chosen at onboarding.
    favourite_genres = models.ManyToManyField("movies.Genre", blank=True, related_name="fans")
    my_services = models.ManyToManyField("movies.Provider", blank=True, related_name="subscribers")
    # MovieLens 100K user id for imported demo accounts.
    movielens_id = models.PositiveIntegerField(null=True, blank=True, unique=True)

    class Meta:
        verbose_name = _("user")
        verbose_name_plural = _("users")
        constraints = [
            models.UniqueConstraint(Lower("nickname"), name="user_nickname_unique_ci"),
        ]

    def __str__(self) -> str:
        return self.nickname or self.username

    @property
    def display_name(self) -> str:
        return self.nickname or self.username


class Rating(models.Model):
    """A half-star rating (0.5–5.0), stored as a count of half stars (1–10)."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="ratings")
    title = models.ForeignKey("movies.Title", on_delete=models.CASCADE, related_name="ratings")
    half_stars = models.PositiveSmallIntegerField()
    created_at = models.DateTimeField()
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = _("rating")
        verbose_name_plural = _("ratings")
        constraints = [
            models.UniqueConstraint(fields=["user", "title"], name="rating_unique_per_user"),
            models.CheckConstraint(
                condition=Q(half_stars__gte=1, half_stars__lte=10), name="rating_in_range"
            ),
        ]
        indexes = [
            models.Index(fields=["title", "half_stars"], name="rating_title"),
            models.Index(fields=["user", "-created_at", "-id"], name="rating_user_recent"),
            # "Trending this week" (recs_trending) and incremental training read the latest
            # ratings by date: a range scan of the week instead of every rating (14 ms at 100k).
            models.Index(fields=["created_at", "title"], name="rating_recent"),
        ]

    def __str__(self) -> str:
        return f"{self.user} rated {self.title} {self.stars}"

    @property
    def stars(self) -> float:
        return self.half_stars / 2


# -----------------------------------------------------------------------------
# Shared choices
# -----------------------------------------------------------------------------
class Visibility(models.TextChoices):
    PUBLIC = "public", _("Public")
    FRIENDS = "friends", _("Friends only")
    PRIVATE = "private", _("Private")


# -----------------------------------------------------------------------------
# Mini-homepage profile
# -----------------------------------------------------------------------------
class Profile(models.Model):
    """The mini-homepage of a user: mood, intro, per-section visibility, visitor totals."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="profile")
    # Unicode NFKC + case-folded nickname: the uniqueness key (see user_nickname_set).
    nickname_key = models.CharField(max_length=60, unique=True, null=True, blank=True)
    # Confusable skeleton of the key (Unicode TS #39, apps/social/confusables.py): "rel_аlice"
    # with a Cyrillic "а" cannot join "rel_alice". Hangul decomposes to jamo, hence the room.
    nickname_skeleton = models.CharField(max_length=200, unique=True, null=True, blank=True)
    mood = models.CharField(_("mood"), max_length=30, blank=True)
    intro = models.CharField(_("one-line intro"), max_length=120, blank=True)
    onboarded_at = models.DateTimeField(null=True, blank=True)
    visibility_ratings = models.CharField(max_length=8, choices=Visibility.choices, default=Visibility.PUBLIC)
    visibility_shelf = models.CharField(max_length=8, choices=Visibility.choices, default=Visibility.PUBLIC)
    visibility_taste = models.CharField(max_length=8, choices=Visibility.choices, default=Visibility.PUBLIC)
    visibility_guestbook = models.CharField(
        max_length=8, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    visibility_friends = models.CharField(max_length=8, choices=Visibility.choices, default=Visibility.PUBLIC)
    visibility_watchlist = models.CharField(
        max_length=8, choices=Visibility.choices, default=Visibility.PUBLIC
    )
    visibility_diary = models.CharField(max_length=8, choices=Visibility.choices, default=Visibility.PUBLIC)

    class Meta:
        verbose_name = _("profile")
        verbose_name_plural = _("profiles")

    def __str__(self) -> str:
        return f"profile of {self.user}"


class VisitDaily(models.Model):
    """Unique visitors of a homepage per Seoul day, flushed from Redis (survives a Redis restart)."""

    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="visit_days")
    day = models.DateField()
    count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("daily visit count")
        verbose_name_plural = _("daily visit counts")
        constraints = [models.UniqueConstraint(fields=["owner", "day"], name="visitdaily_unique_day")]

    def __str__(self) -> str:
        return f"{self.owner} {self.day}: {self.count}"


# -----------------------------------------------------------------------------
# Lists, diary, reviews
# -----------------------------------------------------------------------------
class WatchlistItem(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watchlist")
    title = models.ForeignKey("movies.Title", on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("watchlist item")
        verbose_name_plural = _("watchlist items")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "title"], name="watchlist_unique")]

    def __str__(self) -> str:
        return f"{self.user} wants {self.title}"


class DiaryEntry(models.Model):
    """One viewing: a title can be watched (and rewatched) many times."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="diary")
    title = models.ForeignKey("movies.Title", on_delete=models.CASCADE, related_name="+")
    watched_on = models.DateField()
    rewatch = models.BooleanField(default=False)
    # This viewing's rating in half stars (1–10); empty when the person did not rate it.
    half_stars = models.PositiveSmallIntegerField(null=True, blank=True)
    note = models.CharField(max_length=500, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("diary entry")
        verbose_name_plural = _("diary entries")
        ordering = ["-watched_on", "-id"]
        indexes = [
            models.Index(fields=["user", "-watched_on"], name="diary_user_recent"),
            models.Index(fields=["user", "title"], name="diary_user_title"),
        ]
        constraints = [
            models.CheckConstraint(
                condition=Q(half_stars__isnull=True) | Q(half_stars__gte=1, half_stars__lte=10),
                name="diary_half_stars_in_range",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} watched {self.title} on {self.watched_on}"

    @property
    def stars(self) -> float | None:
        return self.half_stars / 2 if self.half_stars else None


class Review(TimeStampedModel):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="reviews")
    title = models.ForeignKey("movies.Title", on_delete=models.CASCADE, related_name="reviews")
    body = models.TextField(max_length=5000)
    has_spoilers = models.BooleanField(default=False)
    like_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)

    class Meta:
        verbose_name = _("review")
        verbose_name_plural = _("reviews")
        ordering = ["-created_at", "-id"]
        constraints = [models.UniqueConstraint(fields=["user", "title"], name="review_unique_per_user")]
        indexes = [models.Index(fields=["user", "-created_at", "-id"], name="review_user_recent")]

    def __str__(self) -> str:
        return f"review of {self.title} by {self.user}"


class ReviewComment(TimeStampedModel):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="comments")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    # A reply answers a top-level comment (one level deep, like most review sites).
    parent = models.ForeignKey(
        "self", on_delete=models.CASCADE, null=True, blank=True, related_name="replies"
    )
    body = models.CharField(max_length=1000)

    class Meta:
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"comment by {self.user}"


class ReviewLike(models.Model):
    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="likes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("review like")
        verbose_name_plural = _("review likes")
        constraints = [models.UniqueConstraint(fields=["review", "user"], name="reviewlike_unique")]

    def __str__(self) -> str:
        return f"{self.user} likes review {self.review_id}"


class ReviewReport(models.Model):
    """Someone reported a review (or one of its comments) to the staff; one report per thing per person."""

    review = models.ForeignKey(Review, on_delete=models.CASCADE, related_name="reports")
    comment = models.ForeignKey(
        ReviewComment, on_delete=models.CASCADE, null=True, blank=True, related_name="reports"
    )
    reporter = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    reason = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("review report")
        verbose_name_plural = _("review reports")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["reporter", "review"], condition=Q(comment__isnull=True), name="reviewreport_once"
            ),
            models.UniqueConstraint(
                fields=["reporter", "comment"],
                condition=Q(comment__isnull=False),
                name="reviewreport_comment_once",
            ),
        ]

    def __str__(self) -> str:
        return f"report by {self.reporter_id} on review {self.review_id}"


class ShelfItem(models.Model):
    """The owner's "life movies": at most five, in the owner's order."""

    MAX_ITEMS = 5

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="shelf")
    title = models.ForeignKey("movies.Title", on_delete=models.CASCADE, related_name="+")
    position = models.PositiveSmallIntegerField()

    class Meta:
        verbose_name = _("life movie")
        verbose_name_plural = _("life movies")
        ordering = ["position"]
        constraints = [
            models.UniqueConstraint(fields=["user", "title"], name="shelf_unique_title"),
            models.UniqueConstraint(fields=["user", "position"], name="shelf_unique_position"),
            models.CheckConstraint(
                condition=Q(position__gte=1, position__lte=5), name="shelf_position_range"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user} #{self.position}: {self.title}"


# -----------------------------------------------------------------------------
# Guestbook
# -----------------------------------------------------------------------------
class GuestbookEntry(TimeStampedModel):
    owner = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="guestbook")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.CharField(max_length=1000)
    # Secret entries: only the owner and the author ever see them.
    is_secret = models.BooleanField(default=False)
    reply = models.CharField(max_length=1000, blank=True)
    replied_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("guestbook entry")
        verbose_name_plural = _("guestbook entries")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["owner", "-created_at", "-id"], name="guestbook_owner_recent")]

    def __str__(self) -> str:
        return f"guestbook entry {self.pk} on {self.owner_id}"


# -----------------------------------------------------------------------------
# Friends
# -----------------------------------------------------------------------------
class Follow(models.Model):
    follower = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="following")
    followee = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="followers")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("follow")
        verbose_name_plural = _("follows")
        constraints = [
            models.UniqueConstraint(fields=["follower", "followee"], name="follow_unique"),
            models.CheckConstraint(condition=~Q(follower=models.F("followee")), name="follow_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.follower} follows {self.followee}"


class FriendRequestStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    DECLINED = "declined", _("Declined")
    WITHDRAWN = "withdrawn", _("Withdrawn")


class FriendRequest(TimeStampedModel):
    from_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="friend_requests_sent"
    )
    to_user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="friend_requests_received"
    )
    message = models.CharField(max_length=200, blank=True)
    status = models.CharField(
        max_length=10, choices=FriendRequestStatus.choices, default=FriendRequestStatus.PENDING
    )

    class Meta:
        verbose_name = _("friend request")
        verbose_name_plural = _("friend requests")
        ordering = ["-created_at", "-id"]
        constraints = [
            # One open request per pair and direction; history rows are kept.
            models.UniqueConstraint(
                fields=["from_user", "to_user"],
                condition=Q(status="pending"),
                name="friendrequest_one_pending",
            ),
            models.CheckConstraint(
                condition=~Q(from_user=models.F("to_user")), name="friendrequest_not_self"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.from_user} → {self.to_user} ({self.status})"


class Friendship(models.Model):
    """Mutual friends (일촌): stored as two directed rows so "friends of X" is one index scan."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="friendships")
    friend = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("friendship")
        verbose_name_plural = _("friendships")
        constraints = [
            models.UniqueConstraint(fields=["user", "friend"], name="friendship_unique"),
            models.CheckConstraint(condition=~Q(user=models.F("friend")), name="friendship_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.user} ⇄ {self.friend}"


class Block(models.Model):
    blocker = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="blocks")
    blocked = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("block")
        verbose_name_plural = _("blocks")
        constraints = [
            models.UniqueConstraint(fields=["blocker", "blocked"], name="block_unique"),
            models.CheckConstraint(condition=~Q(blocker=models.F("blocked")), name="block_not_self"),
        ]

    def __str__(self) -> str:
        return f"{self.blocker} blocks {self.blocked}"


# -----------------------------------------------------------------------------
# Recommendations between friends, notifications, activity
# -----------------------------------------------------------------------------
class RecommendationStatus(models.TextChoices):
    PENDING = "pending", _("Pending")
    ACCEPTED = "accepted", _("Accepted")
    DISMISSED = "dismissed", _("Dismissed")


class Recommendation(TimeStampedModel):
    sender = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recommendations_sent"
    )
    receiver = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="recommendations_received"
    )
    title = models.ForeignKey("movies.Title", on_delete=models.CASCADE, related_name="+")
    note = models.CharField(max_length=300)
    status = models.CharField(
        max_length=10, choices=RecommendationStatus.choices, default=RecommendationStatus.PENDING
    )

    class Meta:
        verbose_name = _("recommendation")
        verbose_name_plural = _("recommendations")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(fields=["sender", "receiver", "title"], name="recommendation_unique"),
            models.CheckConstraint(condition=~Q(sender=models.F("receiver")), name="recommendation_not_self"),
        ]
        indexes = [models.Index(fields=["receiver", "status", "-created_at"], name="rec_inbox")]

    def __str__(self) -> str:
        return f"{self.sender} → {self.receiver}: {self.title}"


class NotificationKind(models.TextChoices):
    RECOMMENDATION = "recommendation", _("Recommendation")
    FRIEND_REQUEST = "friend_request", _("Friend request")
    FRIEND_ACCEPTED = "friend_accepted", _("Friend request accepted")
    GUESTBOOK = "guestbook", _("Guestbook entry")
    MENTION = "mention", _("Mention")
    WATCH_ALERT = "watch_alert", _("Now on your service")
    REVIEW_LIKE = "review_like", _("Like on my review")
    REVIEW_COMMENT = "review_comment", _("Comment on my review")
    COMMENT_REPLY = "comment_reply", _("Reply to my comment")
    # Lists (apps/lists)
    LIST_INVITE = "list_invite", _("Invitation to edit a list")
    LIST_LIKE = "list_like", _("Like on my list")
    LIST_ADD = "list_add", _("Title added to a list I follow")
    # Watch parties (apps/parties)
    PARTY_INVITE = "party_invite", _("Invitation to a watch party")


class Notification(models.Model):
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="notifications")
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+", null=True)
    kind = models.CharField(max_length=20, choices=NotificationKind.choices)
    # Text as first written (a fallback for kinds without a template). Pages and pushes render
    # `kind` + `params` in the reader's language instead: see apps/social/notification_text.py.
    # Both are built from safe fields only (never a secret entry's body).
    text = models.CharField(max_length=300)
    params = models.JSONField(default=dict, blank=True)
    url = models.CharField(max_length=300, blank=True)
    is_read = models.BooleanField(default=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("notification")
        verbose_name_plural = _("notifications")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["user", "is_read", "-created_at"], name="notification_unread")]

    def __str__(self) -> str:
        return f"{self.kind} for {self.user_id}"

    @property
    def display_text(self) -> str:
        """The text in the active language (rendered now, not when it was stored)."""
        from apps.social.notification_text import notification_text

        return notification_text(kind=self.kind, params=self.params, fallback=self.text)

    @property
    def display_html(self) -> str:
        """``display_text`` as HTML, with the names and titles in it marked (see notification_html)."""
        from apps.social.notification_text import notification_html

        return notification_html(kind=self.kind, params=self.params, fallback=self.text)


class ActivityVerb(models.TextChoices):
    RATED = "rated", _("rated")
    REVIEWED = "reviewed", _("reviewed")
    SHELVED = "shelved", _("added to life movies")
    POSTED = "posted", _("posted on the board")
    RECOMMENDED = "recommended", _("recommended")


class Activity(models.Model):
    """One line of the friends feed. `section` decides who may see it (owner's visibility)."""

    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="activities")
    verb = models.CharField(max_length=12, choices=ActivityVerb.choices)
    title = models.ForeignKey(
        "movies.Title", on_delete=models.CASCADE, null=True, blank=True, related_name="+"
    )
    # ratings / shelf / board …: which Profile.visibility_<section> governs this line.
    section = models.CharField(max_length=12)
    stars = models.FloatField(null=True, blank=True)
    target_id = models.PositiveBigIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        verbose_name = _("activity")
        verbose_name_plural = _("activities")
        ordering = ["-created_at", "-id"]
        indexes = [models.Index(fields=["actor", "-created_at", "-id"], name="activity_actor_recent")]

    def __str__(self) -> str:
        return f"{self.actor} {self.verb}"


# -----------------------------------------------------------------------------
# Recommendation board
# -----------------------------------------------------------------------------
class BoardPost(TimeStampedModel):
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="board_posts")
    heading = models.CharField(max_length=120)
    body = models.TextField(max_length=10000)
    titles = models.ManyToManyField("movies.Title", related_name="board_posts")
    view_count = models.PositiveIntegerField(default=0)
    like_count = models.PositiveIntegerField(default=0)
    comment_count = models.PositiveIntegerField(default=0)
    # Staff moderation hides instead of deleting, so the author can be told why.
    is_hidden = models.BooleanField(default=False)

    class Meta:
        verbose_name = _("board post")
        verbose_name_plural = _("board posts")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.heading


class BoardComment(TimeStampedModel):
    post = models.ForeignKey(BoardPost, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    body = models.CharField(max_length=1000)

    class Meta:
        verbose_name = _("board comment")
        verbose_name_plural = _("board comments")
        ordering = ["created_at", "id"]

    def __str__(self) -> str:
        return f"comment {self.pk} on post {self.post_id}"


class BoardLike(models.Model):
    post = models.ForeignKey(BoardPost, on_delete=models.CASCADE, related_name="likes")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")

    class Meta:
        verbose_name = _("board like")
        verbose_name_plural = _("board likes")
        constraints = [models.UniqueConstraint(fields=["post", "user"], name="boardlike_unique")]

    def __str__(self) -> str:
        return f"{self.user} likes post {self.post_id}"


class BoardView(models.Model):
    """One counted view per user per (Seoul) day."""

    post = models.ForeignKey(BoardPost, on_delete=models.CASCADE, related_name="+")
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()

    class Meta:
        verbose_name = _("board view")
        verbose_name_plural = _("board views")
        constraints = [models.UniqueConstraint(fields=["post", "user", "day"], name="boardview_unique")]

    def __str__(self) -> str:
        return f"{self.user} viewed {self.post_id} on {self.day}"


class PrivilegeArea(models.TextChoices):
    CHAT_MODERATOR = "chat_moderator", _("Chat room moderator")
    ROOM_OWNER = "room_owner", _("Chat room owner")
    STAFF = "staff", _("Staff / admin")
    API_TOKEN = "api_token", _("API token")


class PrivilegeAccess(models.Model):
    """When a user last used one elevated right; maintained by the daily rights batch."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="privileges")
    area = models.CharField(max_length=20, choices=PrivilegeArea.choices)
    # Which instance of the right: a room id for room roles, empty for staff and tokens.
    scope = models.CharField(max_length=40, blank=True)
    last_access_at = models.DateTimeField()
    # Stamped by each batch that saw the right still held; older rows are gone rights.
    recorded_at = models.DateTimeField()

    class Meta:
        verbose_name = _("privilege access")
        verbose_name_plural = _("privilege accesses")
        constraints = [
            models.UniqueConstraint(fields=["user", "area", "scope"], name="privilege_access_unique"),
        ]
        indexes = [models.Index(fields=["last_access_at"], name="privilege_access_last")]

    def __str__(self) -> str:
        return f"{self.user} {self.area}:{self.scope} last {self.last_access_at:%Y-%m-%d}"


class RightRevocation(models.Model):
    """Audit trail: one row per right the batch took away."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="revocations")
    area = models.CharField(max_length=20, choices=PrivilegeArea.choices)
    scope = models.CharField(max_length=40, blank=True)
    last_access_at = models.DateTimeField()
    revoked_at = models.DateTimeField()
    reason = models.CharField(max_length=200)

    class Meta:
        verbose_name = _("right revocation")
        verbose_name_plural = _("right revocations")
        ordering = ["-revoked_at", "id"]

    def __str__(self) -> str:
        return f"{self.user} lost {self.area}:{self.scope} on {self.revoked_at:%Y-%m-%d}"


# -----------------------------------------------------------------------------
# Watchlist alerts: a title on my watchlist arrived on one of my services
# -----------------------------------------------------------------------------
class WatchAlert(models.Model):
    """One alert per user, title and provider, ever: the unique key is what makes
    re-runs (and an offer that closes and reopens) alert nobody twice."""

    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watch_alerts")
    title = models.ForeignKey("movies.Title", on_delete=models.CASCADE, related_name="+")
    provider = models.ForeignKey("movies.Provider", on_delete=models.CASCADE, related_name="+")
    # The offer that opened (kept for the link and the offer type shown).
    availability = models.ForeignKey(
        "movies.Availability", on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    emailed_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = _("watch alert")
        verbose_name_plural = _("watch alerts")
        ordering = ["-created_at", "-id"]
        constraints = [
            models.UniqueConstraint(
                fields=["user", "title", "provider"], name="watch_alert_once_per_provider"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.user_id}: {self.title_id} on {self.provider_id}"


class WatchAlertPreference(models.Model):
    """Whether watchlist alerts also go by e-mail (in-app alerts always arrive)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="watch_alert_preference"
    )
    email = models.BooleanField(_("also e-mail me"), default=False)

    class Meta:
        verbose_name = _("watch alert setting")
        verbose_name_plural = _("watch alert settings")

    def __str__(self) -> str:
        return f"{self.user_id}: email={self.email}"
