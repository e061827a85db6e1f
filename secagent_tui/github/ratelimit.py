"""Rate-limit awareness shared by every fetch thread of a sync: parallel reads slow down as the
budget falls and stop at the floor, and the last reading is kept for `stats`.

Every response's `x-ratelimit-*` headers are observed. The number of requests allowed in
flight shrinks as `remaining` falls, and at the floor no request starts until the window
resets: we stop before the budget is spent instead of discovering it with a 403.
"""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime

from secagent_tui.domain.errors import SecagentError


@dataclass(frozen=True, slots=True)
class RateLimitObservation:
    resource: str
    limit: int
    remaining: int
    reset_epoch: int

    @property
    def reset_at(self) -> datetime:
        return datetime.fromtimestamp(self.reset_epoch, UTC)


def parse_rate_headers(headers: Mapping[str, str]) -> RateLimitObservation | None:
    """The `x-ratelimit-*` headers of one response, or None when it carries none."""
    lowered = {k.lower(): v for k, v in headers.items()}
    try:
        return RateLimitObservation(
            resource=lowered.get("x-ratelimit-resource", "core"),
            limit=int(lowered["x-ratelimit-limit"]),
            remaining=int(lowered["x-ratelimit-remaining"]),
            reset_epoch=int(lowered["x-ratelimit-reset"]),
        )
    except (KeyError, ValueError):
        return None


def allowed_concurrency(remaining: int | None, limit: int | None, floor: int, ceiling: int) -> int:
    """Requests that may be in flight: all of `ceiling` while more than half the budget above
    the floor is left, proportionally fewer below that, and none at the floor."""
    if remaining is None or limit is None:
        return ceiling
    if remaining <= floor:
        return 0
    usable = max(limit - floor, 1)
    fraction = (remaining - floor) / usable
    return max(1, min(ceiling, math.ceil(ceiling * fraction * 2)))


class RateGovernor:
    """A semaphore whose size follows the rate limit; thread-safe."""

    def __init__(
        self,
        concurrency: int,
        floor: int,
        *,
        clock: Callable[[], float] = time.time,
        max_wait_seconds: float = 3600.0,
    ) -> None:
        self._concurrency = concurrency
        self._floor = floor
        self._clock = clock
        self._max_wait = max_wait_seconds
        self._cond = threading.Condition()
        self._active = 0
        self.latest: RateLimitObservation | None = None
        self.waited_seconds = 0.0

    def observe(self, headers: Mapping[str, str]) -> None:
        seen = parse_rate_headers(headers)
        if seen is None or seen.resource != "core":
            return
        with self._cond:
            self.latest = seen
            self._cond.notify_all()

    def _allowed(self) -> int:
        latest = self.latest
        if latest is None:
            return self._concurrency
        if latest.reset_epoch <= self._clock():
            return self._concurrency  # the window has reset since we last heard
        return allowed_concurrency(latest.remaining, latest.limit, self._floor, self._concurrency)

    @contextmanager
    def slot(self) -> Iterator[None]:
        with self._cond:
            while True:
                allowed = self._allowed()
                if self._active < allowed:
                    break
                if allowed == 0 and self.latest is not None:
                    wait = self.latest.reset_epoch - self._clock() + 1
                    if wait > self._max_wait:
                        raise RateLimitWaitTooLong(wait)
                    started = time.monotonic()
                    self._cond.wait(timeout=max(wait, 0.05))
                    self.waited_seconds += time.monotonic() - started
                else:
                    self._cond.wait(timeout=1.0)
            self._active += 1
        try:
            yield
        finally:
            with self._cond:
                self._active -= 1
                self._cond.notify_all()


class RateLimitWaitTooLong(SecagentError):
    def __init__(self, seconds: float) -> None:
        super().__init__(f"rate limit exhausted; reset is {seconds:.0f}s away")
        self.seconds = seconds
