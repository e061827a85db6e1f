"""Builds a runner with every handler: one place, used by `worker`, `analyze --wait`,
`dismiss`/`reopen` and the TUI, so all of them run the same pipeline."""

from __future__ import annotations

from sqlalchemy.ext.asyncio import AsyncEngine

from secagent_tui.config import Config
from secagent_tui.github.client import GitHubApi, GitHubSettings
from secagent_tui.github.ratelimit import RateGovernor
from secagent_tui.llm.client import LlmClient
from secagent_tui.pipeline.analysis import (
    AnalysisDeps,
    ExtractionHandler,
    SandboxHandler,
    TriageHandler,
    mark_analysis_failed,
)
from secagent_tui.pipeline.dismissal import DismissalPushHandler, RetryPolicy
from secagent_tui.pipeline.llm_calls import StoredCallRecorder
from secagent_tui.pipeline.runner import Handler, JobRunner
from secagent_tui.pipeline.sandbox.workspace import Workspace
from secagent_tui.store.intents import requeue_orphans
from secagent_tui.store.jobs import Job, JobKind
from secagent_tui.store.write_limit import SharedWriteLimiter, write_limit_key


class Pipeline:
    """The long-lived parts (LLM client, workspace, GitHub client) and the runner over them."""

    def __init__(
        self,
        engine: AsyncEngine,
        config: Config,
        github_token: str | None,
        *,
        slots: int = 4,
        read_only: bool = False,
    ) -> None:
        """`read_only`: no automatic decision is recorded and no push handler exists, so no
        path (rules, triage, verdicts) writes to GitHub."""
        self.engine = engine
        self.config = config
        deps = AnalysisDeps(
            llm=LlmClient(config.llm, StoredCallRecorder(engine)),
            workspace=Workspace(
                config.analysis.workspace_dir, max_repo_bytes=config.analysis.max_repo_bytes
            ),
            github_token=github_token,
            read_only=read_only,
        )
        handlers: dict[JobKind, Handler] = {
            JobKind.TRIAGE: TriageHandler(deps),
            JobKind.SANDBOX: SandboxHandler(deps),
            JobKind.EXTRACTION: ExtractionHandler(deps),
        }
        self._api: GitHubApi | None = None
        if github_token and not read_only:
            # The push client sends each request once and never sleeps through a rate limit
            # (no PyGithub retries, a governor that will not wait): one attempt is bounded
            # by the request timeout, and every retry is the push job's own, spaced by the
            # shared write limit and shown on the decision (pipeline/dismissal.py).
            self._api = GitHubApi(
                GitHubSettings(
                    api_url=config.github.api_url,
                    token=github_token,
                    timeout_seconds=config.github.request_timeout_seconds,
                    max_retries=0,
                ),
                RateGovernor(
                    config.sync.concurrency, config.sync.rate_limit_floor, max_wait_seconds=0
                ),
            )
            handlers[JobKind.DISMISS_PUSH] = DismissalPushHandler(
                self._api,
                SharedWriteLimiter(
                    engine,
                    write_limit_key(config.github.api_url),
                    config.analysis.dismiss_writes_per_second,
                ),
                RetryPolicy.from_config(config.analysis),
            )
        sweeps = [self._requeue_orphans] if self._api is not None else []
        self.runner = JobRunner(
            engine,
            config,
            handlers,
            slots=slots,
            on_final_failure=self._final_failure,
            on_start=sweeps,
        )

    @property
    def can_push(self) -> bool:
        return self._api is not None

    async def _requeue_orphans(self) -> int:
        return await requeue_orphans(self.engine, max_attempts=self.config.analysis.max_attempts)

    async def _final_failure(self, job: Job, error: str) -> None:
        await mark_analysis_failed(self.engine, job.payload, error)

    def close(self) -> None:
        if self._api is not None:
            self._api.close()
