"""Shallow clones of analysed repositories: one directory per repository, reused.

The sandbox agent reads a repository's current code; it needs neither history nor tags,
so a clone is `--depth 1 --single-branch --no-tags`, and the next analysis of the same
repository refreshes that clone (`fetch --depth 1` + `reset --hard` + `clean -ffdx`)
instead of downloading it again.

What is defended against, and how:

- **Running the repository's code.** Nothing from the repository may run, on clone or
  later. Hooks are switched off (`core.hooksPath=/dev/null`, no template directory), as
  are submodules, fsmonitor, credential helpers and the LFS filter process. git reads no
  configuration but ours: no global or system file (`GIT_CONFIG_GLOBAL=/dev/null`,
  `GIT_CONFIG_NOSYSTEM`, HOME an empty folder of ours), so a `.gitattributes` naming a
  filter the user's `~/.gitconfig` defines runs nothing (it did), and no `insteadOf`
  rewrites the URL. Every protocol is refused but the clone URL's own
  (`protocol.allow=never`, `protocol.<scheme>.allow=always`). A repository's `.git/config`
  and hooks are never cloned, so it cannot re-enable any of it.
- **Leaking the token.** It travels as an `http.extraHeader` set through
  `GIT_CONFIG_COUNT`/`_KEY_0`/`_VALUE_0` in git's environment, never in argv (visible to
  every local user in `ps`) nor in the URL (stored in `.git/config`, echoed in errors).
  git's environment is built from scratch, so a `GITHUB_TOKEN` of ours never reaches it;
  error text is scrubbed of the token before it is raised. Plain `http://` gets a token
  only on loopback (the demo servers).
- **Filling the disk.** A size bound, measured on the whole directory (`.git` included:
  it is disk use) while git runs and again when it is done; over it, the clone is deleted.
- **Hanging.** Every git command runs under the deadline of its `prepare`, in its own
  process group, killed as a whole when time is up; prompts are disabled.
- **Deleting what is not ours.** Only directories carrying our marker (in `.git`) and our
  own partial clones are ever removed.
"""

from __future__ import annotations

import base64
import errno
import fcntl
import ipaddress
import os
import re
import shutil
import signal
import subprocess
import tempfile
import time
from collections.abc import Iterator, Sequence
from contextlib import contextmanager, suppress
from pathlib import Path
from urllib.parse import urlsplit

from secagent_tui.domain.errors import SecagentError

from ...logs import get_logger, redact

__all__ = ["Workspace", "WorkspaceError"]

log = get_logger(__name__)

_OWNER = r"[A-Za-z0-9][A-Za-z0-9_-]{0,99}"
_NAME = r"[A-Za-z0-9._-]{1,100}"
_REPO_RE = re.compile(rf"(?P<owner>{_OWNER})/(?P<name>{_NAME})")

MARKER = "secagent-workspace"  # a file in `.git/`: untouchable by `git clean`
_PARTIAL_PREFIX = ".partial-"
_GIT_HOME = ".git-home"  # git's HOME: an empty folder, so no user config is found there
_LOCK_SUFFIX = ".lock"
_POLL_SECONDS = 0.5
_FETCH_ARGS = ("--depth", "1", "--no-tags", "--no-recurse-submodules", "--quiet", "origin", "HEAD")
_MAX_ERROR_CHARS = 1500

# `-c` options on every git command. Each closes a way for the repository, or a config
# the user set for their own work, to run something or to stall.
_SAFE_CONFIG = (
    "protocol.allow=never",  # each network command allows its URL's scheme alone
    "core.hooksPath=/dev/null",
    "init.templateDir=",
    "core.fsmonitor=false",
    "submodule.recurse=false",
    "protocol.ext.allow=never",
    "credential.helper=",
    "filter.lfs.smudge=",
    "filter.lfs.process=",
    "filter.lfs.required=false",
    "advice.detachedHead=false",
)


class WorkspaceError(SecagentError):
    """A clone could not be prepared; the message is safe to show and to store."""


class _GitTimeout(WorkspaceError):
    """The deadline passed: retrying another git step in this `prepare` is pointless."""


def _repo_dir_name(repo: str) -> str:
    """`owner__name`, after checking `repo` is a plain `owner/name`.

    Strict because the name becomes a directory under the workspace root: `..`, `/` or
    a leading `-` must never reach the file system or git's argv.
    """
    match = _REPO_RE.fullmatch(repo) if isinstance(repo, str) else None
    if match is None or set(match.group("name")) == {"."}:
        raise WorkspaceError(f"repository name {repo!r} is not of the form owner/name")
    return f"{match.group('owner')}__{match.group('name')}"


def _is_loopback(host: str | None) -> bool:
    if not host:
        return False
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def _clone_source(template: str, repo: str) -> tuple[str, str]:
    """`(url, kind)` with kind `http`, `file` or `path`, or `WorkspaceError`.

    Only transports that cannot be talked into running a command: no ssh (the user's
    ssh config and agent), no `transport::address` remote helpers, no `ext::`. A local
    path is made absolute so it does not depend on git's working directory, and so the
    stored origin compares equal on the next `prepare`.
    """
    try:
        url = template.format(repo=repo)
    except (KeyError, IndexError, ValueError, AttributeError) as exc:
        raise WorkspaceError(
            f"clone_url_template {redact(template)!r} is invalid ({exc!r}); "
            "use {repo} for owner/name"
        ) from None
    shown = redact(url)
    if not url or url.startswith("-") or any(ch in url for ch in "\x00\r\n"):
        raise WorkspaceError(f"clone URL {shown!r} is not usable")
    if "::" in url:
        raise WorkspaceError(f"clone URL {shown!r}: transport::address URLs are not allowed")
    parts = urlsplit(url)
    scheme = parts.scheme.lower()
    if scheme in ("https", "http"):
        if not parts.hostname:
            raise WorkspaceError(f"clone URL {shown!r} has no host")
        if parts.username or parts.password:
            raise WorkspaceError(
                f"clone URL {shown!r} carries credentials; they are refused because a URL "
                "is stored and echoed — the token is sent as a header instead"
            )
        return url, "http"
    if scheme == "file":
        return url, "file"
    if scheme == "" and (url.startswith(("/", "./", "../", "~")) or ":" not in url):
        return os.path.abspath(os.path.expanduser(url)), "path"
    raise WorkspaceError(
        f"clone URL {shown!r} is not allowed: use https://, http://, file:// or a local path"
    )


def _protocol(url: str) -> str:
    """The one git protocol a command on a `_clone_source` URL needs: its http(s) scheme, or
    `file` for file:// URLs and local paths alike."""
    scheme = urlsplit(url).scheme.lower()
    return scheme if scheme in ("http", "https") else "file"


def _tree_bytes(path: Path) -> int:
    """Apparent size of everything under `path`, symlinks counted as links, not targets.

    Tolerates files vanishing mid-walk, because it also runs while git is writing. A loop
    over a stack, not a recursion (os.walk recursed once per level on the Python this runs
    on, 3.11): a repository 1,100 folders deep raised RecursionError here.
    """
    total = 0
    stack = [str(path)]
    while stack:
        try:
            listing = os.scandir(stack.pop())
        except OSError:
            continue
        with listing:
            for entry in listing:
                with suppress(OSError):
                    total += entry.stat(follow_symlinks=False).st_size
                    if entry.is_dir(follow_symlinks=False):
                        stack.append(entry.path)
    return total


def _mb(size: int) -> str:
    return f"{size / (1024 * 1024):.1f} MB"


def _rmtree(path: Path) -> None:
    """Delete a clone, however deep, never following a symlink out of it.

    Iterative: shutil.rmtree of Python 3.11 recurses once per level (and holds a file
    descriptor per level), so a 1,100-level tree raised RecursionError and left its
    `.partial-*` folder behind for good. Git makes object files and folders read-only; a
    folder is made writable before its entries are removed. Path-based, which is safe here:
    the workspace root is private (0700) and no git runs in a clone while it is removed
    (the repository's lock is held).
    """
    if path.is_symlink() or path.is_file():
        path.unlink()
        return
    if not path.exists():
        return
    stack: list[tuple[str, bool]] = [(str(path), False)]
    while stack:
        folder, emptied = stack.pop()
        if emptied:
            os.rmdir(folder)
            continue
        with suppress(OSError):
            os.chmod(folder, 0o700)
        stack.append((folder, True))
        with os.scandir(folder) as listing:
            entries = list(listing)
        for entry in entries:
            if entry.is_dir(follow_symlinks=False):
                stack.append((entry.path, False))
            else:
                os.unlink(entry.path)


class Workspace:
    """Clones under `base_dir`, one per repository, bounded in size and time.

    Thread- and process-safe per repository: `prepare` and `remove` of one repository are
    serialized by a lock file, so two analyses of one repository do not fetch into the
    same directory at once. Callers that read a clone while another analysis of the same
    repository may refresh it should run those analyses one after the other.
    """

    def __init__(
        self,
        base_dir: Path,
        *,
        max_repo_bytes: int,
        git: str = "git",
        timeout_seconds: float = 300,
    ) -> None:
        self.base_dir = Path(base_dir).expanduser()
        self.max_repo_bytes = max_repo_bytes
        self.git = git
        self.timeout_seconds = timeout_seconds

    # ------------------------------------------------------------------ public API

    def path_for(self, repo: str) -> Path:
        """Where `repo`'s clone lives (whether or not it exists yet)."""
        return self.base_dir / _repo_dir_name(repo)

    def prepare(self, repo: str, clone_url_template: str, token: str | None = None) -> Path:
        """A fresh shallow clone of `repo`'s default branch; its work tree path.

        Reuses and refreshes an earlier clone from the same URL. A failed fetch keeps the
        old clone (the next attempt may succeed) and raises; a clone whose origin changed,
        that cannot be reset, or that grew over the bound through refreshes is cloned again.
        """
        name = _repo_dir_name(repo)
        url, kind = _clone_source(clone_url_template, repo)
        secrets = self._secrets(token)
        self.base_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
        env = self._env(url, kind, token)
        deadline = time.monotonic() + self.timeout_seconds
        target = self.base_dir / name
        with self._lock(name, deadline):
            self._remove_partials(name)
            if target.exists() or target.is_symlink():
                if not self._owned(target):
                    raise WorkspaceError(
                        f"{target} exists but was not created by secagent; remove it or "
                        "set another analysis.workspace_dir"
                    )
                if self._refresh(target, url, env, deadline, secrets):
                    size = _tree_bytes(target)
                    if size <= self.max_repo_bytes:
                        log.info("workspace refreshed", extra={"repo": repo, "bytes": size})
                        return target
                    log.info("workspace over its bound after refresh; cloning again")
                _rmtree(target)
            self._clone(repo, url, kind, target, env, deadline, secrets)
        return target

    def remove(self, repo: str) -> None:
        """Delete `repo`'s clone, if there is one; refuses a directory that is not ours."""
        name = _repo_dir_name(repo)
        target = self.base_dir / name
        if not self.base_dir.is_dir():
            return
        with self._lock(name, time.monotonic() + self.timeout_seconds):
            self._remove_partials(name)
            if not (target.exists() or target.is_symlink()):
                return
            if not self._owned(target):
                raise WorkspaceError(f"{target} was not created by secagent; not removing it")
            _rmtree(target)

    def cleanup(self) -> None:
        """Delete every clone, partial clone, lock file and git HOME this class made under
        `base_dir`.

        Anything else there (a file the user put, a directory without our marker) stays.
        """
        if not self.base_dir.is_dir():
            return
        for child in self.base_dir.iterdir():
            if child.is_symlink():
                continue
            if child.is_dir() and (
                child.name.startswith(_PARTIAL_PREFIX)
                or child.name == _GIT_HOME
                or self._owned(child)
            ):
                _rmtree(child)
            elif (
                child.is_file()
                and child.name.startswith(".")
                and child.name.endswith(_LOCK_SUFFIX)
                and "__" in child.name
            ):
                child.unlink(missing_ok=True)

    # -------------------------------------------------------------- clone, refresh

    def _clone(
        self,
        repo: str,
        url: str,
        kind: str,
        target: Path,
        env: dict[str, str],
        deadline: float,
        secrets: Sequence[str],
    ) -> None:
        """Clone into a partial directory, check it, mark it ours, then rename into place.

        The rename makes a half-done clone (killed, timed out, over the bound) never look
        like a usable workspace; partial directories are swept on the next `prepare`.
        """
        partial = Path(
            tempfile.mkdtemp(prefix=f"{_PARTIAL_PREFIX}{target.name}-", dir=self.base_dir)
        )
        try:
            args = ["clone", "--depth", "1", "--no-tags", "--single-branch"]
            args += ["--no-recurse-submodules", "--quiet"]
            if kind == "path":
                args.append("--no-local")  # else --depth is ignored and objects hard-linked
            self._git(
                [*args, "--", url, str(partial)],
                env,
                deadline,
                secrets,
                watch=partial,
                protocol=_protocol(url),
            )
            size = _tree_bytes(partial)
            if size > self.max_repo_bytes:
                raise WorkspaceError(
                    f"{repo} takes {_mb(size)} ({size} bytes) on disk, over the limit of "
                    f"{_mb(self.max_repo_bytes)} ({self.max_repo_bytes} bytes); clone removed"
                )
            (partial / ".git" / MARKER).write_text(repo + "\n", encoding="utf-8")
            os.rename(partial, target)
            log.info("workspace cloned", extra={"repo": repo, "bytes": size})
        finally:
            if partial.exists():
                _rmtree(partial)

    def _refresh(
        self,
        target: Path,
        url: str,
        env: dict[str, str],
        deadline: float,
        secrets: Sequence[str],
    ) -> bool:
        """Bring a reused clone to the remote's current HEAD; False if it must be re-cloned.

        A fetch failure raises (network trouble says nothing about the clone); a clone
        whose origin differs, or whose reset/clean fails, is reported unusable.
        """
        try:
            origin = self._git(
                ["-C", str(target), "config", "--get", "remote.origin.url"], env, deadline, ()
            ).strip()
        except _GitTimeout:
            raise
        except WorkspaceError:
            return False
        if origin != url:
            log.info("workspace origin changed; cloning again")
            return False
        self._git(
            ["-C", str(target), "fetch", *_FETCH_ARGS],
            env,
            deadline,
            secrets,
            # Old tree plus a new pack: allow twice the bound while fetching; the final
            # check (and a fresh clone if needed) enforces the bound itself.
            watch=target,
            watch_limit=2 * self.max_repo_bytes,
            protocol=_protocol(url),
        )
        try:
            self._git(
                ["-C", str(target), "reset", "--hard", "--quiet", "FETCH_HEAD"], env, deadline, ()
            )
            self._git(["-C", str(target), "clean", "-ffdxq"], env, deadline, ())
        except _GitTimeout:
            raise
        except WorkspaceError:
            return False
        return True

    # ------------------------------------------------------------------ running git

    def _git(
        self,
        args: list[str],
        env: dict[str, str],
        deadline: float,
        secrets: Sequence[str],
        *,
        watch: Path | None = None,
        watch_limit: int | None = None,
        protocol: str | None = None,
    ) -> str:
        """Run git with the safe options; its stdout, or `WorkspaceError` with clean stderr.

        `protocol` is the one transport the command may use (the clone URL's scheme); every
        other is refused, commands that touch no remote get none.

        Polls rather than waiting once, to enforce the size bound while git writes. Its
        own process group, so a timeout also kills `git-remote-https` and `index-pack`.
        """
        verb = args[2] if args[0] == "-C" else args[0]
        limit = self.max_repo_bytes if watch_limit is None else watch_limit
        argv = [self.git]
        for option in _SAFE_CONFIG:
            argv += ["-c", option]
        if protocol:
            argv += ["-c", f"protocol.{protocol}.allow=always"]
        argv += args
        if time.monotonic() >= deadline:
            raise _GitTimeout(f"git {verb} timed out after {self.timeout_seconds:g}s")
        try:
            proc = subprocess.Popen(
                argv,
                env=env,
                cwd=self.base_dir,
                stdin=subprocess.DEVNULL,
                stdout=subprocess.PIPE,
                stderr=subprocess.PIPE,
                start_new_session=True,
            )
        except OSError as exc:
            raise WorkspaceError(f"cannot run git ({self.git}): {exc.strerror or exc}") from None
        try:
            while True:
                remaining = deadline - time.monotonic()
                if remaining <= 0:
                    raise _GitTimeout(f"git {verb} timed out after {self.timeout_seconds:g}s")
                try:
                    out, err = proc.communicate(timeout=min(_POLL_SECONDS, remaining))
                    break
                except subprocess.TimeoutExpired:
                    if watch is not None and (size := _tree_bytes(watch)) > limit:
                        raise WorkspaceError(
                            f"git {verb} stopped: {_mb(size)} on disk, over the limit of "
                            f"{_mb(limit)} ({limit} bytes)"
                        ) from None
        except BaseException:
            self._kill(proc)
            raise
        if proc.returncode != 0:
            message = self._scrub(err.decode("utf-8", "replace"), secrets)
            raise WorkspaceError(f"git {verb} failed (exit {proc.returncode}): {message}")
        return out.decode("utf-8", "replace")

    @staticmethod
    def _kill(proc: subprocess.Popen[bytes]) -> None:
        with suppress(ProcessLookupError, PermissionError):
            os.killpg(proc.pid, signal.SIGKILL)
        proc.communicate()

    @staticmethod
    def _scrub(text: str, secrets: Sequence[str]) -> str:
        """git's stderr, without our secrets (exact forms first), shortened to its tail."""
        for secret in secrets:
            if secret:
                text = text.replace(secret, "***")
        text = redact(text).strip() or "no error output"
        return text[-_MAX_ERROR_CHARS:]

    # ------------------------------------------------------------------ env, tokens

    @staticmethod
    def _header(token: str) -> str:
        basic = base64.b64encode(f"x-access-token:{token}".encode()).decode("ascii")
        return f"Authorization: Basic {basic}"

    def _secrets(self, token: str | None) -> list[str]:
        if not token:
            return []
        header = self._header(token)
        return [header, header.split(" ", 2)[2], token]

    def _env(self, url: str, kind: str, token: str | None) -> dict[str, str]:
        """git's whole environment, built from nothing rather than filtered from ours.

        A deny-list would miss the next `*_TOKEN` variable; an allow-list cannot. Prompts
        are off and askpass answers nothing, so a bad token fails at once instead of
        waiting on a terminal the TUI owns.
        """
        env = {k: os.environ[k] for k in ("PATH", "LANG") if k in os.environ}
        env.setdefault("PATH", os.defpath)
        askpass = shutil.which("true") or "/bin/true"
        home = self.base_dir / _GIT_HOME
        home.mkdir(mode=0o700, exist_ok=True)
        env.update(
            HOME=str(home),
            XDG_CONFIG_HOME=str(home),
            GIT_CONFIG_GLOBAL=os.devnull,
            GIT_CONFIG_NOSYSTEM="1",
            GIT_ATTR_NOSYSTEM="1",
            GIT_TERMINAL_PROMPT="0",
            GIT_ASKPASS=askpass,
            SSH_ASKPASS=askpass,
            GCM_INTERACTIVE="never",
            GIT_LFS_SKIP_SMUDGE="1",
        )
        if token and kind == "http":
            parts = urlsplit(url)
            if parts.scheme.lower() == "http" and not _is_loopback(parts.hostname):
                raise WorkspaceError(
                    f"refusing to send a token over plain http to {parts.hostname}; use https"
                )
            env.update(
                GIT_CONFIG_COUNT="1",
                GIT_CONFIG_KEY_0="http.extraHeader",
                GIT_CONFIG_VALUE_0=self._header(token),
            )
        return env

    # ------------------------------------------------------------- ownership, locks

    @staticmethod
    def _owned(path: Path) -> bool:
        return not path.is_symlink() and (path / ".git" / MARKER).is_file()

    def _remove_partials(self, name: str) -> None:
        """Sweep partial clones of `name` left by a crash; safe because we hold its lock."""
        for child in self.base_dir.glob(f"{_PARTIAL_PREFIX}{name}-*"):
            if child.is_dir() and not child.is_symlink():
                _rmtree(child)

    @contextmanager
    def _lock(self, name: str, deadline: float) -> Iterator[None]:
        """An exclusive `flock` on `.<name>.lock`, waited for until `deadline`."""
        path = self.base_dir / f".{name}{_LOCK_SUFFIX}"
        fd = os.open(path, os.O_RDWR | os.O_CREAT | getattr(os, "O_NOFOLLOW", 0), 0o600)
        try:
            while True:
                try:
                    fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                    break
                except OSError as exc:
                    if exc.errno not in (errno.EAGAIN, errno.EACCES):
                        raise
                    if time.monotonic() >= deadline:
                        raise WorkspaceError(
                            f"timed out waiting for another process preparing {name}"
                        ) from None
                    time.sleep(0.05)
            yield
        finally:
            os.close(fd)
