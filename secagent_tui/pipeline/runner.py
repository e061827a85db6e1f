"""The job runner shared by `secagent worker`, `analyze --wait`, `dismiss` and the TUI.

Several runners (processes or machines) may share one database: each claims jobs
atomically (store/jobs.py), renews its leases while a job runs, and gives the job up at once
when a heartbeat finds it is no longer its own (reclaimed after a stall, or cancelled).
A handler that raises is retried with backoff; one that runs past `running_stale_minutes` is
stopped and failed like any other error.
"""

from __future__ import annotations

import asyncio
import logging
import os
import socket
import uuid
from collections.abc import Awaitable, Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine

from secagent_tui import failpoints
from secagent_tui.config import Config
from secagent_tui.domain.errors import SecagentError
from secagent_tui.logs import correlation, redact
from secagent_tui.store import jobs as job_store
from secagent_tui.store.jobs import Job, JobKind, JobStatus

log = logging.getLogger("secagent.runner")


@dataclass
class JobContext:
    """What a handler gets: its job, the store, the config, and a way to queue follow-ups
    that stay on the same correlation id (so `analyze --wait` can follow the whole chain)."""

    job: Job
    engine: AsyncEngine
    config: Config
    lost: asyncio.Event = field(default_factory=asyncio.Event)
    follow_ups: list[job_store.FollowUp] = field(default_factory=list)

    def enqueue(
        self, kind: JobKind, payload: dict[str, Any] | None = None, *, finding_id: int | None = None
    ) -> None:
        """Queue the next step once this one has succeeded: it is written in the same
        transaction as this job's completion, so a crash never runs the next step twice
        (or not at all)."""
        self.follow_ups.append(
            job_store.FollowUp(
                kind,
                owner=self.job.owner,
                correlation_id=self.job.correlation_id,
                finding_id=finding_id if finding_id is not None else self.job.finding_id,
                payload=payload or {},
                max_attempts=self.config.analysis.max_attempts,
                requested_by=self.job.requested_by,
            )
        )


Handler = Callable[[JobContext], Awaitable[None]]


class PermanentJobError(SecagentError):
    """A failure that retrying cannot fix (e.g. GitHub answered 422): fail at once."""


class RetryLater(SecagentError):
    """A transient failure of work that must go on for as long as it is wanted (a pending
    decision's push through a GitHub outage): retried after `delay` seconds, spending no
    attempt."""

    def __init__(self, message: str, delay: float) -> None:
        super().__init__(message)
        self.delay = delay


@dataclass
class RunSummary:
    done: int = 0
    failed: int = 0
    retried: int = 0
    lost: int = 0


def default_worker_id() -> str:
    return f"{socket.gethostname()}:{os.getpid()}:{uuid.uuid4().hex[:6]}"


class JobRunner:
    def __init__(
        self,
        engine: AsyncEngine,
        config: Config,
        handlers: Mapping[JobKind, Handler],
        *,
        worker_id: str | None = None,
        slots: int = 4,
        poll_seconds: float = 1.0,
        on_final_failure: Callable[[Job, str], Awaitable[None]] | None = None,
        on_start: Sequence[Callable[[], Awaitable[int]]] = (),
    ) -> None:
        """`on_start`: sweeps run before the first claim (re-queue what a crash orphaned);
        each returns how many things it repaired, for the log."""
        self._engine = engine
        self._config = config
        self._handlers = dict(handlers)
        self.worker_id = worker_id or default_worker_id()
        self._slots = slots
        self._poll = poll_seconds
        self._on_final_failure = on_final_failure
        self._on_start = tuple(on_start)
        self.summary = RunSummary()

    @property
    def _lease(self) -> float:
        return float(self._config.analysis.lease_seconds)

    async def run(
        self,
        *,
        until_idle: bool = False,
        correlation_id: str | None = None,
        stop: asyncio.Event | None = None,
    ) -> RunSummary:
        """Run jobs until `stop` is set; with `until_idle`, until nothing is runnable now and
        nothing runs; with `correlation_id`, only that chain's jobs, until all have ended."""
        stop = stop or asyncio.Event()
        reclaimed = await job_store.reclaim_expired(self._engine)
        if reclaimed:
            log.warning("reclaimed %d job(s) with expired leases on start", reclaimed)
        for sweep in self._on_start:
            repaired = await sweep()
            if repaired:
                log.warning("start sweep %s repaired %d item(s)", sweep, repaired)
        running: set[asyncio.Task[None]] = set()
        while not stop.is_set():
            claimed_any = False
            while len(running) < self._slots:
                job = await job_store.claim(
                    self._engine,
                    self.worker_id,
                    lease_seconds=self._lease,
                    max_concurrent_per_owner=self._config.analysis.max_concurrent_per_owner,
                    kinds=list(self._handlers),
                    correlation_id=correlation_id,
                )
                if job is None:
                    break
                claimed_any = True
                running.add(asyncio.create_task(self._execute(job)))
            if await self._finished(until_idle, correlation_id, running, claimed_any):
                break
            running = await self._wait(running, stop)
        if running:
            await asyncio.gather(*running, return_exceptions=True)
        return self.summary

    async def _finished(
        self, until_idle: bool, correlation_id: str | None, running: set[Any], claimed: bool
    ) -> bool:
        if running or claimed:
            return False
        if correlation_id is not None:
            # Only the kinds this runner can run: a push queued without a GitHub token stays
            # queued for a later worker instead of making the wait endless.
            active = await job_store.count_active(
                self._engine, correlation_id, kinds=list(self._handlers)
            )
            return active == 0
        return until_idle

    async def _wait(
        self, running: set[asyncio.Task[None]], stop: asyncio.Event
    ) -> set[asyncio.Task[None]]:
        """Until a job ends, the stop event, or the next poll (other runners may free slots)."""
        stopper = asyncio.create_task(stop.wait())
        waiting = {*running, stopper}
        done, _ = await asyncio.wait(
            waiting, timeout=self._poll, return_when=asyncio.FIRST_COMPLETED
        )
        stopper.cancel()
        return running - done

    async def _execute(self, job: Job) -> None:
        try:
            await self._run_job(job)
        except asyncio.CancelledError:
            raise
        except Exception:
            # The job's own outcome could not be recorded (e.g. the database went away);
            # its lease runs out and another claim retries it, so nothing is lost.
            log.exception("could not record the outcome of job %d", job.id)

    async def _run_job(self, job: Job) -> None:
        ctx = JobContext(job, self._engine, self._config)
        handler = self._handlers[job.kind]
        with correlation(job.correlation_id):
            log.info("job %d %s started (attempt %d)", job.id, job.kind.value, job.attempts)
            work = asyncio.create_task(handler(ctx))
            beat = asyncio.create_task(self._heartbeat(ctx, work))
            try:
                await asyncio.wait_for(
                    asyncio.shield(work), timeout=self._config.analysis.running_stale_minutes * 60
                )
            except TimeoutError:
                # A job that used up its whole time bound would most likely do so again:
                # it fails with the reason instead of being retried (or reclaimed) in turn.
                work.cancel()
                minutes = self._config.analysis.running_stale_minutes
                await self._fail(
                    job,
                    f"ran past its time bound (analysis.running_stale_minutes = {minutes})",
                    permanent=True,
                )
            except asyncio.CancelledError:
                if not ctx.lost.is_set():
                    work.cancel()
                    raise
                self.summary.lost += 1
                log.warning("job %d given up: its lease is no longer ours", job.id)
            except PermanentJobError as exc:
                await self._fail(job, str(exc), permanent=True)
            except RetryLater as exc:
                error = redact(str(exc))
                if await job_store.retry_later(
                    self._engine, job.id, self.worker_id, error, delay_seconds=exc.delay
                ):
                    self.summary.retried += 1
                    log.warning(
                        "job %d %s retries in %.0fs: %s", job.id, job.kind.value, exc.delay, error
                    )
            except Exception as exc:
                log.exception("job %d %s failed", job.id, job.kind.value)
                await self._fail(job, f"{type(exc).__name__}: {exc}", permanent=False)
            else:
                failpoints.reached(failpoints.STEP_HANDLED)
                completed = await job_store.complete(
                    self._engine, job.id, self.worker_id, ctx.follow_ups
                )
                failpoints.reached(failpoints.STEP_COMPLETED)
                if completed:
                    self.summary.done += 1
                    log.info("job %d %s done", job.id, job.kind.value)
            finally:
                beat.cancel()

    async def _heartbeat(self, ctx: JobContext, work: asyncio.Task[None]) -> None:
        while not work.done():
            await asyncio.sleep(max(self._lease / 3, 0.05))
            try:
                ours = await job_store.heartbeat(
                    self._engine, ctx.job.id, self.worker_id, self._lease
                )
            except Exception:
                # A missed beat is not a lost lease; the next one may get through.
                log.warning("heartbeat for job %d failed", ctx.job.id, exc_info=True)
                continue
            if not ours:
                ctx.lost.set()
                work.cancel()
                return

    async def _fail(self, job: Job, error: str, *, permanent: bool) -> None:
        error = redact(error)
        # A permanent failure spends the remaining attempts: retrying cannot help.
        status = await job_store.fail(
            self._engine,
            job.id,
            self.worker_id,
            error,
            backoff_seconds=self._config.analysis.backoff_seconds,
            permanent=permanent,
        )
        if status is JobStatus.FAILED:
            self.summary.failed += 1
            log.error("job %d %s failed for good: %s", job.id, job.kind.value, error)
            if self._on_final_failure is not None:
                await self._on_final_failure(job, error)
        elif status is JobStatus.QUEUED:
            self.summary.retried += 1
            log.warning("job %d %s will be retried: %s", job.id, job.kind.value, error)
