"""A full run with a distinctive token, then a search for it everywhere it could have landed.

The run, all of it through the real `secagent` in subprocesses (and a headless TUI): a sync
in which one repository's alert list answers an error that echoes the token; an analysis
through all three tiers (triage, the sandbox with its clone and transcript, extraction);
dismissals whose PATCHes answer errors that echo the token (one refusal, one transient
failure that is retried); a forced exception (a database URL carrying the token as its
password, which cannot connect); screenshots of the queue and a finding's view.

Then the token is searched for, raw and base64-encoded (at each of the three alignments a
substring can have), in the database file, every file under the run's HOME (logs, state,
workspaces and their clones, screenshots), and every byte the processes printed.
"""

from __future__ import annotations

import base64
import secrets
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from support.workers import REPO_ROOT, worker_env

from secagent_tui.demo.github import Fault
from secagent_tui.demo.session import DemoSession

from .report import ReportBook

TUI = REPO_ROOT / "tests" / "support" / "run_tui.py"


def needles(token: str) -> dict[str, bytes]:
    """The token raw, and the part of its base64 form that does not depend on what came
    before it (one per alignment of the token in the encoded bytes)."""
    raw = token.encode()
    found = {"raw": raw}
    for offset in range(3):
        encoded = base64.b64encode(b"\0" * offset + raw)
        start = (4 * offset + 2) // 3 + 1
        found[f"base64 (offset {offset})"] = encoded[start:-4]
    return found


def test_the_needles_find_the_token_however_it_is_encoded() -> None:
    token = "ghp_" + "x1y2" * 9
    for prefix in ("", "a", "ab", "x-access-token:"):
        for suffix in ("", "z", "zz"):
            blob = base64.b64encode((prefix + token + suffix).encode())
            assert any(n in blob for n in needles(token).values()), (prefix, suffix)
    assert all(n not in base64.b64encode(b"unrelated text" * 20) for n in needles(token).values())


@pytest.fixture
def session(tmp_path: Path) -> Iterator[DemoSession]:
    folder = tmp_path / "demo"
    folder.mkdir()
    with DemoSession(
        folder, orgs={"acme": 2}, users={}, alerts_per_repo=6, auto_dismiss=False
    ) as demo:
        demo.github.token = "ghp_" + secrets.token_hex(18)  # distinctive, this run's only
        yield demo


def _run(env: dict[str, str], outputs: list[bytes], *args: str) -> subprocess.CompletedProcess:
    proc = subprocess.run(
        [sys.executable, *args], env=env, cwd=REPO_ROOT, capture_output=True, timeout=180
    )
    outputs += [proc.stdout, proc.stderr]
    return proc


def _alert_path(ref: str) -> str:
    repo, number = ref.split("#")
    return rf"^/repos/{repo}/dependabot/alerts/{number}$"


def _files(*roots: Path) -> Iterator[Path]:
    for root in roots:
        if root.is_file():
            yield root
        elif root.exists():
            yield from (p for p in root.rglob("*") if p.is_file() and not p.is_symlink())


def test_a_full_run_leaves_the_token_nowhere(
    session: DemoSession, tmp_path: Path, book: ReportBook
) -> None:
    token = session.token
    home = tmp_path / "run"
    env = worker_env(token, home)
    config = session.write_config(name="config-secrets.toml").source
    assert config is not None
    outputs: list[bytes] = []
    cli = ("-m", "secagent_tui", "--config", str(config))
    open_by_repo: dict[str, list[str]] = {}
    for repo, alert in session.dataset.iter_alerts():
        if alert["state"] == "open":
            open_by_repo.setdefault(repo.full_name, []).append(
                f"{repo.full_name}#{alert['number']}"
            )
    faulted = min(
        (r.full_name for r in session.dataset.repos()), key=lambda r: len(open_by_repo.get(r, []))
    )
    refs = sorted(ref for repo, found in open_by_repo.items() if repo != faulted for ref in found)
    assert len(refs) >= 3, refs
    served = [
        Fault.error(
            500,
            f"upstream rejected token {token}",
            path=rf"^/repos/{faulted}/dependabot/alerts$",
            times=None,
        )
    ]
    session.github.add_fault(served[0])

    _run(env, outputs, *cli, "sync")  # one repository fails with the echoing error
    session.github.clear_faults()
    _run(env, outputs, *cli, "sync")
    analysed = _run(env, outputs, *cli, "analyze", "--full", "--wait", refs[0])
    served += [
        Fault.error(
            422,
            f"Validation failed: token {token} lacks scope",
            method="PATCH",
            path=_alert_path(refs[1]),
        ),
        Fault.error(
            502, f"proxy: Authorization: token {token}", method="PATCH", path=_alert_path(refs[2])
        ),
    ]
    for fault in served[1:]:
        session.github.add_fault(fault)
    _run(env, outputs, *cli, "dismiss", refs[1], refs[2], "--reason", "not_used")
    _run(env, outputs, *cli, "worker", "--once")
    forced = _run(
        {**env, "SECAGENT_DATABASE_URL": f"postgresql+asyncpg://analyst:{token}@127.0.0.1:9/x"},
        outputs,
        *cli,
        "findings",
    )
    tui = _run(env, outputs, str(TUI), str(config), "--seconds", "3", "--screenshot")

    folder = session.folder  # the config puts the database, log and workspaces here
    screenshots = list(folder.rglob("*.svg"))
    places = {
        "database": [folder / "demo.db", folder / "demo.db-wal"],
        "log file": [folder / "secagent.log"],
        "screenshots": screenshots,
        "workspaces and clones": [folder / "workspaces"],
        "everything else the run wrote": [folder, home],
    }
    hits: dict[str, list[str]] = {}
    for place, roots in places.items():
        for path in _files(*roots):
            blob = path.read_bytes()
            for kind, needle in needles(token).items():
                if needle in blob:
                    hits.setdefault(place, []).append(f"{path.name} ({kind})")
    for index, blob in enumerate(outputs):
        for kind, needle in needles(token).items():
            if needle in blob:
                hits.setdefault("captured output", []).append(f"stream {index} ({kind})")

    facts = {
        "echoing errors served": sum(f.hits for f in served),
        "analysis exit": analysed.returncode,
        "forced exception exit": forced.returncode,
        "TUI exit": tui.returncode,
        "screenshots": len(screenshots),
        "files searched": sum(1 for roots in places.values() for _ in _files(*roots)),
        "hits": hits or "none",
    }
    observed = "found nowhere" if not hits else "FOUND"
    book.record(
        "secrets",
        "a distinctive token through a full run",
        "found nowhere",
        observed,
        facts,
        load=(8, 4),
    )
    assert forced.returncode != 0 and tui.returncode == 0, facts
    assert all(f.hits for f in served), facts  # every echoing error was really answered
    assert len(screenshots) >= 2, facts
    assert not hits, facts
