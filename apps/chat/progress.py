"""Progress-synced rooms: where a viewer is in the work a room is about.

A room with ``progress_sync`` on stamps every message with its author's position in the
title (episode and second; episode 0 for a film). A socket in such a room has a *horizon*:
the furthest point its viewer has reached. Frames from later than the horizon are withheld
by the server (``apps/chat/fanout.py`` ``ProgressGate``) and released, in order and once,
when the viewer moves past them. Chat knows nothing of what drives the position (a watch
party's clock, a person's own control); it only validates it against the catalog.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q

from apps.chat.exceptions import ChatError

if TYPE_CHECKING:
    from apps.movies.models import Title

# (episode, second): tuples compare the way a viewer moves through a work. Episode 0 is a film.
Position = tuple[int, int]
START: Position = (0, 0)
# A title without a known runtime still has an end: nothing we list runs past 12 hours.
MAX_UNKNOWN_RUNTIME_S = 12 * 3600
# A series without a known episode count: no Korean series we know of runs past this.
MAX_UNKNOWN_EPISODES = 2000


def position_validate(*, title: Title | None, episode: object, position_s: object) -> Position:
    """The position as a ``Position``, or a ``ChatError`` naming what is wrong with it.

    Films take no episode; series need one within the catalog's episode count. The second
    must be within the runtime (a series' runtime is per episode).
    """
    if isinstance(position_s, bool) or not isinstance(position_s, int):
        raise ChatError("position_invalid", "The position must be a whole number of seconds.")
    if position_s < 0:
        raise ChatError("position_negative", "The position cannot be negative.")
    if episode is not None and (isinstance(episode, bool) or not isinstance(episode, int)):
        raise ChatError("position_invalid", "The episode must be a whole number.")
    is_series = title is not None and title.media_type == "tv"
    if is_series:
        if episode is None:
            raise ChatError("episode_required", "Say which episode you are watching.")
        last = title.episode_count if title and title.episode_count else MAX_UNKNOWN_EPISODES
        if not 1 <= episode <= last:
            raise ChatError("episode_not_found", f"This series has episodes 1 to {last}.", {"episodes": last})
    elif episode not in (None, 0):
        raise ChatError("episode_not_found", "A film has no episodes.", {"episodes": 0})
    runtime_s = title.runtime_minutes * 60 if title is not None and title.runtime_minutes else None
    if position_s > (runtime_s or MAX_UNKNOWN_RUNTIME_S):
        limit = runtime_s or MAX_UNKNOWN_RUNTIME_S
        raise ChatError(
            "position_beyond_runtime",
            f"The position is past the end ({limit // 60} min).",
            {"runtime_s": limit},
        )
    return (episode or 0, position_s)


def visible_q(horizon: Position) -> Q:
    """Messages a viewer at ``horizon`` may see: unstamped, or not later than the horizon."""
    episode, seconds = horizon
    return Q(position_s__isnull=True) | Q(episode__lt=episode) | Q(episode=episode, position_s__lte=seconds)


def position_of(episode: int | None, position_s: int | None) -> Position | None:
    if position_s is None:
        return None
    return (episode or 0, position_s)
