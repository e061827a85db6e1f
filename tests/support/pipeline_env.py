"""The world a pipeline test runs in: the local GitHub and Ollama servers (real sockets, the
real PyGithub and ollama clients), git repositories made on the spot for the sandbox, a config
file pointing at all of it, and findings stored the way a sync stores them.

    with PipelineEnv(tmp_path) as env:
        env.add_repo("acme/shop", {"package.json": ..., "src/app.js": ...})
        ref = env.add_alert("acme/shop", ecosystem="npm", package="lodash", ...)
        config = env.config(database_url, auto_dismiss={"enabled": True})
        records = await env.load_findings(engine)
        run = await env.analyze(engine, config, records[ref])

Nothing here replaces a part of the pipeline: the runner, the handlers, the LLM client and
the GitHub client are the production ones, built by `Pipeline`.
"""

from __future__ import annotations

import subprocess
import uuid
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import Any

from sqlalchemy import Table, select
from sqlalchemy.ext.asyncio import AsyncEngine

from secagent_tui.config import Config
from secagent_tui.demo.github import Dataset
from secagent_tui.demo.ollama import Responder
from secagent_tui.demo.stack import LocalStack, owner_tables
from secagent_tui.domain.record import FindingRecord
from secagent_tui.github.parser import parse_alert
from secagent_tui.pipeline.analysis import enqueue_analysis
from secagent_tui.pipeline.runner import RunSummary
from secagent_tui.pipeline.wiring import Pipeline
from secagent_tui.store.analyses import get_analysis, transcript
from secagent_tui.store.findings import get_finding_by_id, upsert_findings

from .github_env import FastApi, run_sync, stored

MODEL = "qwen2.5-coder:7b"
_USE_SERVER_TOKEN = "<server token>"


# ------------------------------------------------------------------------------ git


def make_git_repo(path: Path, files: Mapping[str, str]) -> Path:
    """A real repository at `path` with `files` in one commit on `main`."""
    path.mkdir(parents=True, exist_ok=True)
    for relative, text in files.items():
        target = path / relative
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(text, encoding="utf-8")
    for args in (("init", "-q", "-b", "main"), ("add", "-A"), ("commit", "-q", "-m", "initial")):
        subprocess.run(
            [
                "git",
                "-c",
                "user.name=test",
                "-c",
                "user.email=test@example.invalid",
                "-c",
                "commit.gpgsign=false",
                *args,
            ],
            cwd=path,
            check=True,
            capture_output=True,
        )
    return path


# ------------------------------------------------------------------------------ the env


@dataclass(frozen=True)
class AnalysisRun:
    analysis_id: int
    correlation_id: str
    summary: RunSummary


class PipelineEnv:
    """Local GitHub and Ollama servers over a dataset this test fills, plus git repos."""

    def __init__(
        self,
        folder: Path,
        *,
        models: Sequence[str] = (MODEL,),
        responder: Responder | None = None,
        **github_options: Any,
    ) -> None:
        self.folder = folder
        self.repos_dir = folder / "repos"
        self.dataset = Dataset(seed=7)
        self.stack = LocalStack(
            folder, self.dataset, models=models, responder=responder, **github_options
        )
        self.github = self.stack.github
        self.ollama = self.stack.ollama

    def __enter__(self) -> PipelineEnv:
        self.stack.__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.stack.__exit__(exc_type, exc, tb)

    # -- data ------------------------------------------------------------------------------

    def add_repo(self, full_name: str, files: Mapping[str, str] | None = None) -> str:
        """A repository on the GitHub server and, with `files`, its git repository."""
        owner, name = full_name.split("/")
        if self.dataset.account(owner) is None:
            self.dataset.add_account(owner, "Organization")
        self.dataset.add_repository(owner, name)
        if files is not None:
            make_git_repo(self.repos_dir / owner / name, files)
        return full_name

    def add_alert(self, full_name: str, **options: Any) -> str:
        """An alert (Dataset.add_alert options); returns its ref `owner/name#number`."""
        alert = self.dataset.add_alert(full_name, **options)
        return f"{full_name}#{alert['number']}"

    def set_vulnerable_functions(self, ref: str, functions: list[str]) -> None:
        """The advisory names its vulnerable functions (GitHub's `vulnerable_functions`)."""
        repo, number = ref.split("#")
        with self.dataset.lock:
            alert = self.dataset.alert(repo, int(number))
            for vuln in alert["security_advisory"]["vulnerabilities"]:
                vuln["vulnerable_functions"] = list(functions)

    def alert(self, ref: str) -> dict[str, Any]:
        """GitHub's side of an alert, as the server holds it now."""
        repo, number = ref.split("#")
        return self.dataset.alert(repo, int(number))

    async def load_findings(self, engine: AsyncEngine) -> dict[str, FindingRecord]:
        """Every alert of the dataset stored as a sync stores it; records by ref."""
        parsed = [
            parse_alert(alert, repo.full_name)
            for repo in self.dataset.repos()
            for alert in repo.alerts.values()
        ]
        await upsert_findings(engine, parsed)
        return await self.records(engine)

    async def sync(self, engine: AsyncEngine, config: Config, owner: str = "acme") -> None:
        """One real sync of `owner` from this world's GitHub server (through PyGithub and
        the production sync); the test fails unless it went through."""
        outcome = (await run_sync(engine, config, FastApi(self.github)))[owner]
        assert outcome.ok, outcome

    async def records(self, engine: AsyncEngine) -> dict[str, FindingRecord]:
        return await stored(engine)

    # -- config and pipeline ---------------------------------------------------------------

    def config(
        self,
        database_url: str,
        *,
        llm: Mapping[str, Any] | None = None,
        analysis: Mapping[str, Any] | None = None,
        auto_dismiss: Mapping[str, Any] | None = None,
        triage: Mapping[str, Any] | None = None,
        rules: Iterable[Mapping[str, Any]] = (),
        github: Mapping[str, Any] | None = None,
        name: str = "config.toml",
    ) -> Config:
        """A config file for this env (fast retries and writes unless overridden), loaded."""
        owners = sorted({repo.owner.login for repo in self.dataset.repos()})
        rule_tables = [dict(rule) for rule in rules]
        return self.stack.write_config(
            database_url,
            owner_tables(orgs=owners),
            {
                "auto_dismiss": {"enabled": False},
                "analysis": {
                    "backoff_seconds": 0.05,
                    "max_attempts": 2,
                    "dismiss_writes_per_second": 50.0,
                },
            },
            {
                "github": dict(github or {}),
                "llm": dict(llm or {}),
                "auto_dismiss": dict(auto_dismiss or {}),
                "triage": {**(triage or {}), **({"rules": rule_tables} if rule_tables else {})},
                "analysis": dict(analysis or {}),
            },
            clone_url_template=f"{self.repos_dir}/{{repo}}",
            name=name,
        )

    def pipeline(
        self,
        engine: AsyncEngine,
        config: Config,
        *,
        token: str | None = _USE_SERVER_TOKEN,
        slots: int = 4,
        read_only: bool = False,
    ) -> Pipeline:
        """The production runner with every handler; pushes to this env's GitHub."""
        return Pipeline(
            engine,
            config,
            self.github.token if token == _USE_SERVER_TOKEN else token,
            slots=slots,
            read_only=read_only,
        )

    async def analyze(
        self,
        engine: AsyncEngine,
        config: Config,
        record: FindingRecord,
        *,
        triage_only: bool = False,
        full: bool = False,
        token: str | None = _USE_SERVER_TOKEN,
        read_only: bool = False,
    ) -> AnalysisRun:
        """Queue the chain for one finding and run it (push included) until it has ended."""
        cid = f"test-{uuid.uuid4().hex[:10]}"
        analysis_id = await enqueue_analysis(
            engine, config, record, correlation_id=cid, triage_only=triage_only, full=full
        )
        pipeline = self.pipeline(engine, config, token=token, read_only=read_only)
        try:
            summary = await pipeline.runner.run(correlation_id=cid)
        finally:
            pipeline.close()
        return AnalysisRun(analysis_id, cid, summary)


# ------------------------------------------------------------------------------ reading back


async def rows(engine: AsyncEngine, table: Table, **where: Any) -> list[dict[str, Any]]:
    """Rows of `table` whose columns equal `where`, in id order."""
    stmt = select(table)
    for column, value in where.items():
        stmt = stmt.where(table.c[column] == value)
    if "id" in table.c:
        stmt = stmt.order_by(table.c.id)
    async with engine.connect() as conn:
        return [dict(r._mapping) for r in await conn.execute(stmt)]


async def analysis_of(engine: AsyncEngine, run: AnalysisRun) -> dict[str, Any]:
    """The run as the JSON documents the store keeps, read back through its typed view:
    the tests assert the stored shape other tools read, key by key."""
    view = await get_analysis(engine, run.analysis_id)
    return {
        "status": view.status.value,
        "model": view.model,
        "error": view.error,
        "triage": view.triage.to_json() if view.triage else None,
        "evidence": view.evidence,
        "verdict": view.verdict.model_dump(mode="json") if view.verdict else None,
    }


async def transcript_of(engine: AsyncEngine, run: AnalysisRun) -> list[tuple[str, str]]:
    return [(e.role, e.content) for e in await transcript(engine, run.analysis_id)]


async def record_of(engine: AsyncEngine, record: FindingRecord) -> FindingRecord:
    fresh = await get_finding_by_id(engine, record.id)
    assert fresh is not None
    return fresh


def patches(env: PipelineEnv, ref: str | None = None) -> list[Any]:
    """PATCH requests the GitHub server received (for one alert, or all)."""
    if ref is None:
        return env.github.requests_matching("PATCH", r"/dependabot/alerts/\d+$")
    repo, number = ref.split("#")
    return env.github.requests_matching("PATCH", rf"/repos/{repo}/dependabot/alerts/{number}$")
