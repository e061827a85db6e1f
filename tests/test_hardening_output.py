"""Issue 15, output: nothing a library or a payload writes reaches the terminal raw.

PyGithub installs its own stderr handler on the `github` logger, so its retry lines ("Request
GET … failed with 403", "Retrying after 3 seconds") bypassed the redacting log file and, under
the TUI, drew over the screen.
"""

from __future__ import annotations

import json
import logging
from pathlib import Path

import pytest
import urllib3
from support.cli import CliSandbox, root_logging_restored
from support.github_env import running

from secagent_tui.demo.github import Fault, generate_dataset
from secagent_tui.logs import setup_logging

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
