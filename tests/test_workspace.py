"""Shallow clones with real git: reuse, size bound, refused URLs, no hooks, no leaked token.

Upstream repositories are real repositories in tmp_path, cloned over `file://` or a plain
path. HOME points at an empty folder (or one with a hostile `.gitconfig`) so the
developer's own git config cannot change the outcome.
"""

from __future__ import annotations

import base64
import os
import shutil
import socket
import stat
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from secagent_tui.pipeline.sandbox.workspace import MARKER, Workspace, WorkspaceError

REPO = "acme/web"
TOKEN = "s3cr3t-Token-Value-42"


def _git_env() -> dict[str, str]:
    return {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}


def git(cwd: Path, *args: str) -> str:
    done = subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", *args],
        cwd=cwd,
        env=_git_env(),
        check=True,
        capture_output=True,
        text=True,
    )
    return done.stdout.strip()


def commit(repo: Path, files: dict[str, str], message: str = "change") -> str:
    for name, content in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(content)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", message)
    return git(repo, "rev-parse", "HEAD")


@pytest.fixture(autouse=True)
def clean_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for name in ("GIT_CONFIG_GLOBAL", "GIT_CONFIG_NOSYSTEM", "XDG_CONFIG_HOME"):
        monkeypatch.delenv(name, raising=False)
    return home


@pytest.fixture
def remotes(tmp_path: Path) -> Path:
    """`remotes/acme/web`: an upstream repository with two commits (so depth is visible)."""
    upstream = tmp_path / "remotes" / "acme" / "web"
    upstream.mkdir(parents=True)
    git(upstream, "init", "-q", "-b", "main")
    commit(upstream, {"README.md": "v1\n"}, "first")
    commit(upstream, {"app.py": "import yaml\n"}, "second")
    return tmp_path / "remotes"


@pytest.fixture
def workspace(tmp_path: Path) -> Workspace:
    return Workspace(tmp_path / "ws", max_repo_bytes=50 * 1024 * 1024, timeout_seconds=60)


def file_template(remotes: Path) -> str:
    return f"file://{remotes}/{{repo}}"


def partials(base: Path) -> list[Path]:
    return list(base.glob(".partial-*")) if base.exists() else []


# ------------------------------------------------------------------------- cloning


def test_clone_from_file_url_is_shallow(workspace: Workspace, remotes: Path) -> None:
    path = workspace.prepare(REPO, file_template(remotes))
    assert path == workspace.base_dir / "acme__web"
    assert (path / "app.py").read_text() == "import yaml\n"
    assert git(path, "rev-list", "--count", "HEAD") == "1"
    assert git(path, "rev-parse", "HEAD") == git(remotes / REPO, "rev-parse", "HEAD")
    assert (path / ".git" / MARKER).is_file()
    assert git(path, "tag") == ""
    assert partials(workspace.base_dir) == []


def test_clone_from_plain_path_is_shallow(workspace: Workspace, remotes: Path) -> None:
    path = workspace.prepare(REPO, f"{remotes}/{{repo}}")
    assert (path / "README.md").read_text() == "v1\n"
    # --no-local: a plain path would otherwise ignore --depth and hard-link objects.
    assert git(path, "rev-list", "--count", "HEAD") == "1"


def test_second_prepare_reuses_and_refreshes(workspace: Workspace, remotes: Path) -> None:
    template = file_template(remotes)
    path = workspace.prepare(REPO, template)
    sentinel = path / ".git" / "sentinel"
    sentinel.write_text("same clone")
    (path / "app.py").write_text("tampered\n")
    (path / "untracked.txt").write_text("left behind\n")
    (path / "build").mkdir()
    (path / "build" / "out.o").write_text("ignored or not, it goes\n")

    new_head = commit(remotes / REPO, {"app.py": "import yaml\nyaml.load(x)\n"}, "third")
    again = workspace.prepare(REPO, template)

    assert again == path
    assert sentinel.read_text() == "same clone"  # reused, not cloned again
    assert git(path, "rev-parse", "HEAD") == new_head
    assert (path / "app.py").read_text() == "import yaml\nyaml.load(x)\n"
    assert not (path / "untracked.txt").exists()
    assert not (path / "build").exists()


def test_changed_origin_clones_again(workspace: Workspace, remotes: Path) -> None:
    path = workspace.prepare(REPO, file_template(remotes))
    (path / ".git" / "sentinel").write_text("old")
    again = workspace.prepare(REPO, f"{remotes}/{{repo}}")
    assert again == path
    assert not (path / ".git" / "sentinel").exists()
    assert (path / "app.py").exists()


def test_failed_fetch_keeps_the_clone(workspace: Workspace, remotes: Path) -> None:
    path = workspace.prepare(REPO, file_template(remotes))
    (remotes / REPO).rename(remotes / "acme" / "gone")
    with pytest.raises(WorkspaceError, match="git fetch failed"):
        workspace.prepare(REPO, file_template(remotes))
    assert (path / "app.py").exists()


# ----------------------------------------------------------------------- size bound


def test_size_bound_removes_the_clone(tmp_path: Path, remotes: Path) -> None:
    commit(remotes / REPO, {"blob.txt": os.urandom(20_000).hex()}, "big")
    workspace = Workspace(tmp_path / "ws", max_repo_bytes=10_000)
    with pytest.raises(WorkspaceError, match=r"over the limit of .*\(10000 bytes\)") as caught:
        workspace.prepare(REPO, file_template(remotes))
    assert "acme/web" in str(caught.value)
    assert not workspace.path_for(REPO).exists()
    assert partials(workspace.base_dir) == []


def test_size_bound_after_refresh_clones_fresh(tmp_path: Path, remotes: Path) -> None:
    """History piling up through refreshes does not fail a repository that fits fresh."""
    workspace = Workspace(tmp_path / "ws", max_repo_bytes=10 * 1024 * 1024)
    path = workspace.prepare(REPO, file_template(remotes))
    (path / ".git" / "padding").write_bytes(b"\0" * (11 * 1024 * 1024))
    commit(remotes / REPO, {"next.txt": "x\n"}, "next")
    again = workspace.prepare(REPO, file_template(remotes))
    assert again == path
    assert not (path / ".git" / "padding").exists()
    assert (path / "next.txt").exists()


# ------------------------------------------------------------------------ refusals


@pytest.mark.parametrize(
    "template",
    [
        "ssh://github.com/{repo}.git",
        "git@github.com:{repo}.git",
        "git://github.com/{repo}.git",
        "ext::sh -c touch% /tmp/pwned-{repo}",
        "fd::17/{repo}",
        "ftp://example.com/{repo}",
        "https://user:pw@github.com/{repo}.git",
        "https:///{repo}",
        "-uhttps://github.com/{repo}",
        "https://github.com/{owner}/{repo}",
        "https://github.com/{0}",
        "",
    ],
)
def test_bad_templates_are_refused(workspace: Workspace, template: str) -> None:
    with pytest.raises(WorkspaceError) as caught:
        workspace.prepare(REPO, template)
    assert "pw@" not in str(caught.value)
    assert not workspace.path_for(REPO).exists()


@pytest.mark.parametrize("repo", ["acme", "acme/web/x", "../etc", "acme/..", "-x/web", "a/b c", ""])
def test_bad_repo_names_are_refused(workspace: Workspace, remotes: Path, repo: str) -> None:
    with pytest.raises(WorkspaceError, match="owner/name"):
        workspace.prepare(repo, file_template(remotes))


def test_foreign_directory_is_never_replaced(workspace: Workspace, remotes: Path) -> None:
    foreign = workspace.base_dir / "acme__web"
    foreign.mkdir(parents=True)
    (foreign / "notes.txt").write_text("mine")
    with pytest.raises(WorkspaceError, match="not created by secagent"):
        workspace.prepare(REPO, file_template(remotes))
    with pytest.raises(WorkspaceError, match="not created by secagent"):
        workspace.remove(REPO)
    assert (foreign / "notes.txt").read_text() == "mine"


def test_git_not_found(tmp_path: Path, remotes: Path) -> None:
    workspace = Workspace(tmp_path / "ws", max_repo_bytes=10**9, git=str(tmp_path / "no-git"))
    with pytest.raises(WorkspaceError, match="cannot run git"):
        workspace.prepare(REPO, file_template(remotes))


def test_timeout_kills_git(tmp_path: Path, remotes: Path) -> None:
    pid_file = tmp_path / "child.pid"
    slow = tmp_path / "slow-git"
    # A grandchild in the background, as git-remote-https would be: the group must die.
    slow.write_text(f"#!/bin/sh\nsleep 30 &\necho $! > '{pid_file}'\nwait\n")
    slow.chmod(0o755)
    workspace = Workspace(tmp_path / "ws", max_repo_bytes=10**9, git=str(slow), timeout_seconds=0.5)
    with pytest.raises(WorkspaceError, match="timed out"):
        workspace.prepare(REPO, file_template(remotes))
    assert partials(workspace.base_dir) == []
    grandchild = int(pid_file.read_text())
    for _ in range(50):  # killed at once; reaped by init shortly after
        try:
            os.kill(grandchild, 0)
        except ProcessLookupError:
            break
        if (
            Path(f"/proc/{grandchild}/stat").exists()
            and " Z " in Path(f"/proc/{grandchild}/stat").read_text()
        ):
            break
        time.sleep(0.02)
    else:
        pytest.fail("the grandchild of git outlived the timeout")


def test_concurrent_prepares_of_one_repository(workspace: Workspace, remotes: Path) -> None:
    with ThreadPoolExecutor(max_workers=4) as pool:
        paths = list(pool.map(lambda _: workspace.prepare(REPO, file_template(remotes)), range(4)))
    assert set(paths) == {workspace.path_for(REPO)}
    assert (paths[0] / "app.py").exists()
    assert partials(workspace.base_dir) == []


# ------------------------------------------------------------------- no code is run


def _hook(path: Path, marker: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(f"#!/bin/sh\necho ran >> {marker}\n")
    path.chmod(path.stat().st_mode | stat.S_IXUSR | stat.S_IXGRP | stat.S_IXOTH)


def test_no_hooks_run(tmp_path: Path, remotes: Path, clean_home: Path) -> None:
    marker = tmp_path / "hook-ran"
    upstream = remotes / REPO
    # In the source repository: its own hooks, and a hooksPath in its config.
    _hook(upstream / ".git" / "hooks" / "post-checkout", marker)
    _hook(tmp_path / "src-hooks" / "post-checkout", marker)
    git(upstream, "config", "core.hooksPath", str(tmp_path / "src-hooks"))
    # In the user's global config: a hooks path and a template directory with hooks.
    _hook(tmp_path / "user-hooks" / "post-checkout", marker)
    _hook(tmp_path / "template" / "hooks" / "post-checkout", marker)
    (clean_home / ".gitconfig").write_text(
        f"[core]\n\thooksPath = {tmp_path / 'user-hooks'}\n"
        f"[init]\n\ttemplateDir = {tmp_path / 'template'}\n"
    )
    # The trap is armed: a plain clone under this HOME does run a hook.
    subprocess.run(
        ["git", "clone", "-q", f"file://{upstream}", str(tmp_path / "plain")],
        env={"PATH": os.environ["PATH"], "HOME": str(clean_home)},
        check=True,
        capture_output=True,
    )
    assert marker.exists()
    marker.unlink()

    workspace = Workspace(tmp_path / "ws", max_repo_bytes=10**9)
    path = workspace.prepare(REPO, file_template(remotes))
    commit(upstream, {"more.txt": "x\n"})
    workspace.prepare(REPO, file_template(remotes))  # fetch + reset: post-checkout again

    assert not marker.exists()
    assert not (path / ".git" / "hooks" / "post-checkout").exists()


# ------------------------------------------------------------------------- the token


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _recording_git(tmp_path: Path) -> tuple[Path, Path, Path]:
    """A `git` that records its argv and environment (NUL-separated), then runs git."""
    argv_log, env_log = tmp_path / "argv.log", tmp_path / "env.log"
    script = tmp_path / "git-recorder"
    real_git = shutil.which("git")
    assert real_git
    script.write_text(
        "#!/bin/sh\n"
        f"printf '%s\\0' \"$@\" >> '{argv_log}'\n"
        f"env -0 >> '{env_log}'\n"
        f"exec '{real_git}' \"$@\"\n"
    )
    script.chmod(0o755)
    return script, argv_log, env_log


def test_token_travels_only_in_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_TOKEN", "ghp_ambientTokenMustNotLeak")
    monkeypatch.setenv("SOME_SECRET", "ambient-secret")
    script, argv_log, env_log = _recording_git(tmp_path)
    workspace = Workspace(tmp_path / "ws", max_repo_bytes=10**9, git=str(script))
    template = f"http://127.0.0.1:{_closed_port()}/{{repo}}.git"

    with pytest.raises(WorkspaceError) as caught:
        workspace.prepare(REPO, template, token=TOKEN)

    encoded = base64.b64encode(f"x-access-token:{TOKEN}".encode()).decode()
    message = str(caught.value)
    assert "git clone failed" in message
    assert TOKEN not in message and encoded not in message

    argv = argv_log.read_text().split("\0")
    assert "clone" in argv
    assert f"http://127.0.0.1:{template.split(':')[2].split('/')[0]}/acme/web.git" in argv
    assert not any(TOKEN in arg or encoded in arg for arg in argv)

    env = dict(entry.split("=", 1) for entry in env_log.read_text().split("\0") if "=" in entry)
    assert env["GIT_CONFIG_COUNT"] == "1"
    assert env["GIT_CONFIG_KEY_0"] == "http.extraHeader"
    assert env["GIT_CONFIG_VALUE_0"] == f"Authorization: Basic {encoded}"
    assert env["GIT_TERMINAL_PROMPT"] == "0"
    assert "GITHUB_TOKEN" not in env and "SOME_SECRET" not in env
    # The raw token appears nowhere at all, only its base64 form in that one variable.
    assert not any(TOKEN in value for value in env.values())
    assert [k for k, v in env.items() if encoded in v] == ["GIT_CONFIG_VALUE_0"]
    assert not workspace.path_for(REPO).exists()


def test_no_token_means_no_header(tmp_path: Path, remotes: Path) -> None:
    script, _argv_log, env_log = _recording_git(tmp_path)
    workspace = Workspace(tmp_path / "ws", max_repo_bytes=10**9, git=str(script))
    workspace.prepare(REPO, file_template(remotes), token=TOKEN)  # file://: no header sent
    env_text = env_log.read_text()
    assert "GIT_CONFIG_VALUE_0" not in env_text
    assert TOKEN not in env_text


def test_token_over_plain_http_to_a_remote_host_is_refused(tmp_path: Path) -> None:
    script, argv_log, _env_log = _recording_git(tmp_path)
    workspace = Workspace(tmp_path / "ws", max_repo_bytes=10**9, git=str(script))
    with pytest.raises(WorkspaceError, match="plain http") as caught:
        workspace.prepare(REPO, "http://git.example.com/{repo}.git", token=TOKEN)
    assert TOKEN not in str(caught.value)
    assert not argv_log.exists()  # git never ran


# ------------------------------------------------------------------ remove, cleanup


def test_remove_and_cleanup_touch_only_our_directories(
    tmp_path: Path, workspace: Workspace, remotes: Path
) -> None:
    other = remotes / "acme" / "api"
    other.mkdir()
    git(other, "init", "-q", "-b", "main")
    commit(other, {"x.txt": "x\n"})

    web = workspace.prepare(REPO, file_template(remotes))
    api = workspace.prepare("acme/api", file_template(remotes))
    foreign = workspace.base_dir / "someone-else"
    foreign.mkdir()
    (workspace.base_dir / "README").write_text("keep me")
    stale = workspace.base_dir / ".partial-acme__gone-abc123"
    (stale / "x").mkdir(parents=True)

    workspace.remove(REPO)
    assert not web.exists() and api.exists()
    workspace.remove(REPO)  # nothing to remove: fine
    workspace.remove("acme/never-cloned")

    workspace.cleanup()
    assert not api.exists()
    assert not stale.exists()
    assert foreign.is_dir()
    assert (workspace.base_dir / "README").read_text() == "keep me"
    assert sorted(p.name for p in workspace.base_dir.iterdir()) == ["README", "someone-else"]


def test_stale_partial_clone_is_swept(workspace: Workspace, remotes: Path) -> None:
    stale = workspace.base_dir / ".partial-acme__web-deadbeef"
    (stale / ".git").mkdir(parents=True)
    workspace.prepare(REPO, file_template(remotes))
    assert not stale.exists()
