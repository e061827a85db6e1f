"""Rate-limit awareness, without a server: header parsing, the concurrency curve, and the
governor's blocking with a fake clock (threads and short real timeouts)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from hypothesis import given
from hypothesis import strategies as st

from secagent_tui.github.ratelimit import (
    RateGovernor,
    RateLimitWaitTooLong,
    allowed_concurrency,
    parse_rate_headers,
)

# Response headers as api.github.com sends them (lower-case over HTTP/2), and as PyGithub's
# older code paths and proxies spell them.
GITHUB_HEADERS = {
    "content-type": "application/json; charset=utf-8",
    "x-github-api-version-selected": "2022-11-28",
    "x-ratelimit-limit": "5000",
    "x-ratelimit-remaining": "4987",
    "x-ratelimit-reset": "1717171717",
    "x-ratelimit-used": "13",
    "x-ratelimit-resource": "core",
}


def headers(remaining: int, reset: int, *, limit: int = 5000, resource: str = "core") -> dict:
    return {
        "x-ratelimit-limit": str(limit),
        "x-ratelimit-remaining": str(remaining),
        "x-ratelimit-reset": str(reset),
        "x-ratelimit-used": str(limit - remaining),
        "x-ratelimit-resource": resource,
    }


# ------------------------------------------------------------------------------ headers


def test_parse_rate_headers_reads_githubs_headers() -> None:
    seen = parse_rate_headers(GITHUB_HEADERS)
    assert seen is not None
    assert (seen.resource, seen.limit, seen.remaining, seen.reset_epoch) == (
        "core",
        5000,
        4987,
        1717171717,
    )
    assert seen.reset_at == datetime(2024, 5, 31, 16, 8, 37, tzinfo=UTC)


def test_parse_rate_headers_ignores_header_case() -> None:
    mixed = {
        "X-RateLimit-Limit": "15000",
        "X-RateLimit-Remaining": "0",
        "X-RateLimit-Reset": "1717171717",
        "X-RateLimit-Resource": "search",
    }
    seen = parse_rate_headers(mixed)
    assert seen is not None
    assert (seen.resource, seen.limit, seen.remaining) == ("search", 15000, 0)


def test_parse_rate_headers_defaults_the_resource_to_core() -> None:
    # GitHub Enterprise Server versions before the resource header existed.
    without = {k: v for k, v in GITHUB_HEADERS.items() if k != "x-ratelimit-resource"}
    seen = parse_rate_headers(without)
    assert seen is not None and seen.resource == "core"


@pytest.mark.parametrize(
    "hdrs",
    [
        {},
        {"content-type": "application/json"},  # GHES with rate limiting off sends none
        {k: v for k, v in GITHUB_HEADERS.items() if k != "x-ratelimit-reset"},
        {**GITHUB_HEADERS, "x-ratelimit-remaining": "lots"},
        {**GITHUB_HEADERS, "x-ratelimit-limit": ""},
    ],
    ids=["empty", "no-rate-headers", "no-reset", "bad-remaining", "empty-limit"],
)
def test_parse_rate_headers_gives_none_for_missing_or_garbled_headers(hdrs: dict) -> None:
    assert parse_rate_headers(hdrs) is None


# ------------------------------------------------------------------------------ the curve


def test_full_concurrency_while_more_than_half_the_budget_is_left() -> None:
    floor, limit = 100, 5100  # 5000 usable above the floor
    assert allowed_concurrency(5100, limit, floor, 8) == 8
    assert allowed_concurrency(3000, limit, floor, 8) == 8
    assert allowed_concurrency(floor + 2500, limit, floor, 8) == 8  # exactly half


def test_proportionally_fewer_below_half_the_budget() -> None:
    floor, limit = 100, 5100
    assert allowed_concurrency(floor + 1250, limit, floor, 8) == 4  # a quarter: half speed
    assert allowed_concurrency(floor + 625, limit, floor, 8) == 2
    assert allowed_concurrency(floor + 1875, limit, floor, 8) == 6


def test_none_at_or_below_the_floor() -> None:
    assert allowed_concurrency(100, 5000, 100, 8) == 0
    assert allowed_concurrency(99, 5000, 100, 8) == 0
    assert allowed_concurrency(0, 5000, 0, 8) == 0


def test_at_least_one_just_above_the_floor() -> None:
    assert allowed_concurrency(101, 5000, 100, 8) == 1
    assert allowed_concurrency(1, 5000, 0, 64) == 1


def test_unknown_budget_allows_full_concurrency() -> None:
    assert allowed_concurrency(None, None, 100, 8) == 8
    assert allowed_concurrency(None, 5000, 100, 8) == 8


@given(
    limit=st.integers(min_value=1, max_value=20_000),
    floor=st.integers(min_value=0, max_value=1_000),
    ceiling=st.integers(min_value=1, max_value=64),
    data=st.data(),
)
def test_concurrency_curve_is_bounded_and_never_falls_as_budget_grows(
    limit: int, floor: int, ceiling: int, data: st.DataObject
) -> None:
    low = data.draw(st.integers(min_value=0, max_value=limit))
    high = data.draw(st.integers(min_value=low, max_value=limit))
    a = allowed_concurrency(low, limit, floor, ceiling)
    b = allowed_concurrency(high, limit, floor, ceiling)
    assert 0 <= a <= b <= ceiling
    assert (a == 0) == (low <= floor)


# ------------------------------------------------------------------------------ the governor


class FakeClock:
    def __init__(self, now: float) -> None:
        self.now = now
        self._lock = threading.Lock()

    def __call__(self) -> float:
        with self._lock:
            return self.now

    def advance(self, seconds: float) -> None:
        with self._lock:
            self.now += seconds


class Waiter:
    """A thread that takes one slot of the governor and holds it until released."""

    def __init__(self, governor: RateGovernor) -> None:
        self.acquired = threading.Event()
        self.release = threading.Event()
        self.error: BaseException | None = None
        self.thread = threading.Thread(target=self._run, args=(governor,), daemon=True)
        self.thread.start()

    def _run(self, governor: RateGovernor) -> None:
        try:
            with governor.slot():
                self.acquired.set()
                self.release.wait(timeout=10)
        except BaseException as exc:
            self.error = exc
            self.acquired.set()

    def finish(self) -> None:
        self.release.set()
        self.thread.join(timeout=5)
        assert not self.thread.is_alive()
        assert self.error is None, self.error


@pytest.fixture
def waiters() -> Iterator[list[Waiter]]:
    started: list[Waiter] = []
    yield started
    for waiter in started:
        waiter.release.set()
        waiter.thread.join(timeout=5)


def test_governor_lets_requests_through_before_any_headers_are_seen() -> None:
    governor = RateGovernor(3, 100, clock=FakeClock(1000.0))
    with governor.slot(), governor.slot(), governor.slot():
        pass
    assert governor.waited_seconds == 0


def test_governor_ignores_other_resources() -> None:
    clock = FakeClock(1000.0)
    governor = RateGovernor(2, 100, clock=clock)
    governor.observe(headers(0, 1100, limit=30, resource="search"))
    assert governor.latest is None
    with governor.slot():
        pass


def test_governor_blocks_at_the_floor_until_the_reset_passes(waiters: list[Waiter]) -> None:
    clock = FakeClock(1000.0)
    governor = RateGovernor(4, 100, clock=clock)
    reading = headers(remaining=100, reset=1030)
    governor.observe(reading)

    waiter = Waiter(governor)
    waiters.append(waiter)
    assert not waiter.acquired.wait(timeout=0.3)
    # Other responses from the same window wake it, but the window has not reset yet.
    governor.observe(reading)
    clock.advance(29)
    governor.observe(reading)
    assert not waiter.acquired.wait(timeout=0.3)

    clock.advance(2)  # past the reset
    governor.observe(reading)  # any wake-up now finds the window reset
    assert waiter.acquired.wait(timeout=2)
    waiter.finish()
    assert governor.waited_seconds > 0


def test_governor_rechecks_the_clock_by_itself_after_its_wait(waiters: list[Waiter]) -> None:
    # Reset a tenth of a second away on the fake clock: the waiter sleeps about 1.1 s of real
    # time (it adds a second of margin), then finds the clock past the reset without any help.
    clock = FakeClock(1000.9)
    governor = RateGovernor(2, 50, clock=clock)
    governor.observe(headers(remaining=10, reset=1001))

    waiter = Waiter(governor)
    waiters.append(waiter)
    assert not waiter.acquired.wait(timeout=0.3)
    clock.advance(5)
    assert waiter.acquired.wait(timeout=3)
    waiter.finish()


def test_governor_resumes_when_a_fresh_window_is_observed(waiters: list[Waiter]) -> None:
    clock = FakeClock(1000.0)
    governor = RateGovernor(2, 100, clock=clock)
    governor.observe(headers(remaining=50, reset=1600))
    waiter = Waiter(governor)
    waiters.append(waiter)
    assert not waiter.acquired.wait(timeout=0.3)
    governor.observe(headers(remaining=4999, reset=4600))  # a response from the new window
    assert waiter.acquired.wait(timeout=2)
    waiter.finish()


def test_governor_narrows_concurrency_as_the_budget_falls(waiters: list[Waiter]) -> None:
    clock = FakeClock(1000.0)
    governor = RateGovernor(4, 100, clock=clock)
    governor.observe(headers(remaining=100 + 1225, reset=2000, limit=5000))  # a quarter: 2
    first, second, third = Waiter(governor), Waiter(governor), Waiter(governor)
    waiters.extend([first, second, third])
    assert first.acquired.wait(timeout=2) and second.acquired.wait(timeout=2)
    assert not third.acquired.wait(timeout=0.3)
    first.finish()  # a slot frees: the third goes
    assert third.acquired.wait(timeout=2)
    second.finish()
    third.finish()


def test_governor_refuses_to_wait_longer_than_its_maximum() -> None:
    clock = FakeClock(1000.0)
    governor = RateGovernor(2, 100, clock=clock, max_wait_seconds=60)
    governor.observe(headers(remaining=3, reset=1000 + 3600))
    with pytest.raises(RateLimitWaitTooLong) as caught, governor.slot():
        pass
    assert caught.value.seconds > 60
    assert "reset is" in str(caught.value)
