"""Sync: every Dependabot alert of the configured owners into the store, merged with the
analysts' decisions by docs/architecture.md, "The merge rule".

One plan for every owner: list its repositories and read each one's alerts in parallel
(bounded, and throttled by the rate governor). An organization that has a watermark is read
incrementally through the one org-wide endpoint instead: sorted by `updated` descending and
stopped at the watermark, a quiet org costs a single request. Users have no such endpoint, so
their incremental reads stop at the watermark repository by repository.

A repository's failure is recorded and the others go on; alerts disabled and a missing
repository are outcomes, not failures. One alert the parser refuses, or that the store cannot
hold, is an error of its repository alone (logged with its repository and number): the rest
of its page, its repository and its owner are stored as usual. The watermark only moves when
a run read everything it meant to (no errors, page guard not hit), so a later run never skips
unread alerts.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import asdict, dataclass, field
from datetime import datetime, timedelta
from typing import Any

from github import GithubException
from sqlalchemy.exc import DBAPIError, InterfaceError, OperationalError
from sqlalchemy.ext.asyncio import AsyncEngine

from secagent_tui.config import Config, OwnerConfig
from secagent_tui.domain.finding import Finding
from secagent_tui.domain.owner import Owner, OwnerKind, login_problem, repo_name_problem
from secagent_tui.domain.sync_status import RepoSyncStatus
from secagent_tui.github.client import (
    ALL_STATES,
    PER_PAGE,
    GitHubApi,
    GitHubSettings,
    TokenRefused,
    is_alerts_disabled,
    next_link,
    thread_requests,
)
from secagent_tui.github.parser import AlertParseError, parse_alert
from secagent_tui.github.ratelimit import RateGovernor
from secagent_tui.logs import correlation, redact
from secagent_tui.pipeline.snooze import wake_patched
from secagent_tui.store import sync_state
from secagent_tui.store.findings import CHUNK, UpsertCounts, upsert_findings
from secagent_tui.store.intents import supersede_overridden

log = logging.getLogger("secagent.sync")


@dataclass
class RepoOutcome:
    repo: str
    status: RepoSyncStatus = RepoSyncStatus.OK
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: int = 0
    requests: int = 0
    seconds: float = 0.0
    error: str | None = None

    def add(self, counts: UpsertCounts) -> None:
        self.created += counts.created
        self.updated += counts.updated
        self.unchanged += counts.unchanged


@dataclass
class OwnerOutcome:
    owner: str
    kind: str
    full: bool
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: int = 0
    requests: int = 0
    seconds: float = 0.0
    page_guard_hit: bool = False
    error: str | None = None
    repos: list[RepoOutcome] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return self.error is None and self.errors == 0

    def as_json(self) -> dict[str, Any]:
        doc = asdict(self)
        doc["ok"] = self.ok
        return doc


@dataclass
class _Fetched:
    """What one stream read: parsed findings per repository, plus its own figures."""

    findings: list[Finding] = field(default_factory=list)
    newest: datetime | None = None
    requests: int = 0
    parse_errors: list[str] = field(default_factory=list)
    complete: bool = True
    failure: BaseException | None = None  # what stopped the read, if anything did


class _PageGuard:
    """Pages one owner's run may read, so no run pages without bound; shared by its threads."""

    def __init__(self, limit: int) -> None:
        self.limit = limit
        self.used = 0
        self.hit = False
        self._lock = threading.Lock()

    def take(self) -> bool:
        with self._lock:
            if self.used >= self.limit:
                self.hit = True
                return False
            self.used += 1
            return True


ApiFactory = Callable[[RateGovernor], GitHubApi]


def api_factory_for(
    config: Config, token: str, token_source: str = "the configured token"
) -> ApiFactory:
    settings = GitHubSettings(
        api_url=config.github.api_url,
        token=token,
        token_source=token_source,
        timeout_seconds=config.github.request_timeout_seconds,
        max_retries=config.github.max_retries,
    )
    return lambda governor: GitHubApi(settings, governor)


class SyncService:
    def __init__(
        self,
        engine: AsyncEngine,
        config: Config,
        api_factory: ApiFactory,
        *,
        on_repo_done: Callable[[RepoOutcome], None] | None = None,
        read_only: bool = False,
    ) -> None:
        self._engine = engine
        # Read-only: a snoozed finding whose patch appeared is left for a writing sync.
        self._read_only = read_only
        self._config = config
        self._api_factory = api_factory
        self._on_repo_done = on_repo_done or (lambda _: None)

    async def sync(self, owner_name: str | None = None, full: bool = False) -> list[OwnerOutcome]:
        owners = [
            o
            for o in self._config.owners
            if owner_name is None or o.name.lower() == owner_name.lower()
        ]
        return [await self.sync_owner(o, full=full) for o in owners]

    async def sync_owner(self, owner_config: OwnerConfig, *, full: bool = False) -> OwnerOutcome:
        owner = owner_config.owner()
        with correlation() as cid:
            watermark = None if full else await sync_state.get_watermark(self._engine, owner)
            outcome = OwnerOutcome(owner.name, owner.kind.value, full=watermark is None)
            run_id = await sync_state.start_run(self._engine, owner, outcome.full, cid)
            governor = RateGovernor(
                self._config.sync.concurrency, self._config.sync.rate_limit_floor
            )
            api = self._api_factory(governor)
            started = time.perf_counter()
            try:
                newest = await self._run(api, owner_config, owner, watermark, outcome)
            except Exception as exc:  # the owner failed as a whole (e.g. listing its repos)
                outcome.error = _describe(exc)
                newest = None
                # The traceback goes to the log: this line alone did not say where it broke.
                log.warning("sync of %s failed: %s", owner.name, outcome.error, exc_info=True)
            finally:
                api.close()
            outcome.seconds = round(time.perf_counter() - started, 3)
            await self._finish(owner, run_id, outcome, newest, governor)
            if not self._read_only:
                await wake_patched(self._engine, self._config, owner.name, correlation_id=cid)
            return outcome

    async def _run(
        self,
        api: GitHubApi,
        owner_config: OwnerConfig,
        owner: Owner,
        watermark: datetime | None,
        outcome: OwnerOutcome,
    ) -> datetime | None:
        loop = asyncio.get_running_loop()
        guard = _PageGuard(self._config.sync.max_pages_per_run)
        stop_at = (
            watermark - timedelta(seconds=self._config.sync.overlap_seconds) if watermark else None
        )
        workers = self._config.sync.concurrency
        with ThreadPoolExecutor(max_workers=workers, thread_name_prefix="gh-sync") as pool:
            if owner.kind is OwnerKind.ORG and stop_at is not None:
                streams = [(f"/orgs/{owner.name}/dependabot/alerts", f"{owner.name}/*")]
            else:
                repos, requests = await loop.run_in_executor(pool, _list_repositories, api, owner)
                outcome.requests += requests
                names = _listed_names(repos, outcome)
                streams = [
                    (f"/repos/{name}/dependabot/alerts", name)
                    for name in names
                    if owner_config.includes(name)
                ]
            semaphore = asyncio.Semaphore(workers)

            async def one(path: str, label: str) -> tuple[datetime | None, bool]:
                async with semaphore:
                    return await self._stream(
                        pool, api, path, label, stop_at, guard, outcome, owner_config.includes
                    )

            results = await asyncio.gather(*(one(p, label) for p, label in streams))
        outcome.page_guard_hit = guard.hit
        if guard.hit:
            log.warning("page guard hit for %s after %d pages", owner.name, guard.used)
        complete = all(done for _, done in results)
        newest = max((n for n, _ in results if n is not None), default=None)
        return newest if complete else None

    async def _stream(
        self,
        pool: ThreadPoolExecutor,
        api: GitHubApi,
        path: str,
        label: str,
        stop_at: datetime | None,
        guard: _PageGuard,
        outcome: OwnerOutcome,
        include: Callable[[str], bool],
    ) -> tuple[datetime | None, bool]:
        """Reads one alert list, upserts what it read (also when a later page failed), and
        records the per-repository figures."""
        loop = asyncio.get_running_loop()
        started = time.perf_counter()
        repo_outcomes: dict[str, RepoOutcome] = {}
        fetched = await loop.run_in_executor(pool, _read_stream, api, path, stop_at, guard, label)
        status, error = _classify(fetched)
        stored_all = await self._store_by_repo(fetched, include, repo_outcomes)
        if not repo_outcomes or label not in repo_outcomes:
            repo_outcomes.setdefault(label, RepoOutcome(label))
        main = repo_outcomes[label]
        if main.status is RepoSyncStatus.OK:
            main.status, main.error = status, error
        main.requests = fetched.requests
        main.errors += len(fetched.parse_errors) + (status is RepoSyncStatus.ERROR)
        if not fetched.complete and status is RepoSyncStatus.OK:
            main.status = RepoSyncStatus.PAGE_GUARD
        if fetched.parse_errors:
            main.error = (
                main.error
                or f"{len(fetched.parse_errors)} unreadable alert(s): {fetched.parse_errors[0]}"
            )
        main.seconds = round(time.perf_counter() - started, 3)
        for repo_outcome in repo_outcomes.values():
            outcome.repos.append(repo_outcome)
            for name in ("created", "updated", "unchanged", "errors", "requests"):
                setattr(outcome, name, getattr(outcome, name) + getattr(repo_outcome, name))
            self._on_repo_done(repo_outcome)
        if error:
            log.warning("sync of %s failed: %s", label, error)
        return fetched.newest, fetched.complete and not fetched.parse_errors and stored_all

    async def _store_by_repo(
        self,
        fetched: _Fetched,
        include: Callable[[str], bool],
        repo_outcomes: dict[str, RepoOutcome],
    ) -> bool:
        """Stores what a stream read, repository by repository, into `repo_outcomes`; False
        when some alert was left out. A repository whose alerts cannot be stored at all (the
        database failed) fails alone: the other repositories of the stream are kept."""
        by_repo: dict[str, list[Finding]] = {}
        for finding in fetched.findings:
            if include(finding.repo):
                by_repo.setdefault(finding.repo, []).append(finding)
        stored_all = True
        for repo, batch in by_repo.items():
            outcome = repo_outcomes.setdefault(repo, RepoOutcome(repo))
            try:
                counts, refused = await self._store(batch)
            except Exception as exc:  # the store failed for this repository, not its owner
                outcome.status, outcome.error = RepoSyncStatus.ERROR, _describe(exc)
                outcome.errors += 1
                stored_all = False
                log.warning(
                    "sync of %s: storing its alerts failed: %s", repo, outcome.error, exc_info=True
                )
                continue
            outcome.add(counts)
            if refused:
                stored_all = False
                outcome.errors += len(refused)
                outcome.error = f"{len(refused)} alert(s) the store cannot hold: {refused[0]}"
        return stored_all

    async def _store(self, batch: list[Finding]) -> tuple[UpsertCounts, list[str]]:
        """Upsert `batch`; an alert the store refuses is left out alone, with why.

        A batch is one transaction per chunk of CHUNK rows, so it is cut into such chunks
        first (sorted, as the upsert would): a refused chunk then wrote nothing, and halving
        it until the refused alert stands alone keeps the counts exact. Only failures that a
        row can cause are searched this way; a lost connection fails the batch at once.
        """
        if len(batch) > CHUNK:
            ordered = sorted(batch, key=lambda f: (f.repo, f.number))
            total, refused = UpsertCounts(), []
            for start in range(0, len(ordered), CHUNK):
                counts, bad = await self._store_chunk(ordered[start : start + CHUNK])
                total, refused = total + counts, refused + bad
            return total, refused
        return await self._store_chunk(batch)

    async def _store_chunk(self, batch: list[Finding]) -> tuple[UpsertCounts, list[str]]:
        try:
            return await upsert_findings(self._engine, batch), []
        except Exception as exc:
            if not _row_error(exc):
                raise
            if len(batch) == 1:
                finding = batch[0]
                reason = f"{finding.repo}#{finding.number}: {_describe(exc)}"
                log.warning("sync of %s: alert rejected: %s", finding.repo, reason)
                return UpsertCounts(), [reason]
        half = len(batch) // 2
        first, first_bad = await self._store_chunk(batch[:half])
        second, second_bad = await self._store_chunk(batch[half:])
        return first + second, first_bad + second_bad

    async def _finish(
        self,
        owner: Owner,
        run_id: int,
        outcome: OwnerOutcome,
        newest: datetime | None,
        governor: RateGovernor,
    ) -> None:
        if outcome.ok and not outcome.page_guard_hit and newest is not None:
            await sync_state.advance_watermark(self._engine, owner, newest, run_id)
        superseded = await supersede_overridden(self._engine)
        figures = {
            "ok": outcome.ok,
            "created": outcome.created,
            "updated": outcome.updated,
            "unchanged": outcome.unchanged,
            "errors": outcome.errors,
            "requests": outcome.requests,
            "seconds": outcome.seconds,
            "page_guard_hit": outcome.page_guard_hit,
            "repos": [asdict(r) for r in outcome.repos],
            "error": outcome.error,
        }
        await sync_state.finish_run(self._engine, run_id, figures)
        if governor.latest is not None:
            seen = governor.latest
            await sync_state.record_rate_limit(
                self._engine, seen.resource, seen.limit, seen.remaining, seen.reset_at
            )
        log.info(
            "sync %s %s",
            owner.name,
            "ok" if outcome.ok else "failed",
            # Prefixed: `created` and friends are reserved LogRecord attributes.
            extra={
                "sync_owner": owner.name,
                "sync_created": outcome.created,
                "sync_updated": outcome.updated,
                "sync_unchanged": outcome.unchanged,
                "sync_errors": outcome.errors,
                "sync_requests": outcome.requests,
                "sync_seconds": outcome.seconds,
                "sync_page_guard_hit": outcome.page_guard_hit,
                "sync_superseded_intents": superseded,
            },
        )


def _listed_names(repos: list[dict[str, Any]], outcome: OwnerOutcome) -> list[str]:
    """The `owner/name` of each listed repository that can go into an API path; any other
    (`acme/..`, a query string, not a string at all) is an error of its own, never read."""
    names = []
    for repo in repos:
        full_name = repo.get("full_name") if isinstance(repo, dict) else None
        owner_part, _, name = (
            full_name.partition("/") if isinstance(full_name, str) else ("", "", "")
        )
        if owner_part and not login_problem(owner_part) and not repo_name_problem(name):
            names.append(full_name)
            continue
        shown = redact(repr(full_name))[:120]
        bad = RepoOutcome(shown, status=RepoSyncStatus.ERROR, errors=1)
        bad.error = f"GitHub listed a repository name that is not owner/name: {shown}"
        log.warning("sync of %s: %s", outcome.owner, bad.error)
        outcome.repos.append(bad)
        outcome.errors += 1
    return names


def _list_repositories(api: GitHubApi, owner: Owner) -> tuple[list[dict[str, Any]], int]:
    before = thread_requests()
    repos = api.list_repositories(owner)
    return repos, thread_requests() - before


def _read_stream(
    api: GitHubApi, path: str, stop_at: datetime | None, guard: _PageGuard, label: str
) -> _Fetched:
    """Runs on a worker thread: pages of one alert list, parsed, until done or stopped.

    The page guard is asked before each request, so it counts pages actually fetched. A
    failure is kept with what was read before it, and every request sent is counted.
    """
    fetched = _Fetched()
    before = thread_requests()
    query: dict[str, Any] | None = {"state": ALL_STATES, "per_page": PER_PAGE}
    if stop_at is not None:
        query.update(sort="updated", direction="desc")
    url: str | None = path
    try:
        while url is not None:
            if not guard.take():
                fetched.complete = False
                break
            headers, data = api.request("GET", url, query)
            if _take_page(list(data or []), stop_at, fetched, label):
                break
            url, query = next_link(headers), None  # the next link carries the query
    except Exception as exc:
        fetched.failure = exc
    finally:
        fetched.requests = thread_requests() - before
    return fetched


def _classify(fetched: _Fetched) -> tuple[RepoSyncStatus, str | None]:
    """A repository's status from how its read ended; updates `complete` to match."""
    exc = fetched.failure
    if exc is None:
        return RepoSyncStatus.OK, None
    if isinstance(exc, GithubException) and is_alerts_disabled(exc):
        return RepoSyncStatus.ALERTS_DISABLED, None
    if isinstance(exc, GithubException) and exc.status == 404:
        return RepoSyncStatus.NOT_FOUND, None
    fetched.complete = False
    return RepoSyncStatus.ERROR, _describe(exc)


def _take_page(
    page: list[dict[str, Any]], stop_at: datetime | None, fetched: _Fetched, label: str
) -> bool:
    """Parses a page into `fetched`; True when the watermark was reached (stop reading)."""
    for raw in page:
        try:
            finding = parse_alert(raw)
        except AlertParseError as exc:
            fetched.parse_errors.append(str(exc))
            log.warning("sync of %s: alert rejected: %s", label, redact(str(exc)))
            continue
        if stop_at is not None and finding.updated_at < stop_at:
            return True
        fetched.findings.append(finding)
        if fetched.newest is None or finding.updated_at > fetched.newest:
            fetched.newest = finding.updated_at
    return False


def _row_error(exc: BaseException) -> bool:
    """Whether one row can have caused `exc`: a value the JSON encoder, the driver or the
    database refuses (too big, too long, unencodable), not a connection gone."""
    if isinstance(exc, TypeError | ValueError | OverflowError):
        return True
    return (
        isinstance(exc, DBAPIError)
        and not isinstance(exc, OperationalError | InterfaceError)
        and not exc.connection_invalidated
    )


def _describe(exc: BaseException) -> str:
    if isinstance(exc, TokenRefused):
        return str(exc)
    if isinstance(exc, GithubException):
        message = exc.data.get("message") if isinstance(exc.data, dict) else None
        return f"GitHub answered {exc.status}" + (f": {message}" if message else "")
    text = str(exc).strip().splitlines()
    return redact(f"{type(exc).__name__}: {text[0]}" if text else type(exc).__name__)[:300]
