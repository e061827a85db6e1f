"""Issue 15, output: nothing a library or a payload writes reaches the terminal raw.

PyGithub installs its own stderr handler on the `github` logger, so its retry lines ("Request
GET … failed with 403", "Retrying after 3 seconds") bypassed the redacting log file and, under
the TUI, drew over the screen.
"""

from __future__ import annotations

import asyncio
import csv
import io
import json
import logging
import re
from collections.abc import Iterator
from pathlib import Path

import pytest
import urllib3
from support.cli import CliSandbox, root_logging_restored
from support.github_env import running

from secagent_tui.demo.github import Dataset, Fault, generate_dataset
from secagent_tui.domain.filters import FindingFilter
from secagent_tui.domain.text import printable
from secagent_tui.github.parser import parse_alert
from secagent_tui.logs import setup_logging
from secagent_tui.store import jobs as job_store
from secagent_tui.store.db import create_engine
from secagent_tui.store.findings import list_findings
from secagent_tui.store.jobs import JobKind

TOKEN = "ghp_" + "StderrCanary" * 3


def test_pygithub_retry_lines_go_to_the_log_file_and_never_to_stderr(tmp_path: Path) -> None:
    sandbox = CliSandbox(tmp_path)
    dataset = generate_dataset({"acme": 1}, {}, 2, seed=5)
    with running(dataset, token=TOKEN) as server:
        # GitHub's secondary limit once, then the answer: PyGithub waits a second and retries.
        server.add_fault(Fault.secondary_rate_limit(1, path=r"/dependabot/alerts$"))
        config = sandbox.config_with_db(
            f'[github]\napi_url = "{server.base_url}"\n[[owners]]\nkind = "org"\nname = "acme"\n'
        )
        done = sandbox.run("--config", str(config), "sync", env={"GITHUB_TOKEN": TOKEN})

    assert done.returncode == 0, done.stderr
    assert done.stderr == ""
    assert len(server.requests_matching("GET", r"/dependabot/alerts$")) >= 2  # it retried
    text = sandbox.log_file.read_text(encoding="utf-8")
    lines = [json.loads(line) for line in text.splitlines()]
    retries = [line["msg"] for line in lines if line["logger"].startswith("github")]
    assert any("failed with 403" in msg for msg in retries), retries
    assert TOKEN not in text + done.stdout


def test_a_console_handler_a_library_adds_after_setup_is_refused(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    log_file = tmp_path / "secagent.log"
    urllib3_logger = logging.getLogger("urllib3")
    level = urllib3_logger.level
    with root_logging_restored():
        setup_logging(log_file, "INFO")
        try:
            # urllib3's own helper, which a library may call at any time.
            urllib3.add_stderr_logger(logging.WARNING)
            urllib3_logger.warning("Retrying (Total=2) after connection broken")
        finally:
            urllib3_logger.setLevel(level)
    assert not [h for h in urllib3_logger.handlers if type(h) is logging.StreamHandler]
    assert capfd.readouterr() == ("", "")
    assert "connection broken" in log_file.read_text(encoding="utf-8")


# --------------------------------------------------------- control characters in payloads

# A terminal title change (OSC 0 … BEL), a cursor-up-and-erase (CSI), a newline, a C1 CSI,
# and a right-to-left override: each taken from what a package registry would accept.
HOSTILE = "evil\x1b]0;owned\x07pkg\x1b[1A\x1b[2K\nnext\x9b31m\u202egpj.exe"
SHOWN = "evil\\x1b]0;owned\\x07pkg\\x1b[1A\\x1b[2K\\nnext\\x9b31m\\u202egpj.exe"
# Anything a terminal would act on or a line would break at.
RAW_CONTROL = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]"
)


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (HOSTILE, SHOWN),
        ("tab\there\r\n", "tab\\there\\r\\n"),
        ("\x00\x7f\x85", "\\x00\\x7f\\x85"),
        ("\u2066isolate\u2069 \u200fmark\u061c", "\\u2066isolate\\u2069 \\u200fmark\\u061c"),
        ("line\u2028sep\u2029", "line\\u2028sep\\u2029"),
        ("lone \ud800 surrogate", "lone \\ud800 surrogate"),
    ],
)
def test_printable_shows_control_bidi_and_separator_characters_as_escapes(
    text: str, shown: str
) -> None:
    assert printable(text) == shown
    assert RAW_CONTROL.search(printable(text)) is None
    assert "\n" not in printable(text)


@pytest.mark.parametrize(
    "text", ["", "lodash", "@babel/core", "café ñandú 日本語 🙂", "C:\\path", "a  b"]
)
def test_printable_leaves_ordinary_text_as_it_is(text: str) -> None:
    assert printable(text) is text


@pytest.fixture
def hostile_sandbox(tmp_path: Path) -> Iterator[tuple[CliSandbox, Path]]:
    """A CLI user whose database holds one finding, parsed from GitHub's payload as a sync
    would, whose package name and summary carry HOSTILE."""
    dataset = Dataset(seed=7)
    dataset.add_account("acme", "Organization")
    dataset.add_repository("acme", "web")
    alert = dataset.add_alert("acme/web", ecosystem="npm", package=HOSTILE)
    alert["security_advisory"]["summary"] = HOSTILE
    sandbox = CliSandbox(tmp_path)
    sandbox.seed([parse_alert(alert, "acme/web")])
    with root_logging_restored():
        yield sandbox, sandbox.config_with_db()


def test_findings_table_shows_a_hostile_package_name_escaped_on_one_line(
    hostile_sandbox: tuple[CliSandbox, Path],
) -> None:
    sandbox, config = hostile_sandbox
    result = sandbox.invoke("--config", str(config), "findings", "--format", "table")

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 3  # header, the one finding, the footer
    assert f"npm:{SHOWN}" in lines[1]
    assert RAW_CONTROL.search(result.output) is None


def test_findings_json_and_csv_keep_the_hostile_name_exact(
    hostile_sandbox: tuple[CliSandbox, Path],
) -> None:
    sandbox, config = hostile_sandbox
    as_json = sandbox.invoke("--config", str(config), "findings", "--format", "json")
    as_csv = sandbox.invoke("--config", str(config), "findings", "--format", "csv")

    [doc] = json.loads(as_json.output)
    assert (doc["package"], doc["summary"]) == (HOSTILE, HOSTILE)
    assert RAW_CONTROL.search(as_json.output) is None  # JSON escapes them itself
    [row] = list(csv.DictReader(io.StringIO(as_csv.output)))
    assert (row["package"], row["summary"]) == (HOSTILE, HOSTILE)


def test_jobs_listing_shows_a_hostile_error_and_ref_escaped_on_one_line(
    hostile_sandbox: tuple[CliSandbox, Path],
) -> None:
    sandbox, config = hostile_sandbox

    async def fail_one_job() -> None:
        engine = create_engine(sandbox.db_url)
        try:
            [record] = await list_findings(engine, FindingFilter())
            job_id = await job_store.enqueue(
                engine, JobKind.TRIAGE, owner="acme", correlation_id="c", finding_id=record.id
            )
            await job_store.claim(engine, "w", lease_seconds=60, max_concurrent_per_owner=3)
            await job_store.fail(
                engine, job_id, "w", f"model said {HOSTILE}", backoff_seconds=0, permanent=True
            )
        finally:
            await engine.dispose()

    asyncio.run(fail_one_job())
    result = sandbox.invoke("--config", str(config), "jobs")

    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert len(lines) == 2  # header and the one job
    assert "model said evil\\x1b]0;owned\\x07pkg" in lines[1]
    assert RAW_CONTROL.search(result.output) is None


def test_sync_summary_shows_a_hostile_github_error_escaped_on_one_line(tmp_path: Path) -> None:
    sandbox = CliSandbox(tmp_path)
    dataset = generate_dataset({"acme": 1}, {}, 1, seed=5)
    with running(dataset, token=TOKEN) as server:
        server.add_fault(Fault.error(403, HOSTILE, path=r"/dependabot/alerts$", times=None))
        config = sandbox.config_with_db(
            f'[github]\napi_url = "{server.base_url}"\n[[owners]]\nkind = "org"\nname = "acme"\n'
        )
        done = sandbox.run("--config", str(config), "sync", env={"GITHUB_TOKEN": TOKEN})

    assert done.returncode == 1, done.stderr
    [owner_line, repo_line] = done.stdout.splitlines()
    assert owner_line.startswith("org acme: FAILED")
    assert repo_line.endswith(f"GitHub answered 403: {SHOWN}")
    assert RAW_CONTROL.search(done.stdout + done.stderr) is None
