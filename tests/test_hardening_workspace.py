"""The sandbox's clones run nothing and survive hostile trees (issue 15).

- git runs with an isolated configuration: a `.gitattributes` filter that the user's own
  `~/.gitconfig` defines ran its program during the clone; a `url.insteadOf` there could send
  an https clone to a local path. Neither may happen, and only the clone URL's scheme is
  allowed as a protocol.
- A 1,100-level directory tree made the workspace raise RecursionError and left a
  `.partial-*` folder that could not be removed.

Real git, real repositories in tmp_path, cloned over `file://` and plain paths as
tests/test_workspace.py does; HOME is a folder of the test's own with a hostile `.gitconfig`.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from secagent_tui.pipeline.sandbox.tools import SandboxTools
from secagent_tui.pipeline.sandbox.workspace import Workspace, WorkspaceError

REPO = "acme/web"
DEPTH = 1100


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


def commit(repo: Path, files: dict[str, str], message: str = "change") -> None:
    for name, content in files.items():
        (repo / name).parent.mkdir(parents=True, exist_ok=True)
        (repo / name).write_text(content)
    git(repo, "add", "-A")
    git(repo, "commit", "-qm", message)


@pytest.fixture(autouse=True)
def home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    for name in ("GIT_CONFIG_GLOBAL", "GIT_CONFIG_NOSYSTEM", "XDG_CONFIG_HOME"):
        monkeypatch.delenv(name, raising=False)
    return home


def upstream_repo(tmp_path: Path, files: dict[str, str]) -> Path:
    upstream = tmp_path / "remotes" / "acme" / "web"
    upstream.mkdir(parents=True)
    git(upstream, "init", "-q", "-b", "main")
    commit(upstream, files, "first")
    return upstream


def file_template(tmp_path: Path) -> str:
    return f"file://{tmp_path / 'remotes'}/{{repo}}"


def _filter_config(marker: Path) -> str:
    """A user's filter whose every program leaves `marker` behind."""
    program = f"sh -c 'touch {marker}; cat'"
    return (
        '[filter "evil"]\n'
        f"\tsmudge = {program}\n"
        f"\tclean = {program}\n"
        f"\tprocess = sh -c 'touch {marker}'\n"
        "\trequired = false\n"
    )


def _closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


# --------------------------------------------------------------------------- git config


@pytest.mark.parametrize("where", [".gitconfig", ".config/git/config"])
@pytest.mark.parametrize("template", ["file", "path"])
def test_a_filter_from_the_users_git_config_never_runs_during_a_clone(
    tmp_path: Path, home: Path, where: str, template: str
) -> None:
    marker = tmp_path / "filter-ran"
    upstream_repo(tmp_path, {".gitattributes": "*.txt filter=evil\n", "notes.txt": "hello\n"})
    (home / where).parent.mkdir(parents=True, exist_ok=True)
    (home / where).write_text(_filter_config(marker))
    # The trap is armed: a plain clone under this HOME runs the filter.
    subprocess.run(
        ["git", "clone", "-q", f"file://{tmp_path / 'remotes' / REPO}", str(tmp_path / "plain")],
        env={"PATH": os.environ["PATH"], "HOME": str(home)},
        check=False,  # the `process` program speaks no filter protocol: checkout fails
        capture_output=True,
    )
    assert marker.exists()
    marker.unlink()

    url = file_template(tmp_path) if template == "file" else f"{tmp_path / 'remotes'}/{{repo}}"
    workspace = Workspace(tmp_path / "ws", max_repo_bytes=10**9, timeout_seconds=60)
    path = workspace.prepare(REPO, url)
    workspace.prepare(REPO, url)  # the refresh (fetch, reset --hard) checks files out too

    assert not marker.exists()
    assert (path / "notes.txt").read_text() == "hello\n"


def test_a_url_rewrite_in_the_users_config_cannot_turn_an_https_clone_into_a_local_one(
    tmp_path: Path, home: Path
) -> None:
    """With the user's `insteadOf`, git would clone the local repository instead of failing
    to reach the (closed) https server."""
    upstream_repo(tmp_path, {"README.md": "local\n"})
    base = f"https://127.0.0.1:{_closed_port()}/"
    (home / ".gitconfig").write_text(
        f'[url "file://{tmp_path / "remotes"}/"]\n\tinsteadOf = {base}\n'
    )
    workspace = Workspace(tmp_path / "ws", max_repo_bytes=10**9, timeout_seconds=60)

    with pytest.raises(WorkspaceError, match="git clone failed"):
        workspace.prepare(REPO, base + "{repo}")

    assert not workspace.path_for(REPO).exists()


def _recording_git(tmp_path: Path) -> tuple[Path, Path, Path]:
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


@pytest.mark.parametrize(
    ("template", "scheme"),
    [("file", "file"), ("path", "file"), ("https", "https"), ("http", "http")],
)
def test_git_runs_with_an_isolated_config_and_only_the_clone_urls_protocol(
    tmp_path: Path, home: Path, template: str, scheme: str
) -> None:
    upstream_repo(tmp_path, {"README.md": "x\n"})
    script, argv_log, env_log = _recording_git(tmp_path)
    workspace = Workspace(tmp_path / "ws", max_repo_bytes=10**9, git=str(script))
    url = {
        "file": file_template(tmp_path),
        "path": f"{tmp_path / 'remotes'}/{{repo}}",
        "https": f"https://127.0.0.1:{_closed_port()}/{{repo}}",
        "http": f"http://127.0.0.1:{_closed_port()}/{{repo}}",
    }[template]

    if scheme == "file":
        workspace.prepare(REPO, url)
    else:
        with pytest.raises(WorkspaceError):
            workspace.prepare(REPO, url)

    argv = argv_log.read_text().split("\0")
    options = {argv[i + 1] for i, arg in enumerate(argv[:-1]) if arg == "-c"}
    assert "protocol.allow=never" in options
    allowed = {o for o in options if o.startswith("protocol.") and o.endswith(".allow=always")}
    assert allowed == {f"protocol.{scheme}.allow=always"}
    for option in ("core.hooksPath=/dev/null", "core.fsmonitor=false", "submodule.recurse=false"):
        assert option in options
    env = dict(entry.split("=", 1) for entry in env_log.read_text().split("\0") if "=" in entry)
    assert env["GIT_CONFIG_GLOBAL"] == os.devnull
    assert env["GIT_CONFIG_NOSYSTEM"] == "1"
    assert env["GIT_TERMINAL_PROMPT"] == "0"
    git_home = Path(env["HOME"])
    assert git_home != home and git_home.is_dir() and not any(git_home.iterdir())


# --------------------------------------------------------------------------- deep trees


def _deep_dirs(root: Path, depth: int = DEPTH) -> Path:
    """`root/d/d/.../d` (`depth` levels); returns the deepest folder. Made level by level:
    `Path.mkdir(parents=True)` and `os.makedirs` recurse once per missing level."""
    root.mkdir(parents=True, exist_ok=True)
    folder = str(root)
    for _ in range(depth):
        folder += "/d"
        os.mkdir(folder)
    return Path(folder)


@pytest.fixture(autouse=True)
def deep_trees_removed(tmp_path: Path) -> Iterator[None]:
    """Leaves no deep tree behind: pytest's own clean-up of old temporary folders uses
    shutil.rmtree, which would hit RecursionError on them (at another test run's exit)."""
    yield
    for child in tmp_path.iterdir():
        subprocess.run(["rm", "-rf", "--", str(child)], check=False)


@pytest.fixture
def deep_upstream(tmp_path: Path) -> Path:
    """A repository with a 1,100-level tree: app.py imports yaml at the bottom of it."""
    upstream = tmp_path / "remotes" / "acme" / "web"
    upstream.mkdir(parents=True)
    git(upstream, "init", "-q", "-b", "main")
    (_deep_dirs(upstream) / "app.py").write_text("import yaml\n")
    (upstream / "requirements.txt").write_text("PyYAML==5.3\n")
    git(upstream, "add", "-A")
    git(upstream, "commit", "-qm", "deep")
    return upstream


def test_a_1100_level_tree_is_cloned_measured_and_removed(
    tmp_path: Path, deep_upstream: Path
) -> None:
    workspace = Workspace(tmp_path / "ws", max_repo_bytes=10**9, timeout_seconds=120)

    path = workspace.prepare(REPO, file_template(tmp_path))
    assert path.joinpath(*["d"] * DEPTH, "app.py").read_text() == "import yaml\n"
    path = workspace.prepare(REPO, file_template(tmp_path))  # refresh measures it again
    workspace.remove(REPO)

    assert not path.exists()
    assert not list(workspace.base_dir.glob(".partial-*"))


def test_the_sandbox_search_finds_a_file_at_the_bottom_of_a_1100_level_tree(
    tmp_path: Path,
) -> None:
    """The model's `search` tool walked with os.walk, which recursed once per level on
    Python 3.11: the call ended in a RecursionError tool error instead of the usage."""
    repo = tmp_path / "repo"
    (_deep_dirs(repo) / "app.py").write_text("import yaml\n")
    (repo / "top.py").write_text("import yaml  # at the top\n")

    answer = SandboxTools(repo).search(r"import yaml")

    deep = "/".join(["d"] * DEPTH) + "/app.py"
    assert f"{deep}:1: import yaml" in answer
    # The order stays the walk's: the top folder's files before its subfolders'.
    assert answer.index("top.py:1:") < answer.index(deep)


def test_a_1100_level_tree_over_the_size_bound_leaves_no_partial_folder(
    tmp_path: Path, deep_upstream: Path
) -> None:
    workspace = Workspace(tmp_path / "ws", max_repo_bytes=10, timeout_seconds=120)

    with pytest.raises(WorkspaceError, match="over the limit"):
        workspace.prepare(REPO, file_template(tmp_path))

    assert not list(workspace.base_dir.glob(".partial-*"))
    assert not workspace.path_for(REPO).exists()


def test_a_deep_stale_partial_clone_with_read_only_folders_is_swept(
    tmp_path: Path, deep_upstream: Path
) -> None:
    workspace = Workspace(tmp_path / "ws", max_repo_bytes=10**9, timeout_seconds=120)
    stale = tmp_path / "ws" / ".partial-acme__web-crashed"
    deepest = _deep_dirs(stale)
    (deepest / "object").write_text("x")
    for level in range(0, DEPTH, 100):  # git leaves objects and folders read-only
        stale.joinpath(*["d"] * (level + 1)).chmod(0o500)

    workspace.prepare(REPO, file_template(tmp_path))

    assert not stale.exists()
    workspace.cleanup()
    assert list(workspace.base_dir.iterdir()) == []


def test_the_evidence_pass_reads_a_1100_level_tree(tmp_path: Path, deep_upstream: Path) -> None:
    from secagent_tui.pipeline.sandbox.evidence import Usage, collect_evidence

    workspace = Workspace(tmp_path / "ws", max_repo_bytes=10**9, timeout_seconds=120)
    path = workspace.prepare(REPO, file_template(tmp_path))

    evidence = collect_evidence(path, "pip", "PyYAML", manifest_path="requirements.txt")

    assert evidence.usage is Usage.USED
