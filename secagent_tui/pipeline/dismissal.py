"""Pushing analysts' decisions to GitHub: one PATCH per alert (GitHub has no bulk endpoint),
at most `dismiss_writes_per_second` per process, retried by the job runner, resumable after
a restart because the outbox row and its job survive it."""

from __future__ import annotations

import asyncio
import time
from datetime import datetime

from github import GithubException

from secagent_tui.domain.finding import MAX_COMMENT_CHARS
from secagent_tui.github.client import GitHubApi
from secagent_tui.github.parser import parse_alert
from secagent_tui.pipeline.runner import JobContext, PermanentJobError
from secagent_tui.store.findings import get_finding_by_id
from secagent_tui.store.intents import Intent, confirm_intent, fail_intent, get_intent

# Statuses after which retrying the same PATCH cannot succeed.
_PERMANENT = {400, 401, 404, 410, 422}


class WriteLimiter:
    """Spaces writes out: GitHub asks for at least a second between mutating requests."""

    def __init__(self, per_second: float) -> None:
        self._interval = 1.0 / per_second
        self._next = 0.0
        self._lock = asyncio.Lock()

    async def wait(self) -> None:
        async with self._lock:
            delay = self._next - time.monotonic()
            if delay > 0:
                await asyncio.sleep(delay)
            self._next = time.monotonic() + self._interval


def patch_body(intent: Intent) -> dict[str, str]:
    if intent.action == "reopen":
        return {"state": "open"}
    body = {"state": "dismissed", "dismissed_reason": intent.reason or "not_used"}
    if intent.comment:
        body["dismissed_comment"] = intent.comment[:MAX_COMMENT_CHARS]
    return body


class DismissalPushHandler:
    def __init__(self, api: GitHubApi, limiter: WriteLimiter) -> None:
        self._api = api
        self._limiter = limiter

    async def __call__(self, ctx: JobContext) -> None:
        intent = await get_intent(ctx.engine, int(ctx.job.payload["intent_id"]))
        if intent is None or intent.status != "pending":
            return  # superseded by a newer decision or a newer GitHub change, or done
        record = await get_finding_by_id(ctx.engine, intent.finding_id)
        if record is None:
            raise PermanentJobError(f"finding {intent.finding_id} no longer exists")
        f = record.finding
        await self._limiter.wait()
        try:
            alert = await asyncio.to_thread(
                self._api.update_alert, f.repo, f.number, patch_body(intent)
            )
        except GithubException as exc:
            alert = await self._handle_refusal(ctx, intent, f.repo, f.number, exc)
        await confirm_intent(ctx.engine, intent.id, _updated_at(alert))

    async def _handle_refusal(
        self, ctx: JobContext, intent: Intent, repo: str, number: int, exc: GithubException
    ) -> dict:
        message = exc.data.get("message") if isinstance(exc.data, dict) else exc.data
        if exc.status == 409:
            # 409 is both "already in that state" and "fixed, cannot be changed": only the
            # alert's current state tells which.
            _, alert = await asyncio.to_thread(
                self._api.request, "GET", f"/repos/{repo}/dependabot/alerts/{number}"
            )
            wanted = "open" if intent.action == "reopen" else "dismissed"
            if isinstance(alert, dict) and alert.get("state") == wanted:
                return dict(alert)
            state = alert.get("state") if isinstance(alert, dict) else "unknown"
            error = f"GitHub refused the change (409, alert is {state}): {message}"
            await fail_intent(ctx.engine, intent.id, error)
            raise PermanentJobError(error) from exc
        if exc.status in _PERMANENT:
            error = f"GitHub refused the change ({exc.status}): {message}"
            await fail_intent(ctx.engine, intent.id, error)
            raise PermanentJobError(error) from exc
        raise RuntimeError(f"GitHub answered {exc.status}: {message}") from exc


def _updated_at(alert: dict) -> datetime:
    return parse_alert(alert).updated_at
