"""Hostile and malformed input to the real `secagent` (a subprocess, as a user runs it):
configs, refs, reasons, comments, filters, URLs, database URLs. Every case must end with
one clear line on stderr (for a usage error, click's usage line and `--help` hint and then
one `Error:` line), a non-zero exit, no traceback, and nothing changed — the
database file's content hash is compared before and after.

Each case runs in its own sandbox (tests/support/cli.py: its own HOME, XDG folders and
keyring) on a copy of one seeded database; the cases run several processes at a time.
"""

from __future__ import annotations

import hashlib
import shutil
from collections.abc import Mapping
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from support.cli import CliSandbox

from secagent_tui.demo.github import generate_dataset
from secagent_tui.github.parser import parse_alert

from .report import ReportBook

REF = "{ref}"  # replaced by a real finding's ref of the seeded database


@dataclass(frozen=True)
class Hostile:
    args: tuple[str, ...]
    config: str = ""
    """TOML added after the sandbox's `[database]` table."""
    env: Mapping[str, str] = field(default_factory=dict)
    raw_config: bytes | None = None
    """When given, the whole config file (bytes), instead of `[database]` + `config`."""


NESTED = "x = " + "[" * 5000 + "]" * 5000 + "\n"
LONG_COMMENT = "a" * 281

CASES: dict[str, Hostile] = {
    # configs
    "config: unknown key": Hostile(("config", "check", "--offline"), "[github]\nbogus = 1\n"),
    "config: wrong type": Hostile(("config", "check", "--offline"), '[sync]\nconcurrency = "8"\n'),
    "config: owner name '..'": Hostile(
        ("config", "check", "--offline"), '[[owners]]\nkind = "org"\nname = ".."\n'
    ),
    "config: owner name with a query string": Hostile(
        ("config", "check", "--offline"),
        '[[owners]]\nkind = "org"\nname = "acme?per_page=1&x="\n',
    ),
    "config: owner name with a space": Hostile(
        ("config", "check", "--offline"), '[[owners]]\nkind = "org"\nname = "ac me"\n'
    ),
    "config: owner name with a right-to-left override": Hostile(
        ("config", "check", "--offline"), '[[owners]]\nkind = "org"\nname = "acme\\u202e"\n'
    ),
    "config: repository '..'": Hostile(
        ("config", "check", "--offline"),
        '[[owners]]\nkind = "org"\nname = "acme"\nrepos = [".."]\n',
    ),
    "config: repository with a slash": Hostile(
        ("config", "check", "--offline"),
        '[[owners]]\nkind = "org"\nname = "acme"\nrepos = ["web/../../x"]\n',
    ),
    "config: repository with shell metacharacters": Hostile(
        ("config", "check", "--offline"),
        '[[owners]]\nkind = "org"\nname = "acme"\nrepos = ["web;rm -rf ~"]\n',
    ),
    "config: 5,000-deep nested array": Hostile(("config", "check", "--offline"), NESTED),
    "config: not UTF-8": Hostile(("findings",), raw_config=b'[github]\napi_url = "\xff\xfe"\n'),
    "config: not TOML": Hostile(("findings",), raw_config=b"this is = = not toml [[\n"),
    "config: credentials in clone_url_template": Hostile(
        ("config", "check", "--offline"),
        '[github]\nclone_url_template = "https://user:hunter2@github.com/{repo}.git"\n',
    ),
    "config: max_concurrent_per_owner = 10**20": Hostile(
        ("config", "check", "--offline"),
        "[analysis]\nmax_concurrent_per_owner = 99999999999999999999\n",
    ),
    "config: agent_max_seconds = inf": Hostile(
        ("config", "check", "--offline"), "[analysis]\nagent_max_seconds = inf\n"
    ),
    "config: dismiss_writes_per_second = 1e-320": Hostile(
        ("config", "check", "--offline"), "[analysis]\ndismiss_writes_per_second = 1e-320\n"
    ),
    "config: sync.concurrency = -1": Hostile(
        ("config", "check", "--offline"), "[sync]\nconcurrency = -1\n"
    ),
    "config: lease_seconds = nan": Hostile(
        ("config", "check", "--offline"), "[analysis]\nlease_seconds = nan\n"
    ),
    # database URLs
    "database URL: a directory": Hostile(
        ("findings",), env={"SECAGENT_DATABASE_URL": "sqlite+aiosqlite:///{root}"}
    ),
    "database URL: under /proc": Hostile(
        ("findings",), env={"SECAGENT_DATABASE_URL": "sqlite+aiosqlite:////proc/self/x.db"}
    ),
    "database URL: unknown driver": Hostile(
        ("findings",), env={"SECAGENT_DATABASE_URL": "mysql://root@localhost/x"}
    ),
    # refs
    "ref: '..' in the repository": Hostile(("dismiss", "acme/../x#1", "--reason", "not_used")),
    "ref: negative number": Hostile(("dismiss", "acme/web#-1", "--reason", "not_used")),
    "ref: number past 64 bits": Hostile(
        ("dismiss", "acme/web#99999999999999999999", "--reason", "not_used")
    ),
    "ref: number past the store's 32 bits": Hostile(
        ("dismiss", "acme/web#2147483648", "--reason", "not_used")
    ),
    "ref: shell metacharacters": Hostile(
        ("dismiss", "acme/web;rm -rf ~#1", "--reason", "not_used")
    ),
    "ref: terminal escape": Hostile(
        ("dismiss", "acme/web#1\x1b]0;pwn\x07", "--reason", "not_used")
    ),
    "ref: a path": Hostile(("dismiss", "../../etc/passwd", "--reason", "not_used")),
    "ref: unicode lookalike": Hostile(("dismiss", "аcme/web#1", "--reason", "not_used")),
    "ref: unknown finding": Hostile(("dismiss", "acme/nope#1", "--reason", "not_used")),
    # reasons and comments
    "reason: not one of GitHub's five": Hostile(("dismiss", REF, "--reason", "because")),
    "comment: 281 characters": Hostile(
        ("dismiss", REF, "--reason", "not_used", "--comment", LONG_COMMENT)
    ),
    "reopen: with a reason": Hostile(("reopen", REF, "--reason", "not_used")),
    # URLs and filters
    "heartbeat URL: file://": Hostile(("sync", "--heartbeat-url", "file:///etc/passwd")),
    "heartbeat URL: no host": Hostile(("sync", "--heartbeat-url", "http://")),
    "findings: unknown state": Hostile(("findings", "--state", "bogus")),
    "findings: unknown format": Hostile(("findings", "--format", "xml")),
    "jobs: cancel a non-number": Hostile(("jobs", "cancel", "abc")),
    "jobs: cancel a number past 64 bits": Hostile(("jobs", "cancel", "99999999999999999999999")),
    "jobs: cancel a number past the store's 32 bits": Hostile(("jobs", "cancel", "2147483648")),
}


@dataclass(frozen=True)
class Run:
    returncode: int
    stderr: str
    stdout: str
    changed: bool


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def _one(root: Path, template: Path, ref: str, case: Hostile) -> Run:
    sandbox = CliSandbox(root)
    sandbox.db_path.parent.mkdir(parents=True, exist_ok=True)
    shutil.copyfile(template, sandbox.db_path)
    if case.raw_config is not None:
        config = root / "config.toml"
        config.write_bytes(case.raw_config)
    else:
        config = sandbox.config_with_db(case.config)
    before = _digest(sandbox.db_path)
    args = [a.replace(REF, ref) for a in case.args]
    env = {k: v.replace("{root}", str(root)) for k, v in case.env.items()}
    proc = sandbox.run("--config", str(config), *args, env=env, timeout=120)
    return Run(proc.returncode, proc.stderr, proc.stdout, _digest(sandbox.db_path) != before)


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Run]:
    root = tmp_path_factory.mktemp("bad-input")
    seeder = CliSandbox(root / "seed")
    dataset = generate_dataset(seed=5, orgs={"acme": 2}, users={}, alerts_per_repo=4)
    findings = [parse_alert(alert, repo.full_name) for repo, alert in dataset.iter_alerts()]
    seeder.seed(findings)
    open_refs = sorted(f.ref for f in findings if f.state == "open")
    with ThreadPoolExecutor(max_workers=4) as pool:
        futures = {
            name: pool.submit(_one, root / f"case{i}", seeder.db_path, open_refs[0], case)
            for i, (name, case) in enumerate(CASES.items())
        }
        return {name: future.result() for name, future in futures.items()}


def _error_lines(stderr: str) -> list[str]:
    """The lines that say what was wrong: the whole of stderr, or for a usage error, click's
    one `Error:` line (after its usage line and `--help` hint, which say how to ask)."""
    lines = stderr.splitlines()
    if lines and lines[0].startswith("Usage: secagent"):
        return [line for line in lines if line.startswith("Error:")]
    return lines


def _observed(run: Run) -> str:
    lines = _error_lines(run.stderr)
    problems = []
    if run.returncode == 0:
        problems.append("exit 0")
    if len(lines) != 1:
        problems.append(f"{len(lines)} lines on stderr")
    if "Traceback" in run.stderr + run.stdout:
        problems.append("a traceback")
    if "internal error" in run.stderr:
        problems.append("an internal error instead of what was wrong")  # found: jobs cancel 2**70
    if run.changed:
        problems.append("the database changed")
    return "refused: one line, nothing changed" if not problems else ", ".join(problems)


@pytest.mark.parametrize("name", list(CASES))
def test_hostile_input_gets_one_line_and_changes_nothing(
    name: str, runs: dict[str, Run], book: ReportBook
) -> None:
    run = runs[name]
    observed = _observed(run)
    first = (_error_lines(run.stderr) or [""])[0]
    details = {"exit": run.returncode, "stderr": first[:140].encode("unicode_escape").decode()}
    book.record("bad-input", name, "refused: one line, nothing changed", observed, details)
    assert observed == "refused: one line, nothing changed", run.stderr[-2000:]
