"""Pushing analysts' decisions to GitHub: one PATCH per alert (GitHub has no bulk endpoint),
at most `dismiss_writes_per_second` for the token across every runner on the database,
resumable after a restart because the outbox row and its job survive it.

How GitHub's answer ends an attempt:

- 200, or 409 for an alert already in the wanted state: confirmed.
- Transient (5xx, a timeout or a dropped connection, a primary or secondary rate limit,
  401 — the token may be rotated meanwhile): the decision is still wanted, so it is retried
  for as long as it is pending, without spending the job's attempts (`RetryLater`), with a
  capped exponential backoff that waits at least as long as GitHub asked (`retry-after`,
  the rate limit's reset). The intent shows when the next try is and why.
- Permanent (400, 404, 410, 422, 409 for a fixed alert, 403 without a rate limit: no
  permission, or a repository whose alerts need a dismissal request): the intent is
  `refused` with GitHub's message, the finding returns to GitHub's state, and the job fails
  at once.

Each attempt is one HTTP request (plus a GET after a 409): the push client retries nothing
itself and never sleeps through a rate limit (pipeline/wiring.py builds it so), so an attempt
is bounded by the request timeout, and every retry is a job-level one that the queue shows.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any, Protocol

import requests
import urllib3.exceptions
from github import GithubException

from secagent_tui import failpoints
from secagent_tui.config import AnalysisConfig
from secagent_tui.domain.decision import DecisionAction
from secagent_tui.domain.errors import SecagentError
from secagent_tui.domain.finding import MAX_COMMENT_CHARS
from secagent_tui.github.client import GitHubApi
from secagent_tui.github.parser import parse_alert
from secagent_tui.github.ratelimit import RateLimitWaitTooLong
from secagent_tui.logs import redact
from secagent_tui.pipeline.runner import JobContext, PermanentJobError, RetryLater
from secagent_tui.store.assignments import confirm_assignment, refuse_assignment
from secagent_tui.store.findings import get_finding_by_id
from secagent_tui.store.intents import Intent, confirm_intent, get_intent
from secagent_tui.store.push_outcomes import clear_retry, failed_tries, note_retry, refuse

_RATE_LIMITED_STATUSES = (403, 429)


class WriteLimiter(Protocol):
    """Spaces writes out (store/write_limit.py: `SharedWriteLimiter`, one pace per token
    across processes)."""

    async def wait(self) -> float: ...


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """How long a transient push failure waits before the next try.

    `base_seconds` doubles with each failed try up to `cap_seconds`; a wait GitHub asked for
    (`retry-after`, the primary limit's reset) is honoured even when longer. A secondary
    rate limit that names no wait gets `secondary_seconds` (GitHub: "wait at least one
    minute").
    """

    base_seconds: float = 5.0
    cap_seconds: float = 300.0
    secondary_seconds: float = 60.0

    @classmethod
    def from_config(cls, analysis: AnalysisConfig) -> RetryPolicy:
        """From `analysis.backoff_seconds` (default 5 s): the cap is sixty base delays
        (5 min at the default) and a secondary limit's minute is kept within it, so one
        setting scales the whole policy (a test's small base gives seconds, not minutes)."""
        base = max(analysis.backoff_seconds, 0.01)
        cap = 60 * base
        return cls(base_seconds=base, cap_seconds=cap, secondary_seconds=min(60.0, cap))

    def delay(self, failed_tries: int, failure: Transient) -> float:
        """Seconds before the next try after `failed_tries` earlier transient failures."""
        backoff = min(self.cap_seconds, self.base_seconds * 2 ** min(failed_tries, 30))
        asked = failure.asked_seconds
        if failure.secondary_limit and not asked:
            asked = self.secondary_seconds
        return max(backoff, asked)


@dataclass(frozen=True, slots=True)
class Transient:
    """A failure worth retrying: why, the least wait GitHub asked for (0: none), and whether
    it was a secondary rate limit that named no wait."""

    error: str
    asked_seconds: float = 0.0
    secondary_limit: bool = False


class _Refused(SecagentError):
    """GitHub will never take this change; the message is what the analyst reads."""


def patch_body(intent: Intent) -> dict[str, Any]:
    if intent.action is DecisionAction.ASSIGN:
        # GitHub replaces the whole set with the list; [] clears it.
        return {"assignees": list(intent.assignees or ())}
    if intent.action is DecisionAction.REOPEN:
        return {"state": "open"}
    body = {"state": "dismissed", "dismissed_reason": intent.reason or "not_used"}
    if intent.comment:
        body["dismissed_comment"] = intent.comment[:MAX_COMMENT_CHARS]
    return body


def github_message(exc: GithubException) -> str:
    data = exc.data
    if isinstance(data, dict):
        return str(data.get("message") or data)
    return str(data)


def _lowered(headers: Mapping[str, Any] | None) -> dict[str, str]:
    return {str(k).lower(): str(v) for k, v in (headers or {}).items()}


def _asked_wait(headers: dict[str, str], now: float) -> float:
    """Seconds GitHub asked us to wait: `retry-after`, or until the reset of a spent primary
    limit (plus a second: the reset is a whole second); 0 when it named none."""
    retry_after = headers.get("retry-after", "").strip()
    if retry_after:
        try:
            return max(float(retry_after), 0.0)
        except ValueError:
            pass  # an HTTP date: GitHub sends seconds; fall through to the reset
    if headers.get("x-ratelimit-remaining") == "0":
        try:
            return max(float(headers["x-ratelimit-reset"]) - now + 1, 0.0)
        except (KeyError, ValueError):
            return 0.0
    return 0.0


def is_rate_limited(status: int | None, headers: dict[str, str], message: str) -> bool:
    """GitHub's rate-limit answers: 403 or 429 with `retry-after`, a spent budget
    (`x-ratelimit-remaining: 0`), or a rate-limit message (a secondary limit may come with
    no header at all). A 403 without any of these is a refusal (no permission)."""
    if status not in _RATE_LIMITED_STATUSES:
        return False
    if status == 429 or "retry-after" in headers:
        return True
    if headers.get("x-ratelimit-remaining") == "0":
        return True
    return "rate limit" in message.lower()


def classify(exc: BaseException, now: float | None = None) -> Transient | str:
    """A transient failure, or the refusal's message (str); raises nothing itself.
    Anything not known to be permanent is transient: a pending decision is kept trying
    rather than dropped on a surprise."""
    now = time.time() if now is None else now
    if isinstance(exc, RateLimitWaitTooLong):
        return Transient(f"GitHub rate limit: {exc}", exc.seconds)
    if not isinstance(exc, GithubException):
        return Transient(f"{type(exc).__name__}: {exc}")
    status, message = exc.status, github_message(exc)
    headers = _lowered(exc.headers)
    if status == 401:
        return Transient(str(exc))  # TokenRefused names where the token came from
    if is_rate_limited(status, headers, message):
        secondary = "secondary" in message.lower()
        return Transient(
            f"GitHub rate limit ({status}): {message}", _asked_wait(headers, now), secondary
        )
    if status is not None and 400 <= status < 500 and status not in (408, 429):
        return f"GitHub refused the change ({status}): {message}"
    return Transient(f"GitHub answered {status}: {message}", _asked_wait(headers, now))


_TRANSIENT_ERRORS = (
    GithubException,
    RateLimitWaitTooLong,
    requests.exceptions.RequestException,
    urllib3.exceptions.HTTPError,
    OSError,  # TimeoutError and ConnectionError among them
    json.JSONDecodeError,  # a response cut short
)


class DismissalPushHandler:
    """The `dismiss_push` job: one decision's PATCH, and what GitHub's answer makes of the
    decision (see the module's docstring). `policy` None takes it from the job's config.

    An `assign` intent goes the same way (same limiter, retries and refusals); only its
    body, its confirmation and its refusal are its own (store/assignments.py).
    """

    def __init__(
        self, api: GitHubApi, limiter: WriteLimiter, policy: RetryPolicy | None = None
    ) -> None:
        self._api = api
        self._limiter = limiter
        self._policy = policy

    async def __call__(self, ctx: JobContext) -> None:
        intent_id = int(ctx.job.payload["intent_id"])
        intent = await get_intent(ctx.engine, intent_id)
        if intent is None or intent.status != "pending":
            return  # superseded by a newer decision or a newer GitHub change, or done
        record = await get_finding_by_id(ctx.engine, intent.finding_id)
        if record is None:
            raise PermanentJobError(f"finding {intent.finding_id} no longer exists")
        await self._limiter.wait()
        # The wait may have been long (a busy token): a decision superseded meanwhile is
        # not written.
        intent = await get_intent(ctx.engine, intent_id)
        if intent is None or intent.status != "pending":
            return
        f = record.finding
        try:
            alert = await self._push(intent, f.repo, f.number)
        except _Refused as refusal:
            error = redact(str(refusal))
            if intent.action is DecisionAction.ASSIGN:
                await refuse_assignment(ctx.engine, intent.id, error)
            else:
                await refuse(ctx.engine, intent.id, error)
            raise PermanentJobError(error) from refusal
        except _TRANSIENT_ERRORS as exc:
            await self._retry_later(ctx, intent, exc)
            return  # the intent was no longer pending: nothing left to push
        failpoints.reached(failpoints.PUSH_SENT)
        if intent.action is DecisionAction.ASSIGN:
            await confirm_assignment(ctx.engine, intent.id, _updated_at(alert))
        else:
            await confirm_intent(ctx.engine, intent.id, _updated_at(alert))
        await clear_retry(ctx.engine, intent.id)

    async def _push(self, intent: Intent, repo: str, number: int) -> dict[str, Any]:
        """The PATCH, and GitHub's alert as it now stands; `_Refused` for a permanent
        answer, transient failures raised as they come."""
        try:
            return await asyncio.to_thread(self._api.update_alert, repo, number, patch_body(intent))
        except GithubException as exc:
            if exc.status == 409:
                return await self._settle_conflict(intent, repo, number, exc)
            outcome = classify(exc)
            if isinstance(outcome, str):
                raise _Refused(outcome) from exc
            raise

    async def _settle_conflict(
        self, intent: Intent, repo: str, number: int, exc: GithubException
    ) -> dict[str, Any]:
        # 409 is both "already in that state" and "fixed, cannot be changed": only the
        # alert's current state tells which.
        _, alert = await asyncio.to_thread(
            self._api.request, "GET", f"/repos/{repo}/dependabot/alerts/{number}"
        )
        if isinstance(alert, dict) and _already_as_wanted(intent, alert):
            return dict(alert)
        state = alert.get("state") if isinstance(alert, dict) else "unknown"
        raise _Refused(
            f"GitHub refused the change (409, alert is {state}): {github_message(exc)}"
        ) from exc

    async def _retry_later(self, ctx: JobContext, intent: Intent, exc: BaseException) -> None:
        policy = self._policy or RetryPolicy.from_config(ctx.config.analysis)
        outcome = classify(exc)
        if isinstance(outcome, str):  # not reached: _push raised those as _Refused
            outcome = Transient(outcome)
        error = redact(outcome.error)
        tries = await failed_tries(ctx.engine, intent.id)
        delay = policy.delay(tries, outcome)
        next_at = datetime.now(UTC) + timedelta(seconds=delay)
        if not await note_retry(ctx.engine, intent.id, error, next_at):
            return
        message = f"{error} (try {tries + 1}, next at {next_at:%H:%M:%S} UTC)"
        raise RetryLater(message, delay) from exc


def _already_as_wanted(intent: Intent, alert: dict[str, Any]) -> bool:
    if intent.action is DecisionAction.ASSIGN:
        return parse_alert(alert).assignees == tuple(intent.assignees or ())
    return alert.get("state") == intent.action.wanted_state.value


def _updated_at(alert: dict[str, Any]) -> datetime:
    return parse_alert(alert).updated_at
