"""The agent's read-only tools: list, read and search inside one workspace root.

The model driving these tools reads text planted by whoever wrote the repository and the
advisory, so its tool calls are untrusted input. Everything here follows from that:

- Paths are confined to the clone by `resolve_inside`, which refuses absolute paths, `..`,
  NUL bytes and `.git`, and then checks the *real* path (symlinks followed), because a
  repository may contain `passwd -> /etc/passwd` or `up -> ../..`; git checks those out
  as real symlinks.
- Nothing is executed and nothing is written: files are opened read-only with
  `O_NOFOLLOW | O_NONBLOCK`, so a symlink swapped in after the check, or a FIFO, cannot make
  a read follow it elsewhere or hang.
- Every answer is bounded (bytes per read, entries per listing, matches, bytes and seconds
  per search) so a reply fits the model's context and one call cannot stall the agent.
- Search patterns are matched by RE2, in time linear in the line, never by a backtracking
  engine: a model steered into `(a+)+$` over a planted line of `a`s would otherwise hold
  the GIL for minutes, past any deadline. What RE2 cannot do (backreferences, lookaround)
  is refused with a reason, never handed to `re`.
- `call` turns any bad call (unknown tool, unknown or mistyped argument, refused path,
  I/O error) into `ToolResult(ok=False, ...)`: a model mistake is feedback for its next
  step, never an exception that kills the analysis.
"""

from __future__ import annotations

import fnmatch
import os
import re
import stat
import time
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import re2  # type: ignore[import-untyped]

from secagent_tui.domain.errors import SecagentError

from ...logs import get_logger
from .safe_open import NotARegularFile, open_regular

__all__ = [
    "MAX_SEARCH_FILE_BYTES",
    "PathRefused",
    "SandboxTools",
    "ToolError",
    "ToolResult",
    "resolve_inside",
    "tool_schemas",
]

log = get_logger(__name__)

# Files larger than this are not searched: they are generated or vendored bundles far more
# often than hand-written code, and one of them would eat the whole search budget.
MAX_SEARCH_FILE_BYTES = 2 * 1024 * 1024
# A line longer than this is cut, in output and in matching: minified bundles have
# megabyte lines that would flood the context and feed a slow regex.
MAX_LINE_CHARS = 2000
# Shown per search hit; the agent can read_file around the line for more.
MAX_HIT_CHARS = 240
MAX_PATTERN_CHARS = 500
MAX_PATH_CHARS = 4096
# Binary sniffing the way git and grep do it: a NUL byte near the start.
SNIFF_BYTES = 8192


class PathRefused(SecagentError):
    """A path the agent may not touch; the message says why, and is shown to the model."""


class ToolError(SecagentError):
    """A tool call that cannot be answered (not found, binary, bad regex, bad argument)."""


@dataclass(frozen=True, slots=True)
class ToolResult:
    """What goes back to the model as the tool message; `ok` is for the caller's records."""

    ok: bool
    text: str


# ----------------------------------------------------------------------------- paths


def _is_git_dir(part: str) -> bool:
    # Case-insensitive: on a case-insensitive file system `.GIT/config` is `.git/config`.
    return part.lower() == ".git"


def resolve_inside(root: Path, path: str) -> Path:
    """The real path of `path` under `root`, or `PathRefused`.

    Checked twice: the text first (absolute, `..`, NUL, `.git`), so obvious escapes get a
    clear reason; then the real path after following every symlink, because the text
    check alone cannot see `link -> /etc`. `.git` is refused because it holds the remote
    URL and config, never code the analysis needs. The path need not exist: callers
    report "not found" themselves.
    """
    if not isinstance(path, str):
        raise PathRefused("a path must be a string")
    if "\x00" in path:
        raise PathRefused("the path contains a NUL byte")
    if len(path) > MAX_PATH_CHARS:
        raise PathRefused(f"the path is longer than {MAX_PATH_CHARS} characters")
    if os.path.isabs(path) or path.startswith("\\"):
        raise PathRefused(
            f"{path!r} is absolute; use a path relative to the repository root, e.g. 'src'"
        )
    parts = [p for p in path.split("/") if p not in ("", ".")]
    if ".." in parts:
        raise PathRefused(f"{path!r} contains '..'; paths must stay inside the repository")
    if any(_is_git_dir(p) for p in parts):
        raise PathRefused(f"{path!r} is inside .git, which is off limits")

    real_root = os.path.realpath(root)
    target = os.path.realpath(os.path.join(real_root, *parts))
    if os.path.commonpath([real_root, target]) != real_root:
        raise PathRefused(f"{path!r} leads outside the repository (through a symlink)")
    relative = os.path.relpath(target, real_root)
    if relative != "." and any(_is_git_dir(p) for p in relative.split(os.sep)):
        raise PathRefused(f"{path!r} leads into .git (through a symlink), which is off limits")
    return Path(target)


# ------------------------------------------------------------------------ regex engine

# RE2 matches in time linear in the line, whatever the pattern: there is no backtracking
# for a model-chosen `a*a*a*b` or `(a+)+$` to explode, so the per-line deadline checks in
# `search` are effective. Python's `re` could not be bounded that way: it holds the GIL
# inside one match, so no deadline or thread can interrupt it (a 2,000-character line
# froze a worker past its lease). `log_errors` is off because RE2 otherwise writes every
# rejected pattern to stderr, which is the terminal the TUI draws on.
_RE2_OPTIONS = re2.Options()
_RE2_OPTIONS.log_errors = False

# What RE2 lacks, in the words the model needs to rewrite its pattern.
_RE2_LACKS = (
    "backreferences (\\1, (?P=name)), lookahead and lookbehind ((?=...), (?!...), (?<=...), "
    "(?<!...)), conditionals (?(1)...), atomic groups (?>...), possessive quantifiers (a++), "
    "\\Z (use $ or \\z), \\u escapes (use \\x{...}), (?x) and (?#...)"
)


def _unsupported_constructs(pattern: str) -> list[str] | None:
    """Constructs of `pattern` that RE2 lacks, named for the model; None if not a regex.

    Called only after RE2 refused `pattern`, to turn RE2's terse reason ("invalid perl
    operator: (?=") into what the model wrote and how to do without it. Python's own
    parser does the naming because the model writes Python syntax; it only parses, never
    matches, so it cannot hang. If that private API moves, the answer is an empty list and
    the caller gives the general list of what RE2 lacks instead.
    """
    try:
        from re import _constants as c  # type: ignore[attr-defined]
        from re import _parser as p  # type: ignore[attr-defined]
    except ImportError:
        return []
    try:
        parsed = p.parse(pattern)
    except re.error:
        return None
    except Exception:  # RecursionError on deep nesting, or the private API changed
        return []

    found = dict.fromkeys(_unsupported_flags(parsed.state.flags))  # ordered, no repeats
    try:
        _find_unsupported(parsed, p, c, found)
    except Exception:  # the private API changed shape
        return []
    return list(found)


def _unsupported_flags(flags: int) -> list[str]:
    """The inline flags of a parsed pattern that RE2 lacks."""
    named = []
    if flags & re.VERBOSE:
        named.append("verbose mode (?x)")
    if flags & (re.ASCII | re.LOCALE):
        named.append("the (?a) and (?L) flags")
    return named


def _unsupported_op(op: Any, av: Any, c: Any) -> str | None:
    """The name of one parsed operation (`op` with argument `av`) if RE2 lacks it."""
    if op in (c.ASSERT, c.ASSERT_NOT):
        return "lookahead (?=...) (?!...)" if av[0] == 1 else "lookbehind (?<=...) (?<!...)"
    if op == c.AT and av == c.AT_END_STRING:
        return "\\Z (use $ or \\z)"
    names = {
        c.GROUPREF: "backreferences",
        c.GROUPREF_EXISTS: "conditionals (?(1)...)",
        c.ATOMIC_GROUP: "atomic groups (?>...)",
        c.POSSESSIVE_REPEAT: "possessive quantifiers (a++)",
    }
    return names.get(op)


def _find_unsupported(value: Any, p: Any, c: Any, found: dict[str, None]) -> None:
    """Adds to `found` every construct RE2 lacks in a parsed (sub)pattern, nested ones too."""
    if isinstance(value, p.SubPattern):
        for op, av in value:
            name = _unsupported_op(op, av, c)
            if name:
                found[name] = None
            _find_unsupported(av, p, c, found)
    elif isinstance(value, list | tuple):
        for item in value:
            _find_unsupported(item, p, c, found)


def _compile(pattern: str) -> Any:
    """`pattern` compiled by RE2, or a `ToolError` that tells the model what to change.

    Never falls back to `re`: the constructs RE2 refuses (backreferences, lookaround) are
    the ones that need a backtracking engine, and a backtracking engine on untrusted
    patterns is what froze workers. The model gets a reason it can act on instead.
    """
    try:
        regex = re2.compile(pattern, _RE2_OPTIONS)
    except UnicodeEncodeError:
        raise ToolError(
            f"invalid regular expression {pattern!r}: it is not valid Unicode"
        ) from None
    except re2.error as exc:
        raw = exc.args[0] if exc.args else ""
        reason = raw.decode("utf-8", "replace") if isinstance(raw, bytes) else str(raw)
    else:
        # `re2.compile` keeps the last 128 patterns, each with a DFA cache of up to
        # `max_mem` (8 MiB): up to 1 GiB held for patterns the model will not reuse. The
        # caller's reference keeps this one alive for its search; then it is freed.
        re2.purge()
        return regex
    constructs = _unsupported_constructs(pattern)
    if constructs is None:
        raise ToolError(f"invalid regular expression {pattern!r}: {reason}")
    if constructs:
        raise ToolError(
            f"pattern refused: {', '.join(constructs)}: not supported, because search uses "
            "RE2, which matches in linear time and so cannot backtrack. Rewrite without "
            "it, e.g. search for the plain part and read_file around the hits"
        )
    raise ToolError(
        f"pattern refused: RE2 cannot compile it ({reason}). RE2 lacks {_RE2_LACKS}; "
        "repetition counts above 1000 are refused too"
    )


# ----------------------------------------------------------------------------- globs


def _expand_braces(pattern: str) -> list[str]:
    """`*.{js,ts}` → `*.js`, `*.ts`: models write shell globs, and fnmatch has no braces."""
    match = re.search(r"\{([^{}]*,[^{}]*)\}", pattern)
    if not match:
        return [pattern]
    head, tail = pattern[: match.start()], pattern[match.end() :]
    out: list[str] = []
    for option in match.group(1).split(","):
        out.extend(_expand_braces(head + option + tail))
        if len(out) > 64:
            break
    return out[:64]


def _glob_matcher(glob: str) -> Callable[[str], bool]:
    """A predicate on repository-relative paths.

    A glob with a `/` matches the whole relative path (`src/**/*.py`, where `*` also
    crosses `/`, and a leading `**/` may match nothing); without one it matches the file
    name, as in `grep --include`.
    """
    patterns = _expand_braces(glob)

    def matches(relative: str) -> bool:
        name = relative.rsplit("/", 1)[-1]
        for pat in patterns:
            if "/" in pat:
                if fnmatch.fnmatchcase(relative, pat):
                    return True
                if pat.startswith("**/") and fnmatch.fnmatchcase(relative, pat[3:]):
                    return True
            elif fnmatch.fnmatchcase(name, pat):
                return True
        return False

    return matches


# ----------------------------------------------------------------------------- tools


def _int_arg(name: str, value: Any) -> int:
    """JSON integers only; `true` is not 1 and "10" is not 10 (the model is told why)."""
    if isinstance(value, bool):
        raise ToolError(f"argument {name!r} must be an integer, not a boolean")
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    raise ToolError(f"argument {name!r} must be an integer, got {type(value).__name__}")


def _str_arg(name: str, value: Any) -> str:
    if not isinstance(value, str):
        raise ToolError(f"argument {name!r} must be a string, got {type(value).__name__}")
    return value


# name -> {argument: (converter, required)}; the single source for validation.
_ARGUMENTS: dict[str, dict[str, tuple[Callable[[str, Any], Any], bool]]] = {
    "list_directory": {"path": (_str_arg, False)},
    "read_file": {
        "path": (_str_arg, True),
        "start_line": (_int_arg, False),
        "end_line": (_int_arg, False),
    },
    "search": {
        "pattern": (_str_arg, True),
        "path": (_str_arg, False),
        "glob": (_str_arg, False),
    },
}


def tool_schemas() -> list[dict[str, Any]]:
    """Tool definitions for `ollama.AsyncClient.chat(tools=...)`.

    Plain dicts in the shape of `ollama.Tool`, so this module needs no ollama import and
    the same list can be stored with a transcript. The descriptions are the model's only
    manual: they say what each tool returns and how to narrow a call.
    """

    def tool(name: str, description: str, properties: dict[str, Any], required: list[str]):
        return {
            "type": "function",
            "function": {
                "name": name,
                "description": description,
                "parameters": {"type": "object", "properties": properties, "required": required},
            },
        }

    path_doc = "Path relative to the repository root ('.' is the root)."
    return [
        tool(
            "list_directory",
            "List a directory of the repository: names sorted, '/' after directories, "
            "'@' after symlinks, sizes of files in bytes.",
            {"path": {"type": "string", "description": path_doc + " Default '.'."}},
            [],
        ),
        tool(
            "read_file",
            "Read a text file of the repository as numbered lines 'N: text'. Long files "
            "are cut; ask for a line range with start_line and end_line.",
            {
                "path": {"type": "string", "description": path_doc},
                "start_line": {"type": "integer", "description": "First line (1-based)."},
                "end_line": {"type": "integer", "description": "Last line, inclusive."},
            },
            ["path"],
        ),
        tool(
            "search",
            "Search text files of the repository for a regular expression (RE2 syntax: "
            "like Python's, without backreferences or lookaround), line by line. Returns "
            "'path:line: text' for each match, up to a limit.",
            {
                "pattern": {
                    "type": "string",
                    "description": "Regular expression, e.g. 'yaml\\.load\\('; (?i) for "
                    "case-insensitive.",
                },
                "path": {
                    "type": "string",
                    "description": "Directory or file to search in. Default '.'.",
                },
                "glob": {
                    "type": "string",
                    "description": "Only files whose name matches, e.g. '*.py' or '*.{js,ts}'.",
                },
            },
            ["pattern"],
        ),
    ]


def _read_capped_line(handle: Any) -> tuple[bytes, bool]:
    """One line of at most MAX_LINE_CHARS bytes (b"" at the end of the file) and whether it
    was cut; the rest of an overlong line is skipped without holding it in memory."""
    raw = handle.readline(MAX_LINE_CHARS + 1)
    cut = len(raw) > MAX_LINE_CHARS and not raw.endswith(b"\n")
    if cut:
        while chunk := handle.readline(65536):
            if chunk.endswith(b"\n"):
                break
    return raw, cut


@dataclass
class _SearchTally:
    """What one search found and skipped so far, and why it stopped (None: it has not)."""

    deadline: float
    hits: list[str] = field(default_factory=list)
    searched: int = 0
    too_big: int = 0
    binary: int = 0
    bytes_read: int = 0
    stop: str | None = None


class SandboxTools:
    """The three read-only tools over one clone, with their bounds and a byte count.

    One instance per analysis: `bytes_returned` and `calls` are that analysis's totals, for
    the caller's budget (stop the agent when they exceed it).
    """

    def __init__(
        self,
        root: Path,
        *,
        max_read_bytes: int = 64_000,
        max_listing: int = 500,
        max_matches: int = 100,
        max_search_bytes: int = 20_000_000,
        max_search_seconds: float = 10.0,
    ) -> None:
        real = Path(os.path.realpath(root))
        if not real.is_dir():
            raise NotADirectoryError(f"workspace root {root} is not a directory")
        self.root = real
        self.max_read_bytes = max_read_bytes
        self.max_listing = max_listing
        self.max_matches = max_matches
        self.max_search_bytes = max_search_bytes
        self.max_search_seconds = max_search_seconds
        self.bytes_returned = 0
        self.calls = 0

    # -- helpers

    def _resolve(self, path: str) -> Path:
        return resolve_inside(self.root, path)

    def _relative(self, real: Path | str) -> str:
        rel = os.path.relpath(real, self.root)
        return "." if rel == "." else rel.replace(os.sep, "/")

    def tool_schemas(self) -> list[dict[str, Any]]:
        """Same as the module function; here so a caller holding the tools needs nothing else."""
        return tool_schemas()

    # -- list_directory

    def list_directory(self, path: str = ".") -> str:
        """Entries of a directory, one a line, sorted by name and capped at `max_listing`."""
        real = self._resolve(path)
        if not real.exists():
            raise ToolError(f"{path!r} does not exist")
        if not real.is_dir():
            raise ToolError(f"{path!r} is a file; use read_file")
        with os.scandir(real) as it:
            entries = sorted((e for e in it if not _is_git_dir(e.name)), key=lambda e: e.name)
        lines = [f"{self._relative(real)}/ ({len(entries)} entries)"]
        for entry in entries[: self.max_listing]:
            lines.append(self._describe(entry))
        if len(entries) > self.max_listing:
            hidden = len(entries) - self.max_listing
            lines.append(f"[... {hidden} more entries not shown (listing capped)]")
        return "\n".join(lines)

    def _describe(self, entry: os.DirEntry[str]) -> str:
        try:
            if entry.is_symlink():
                target = os.readlink(entry.path)
                try:
                    resolve_inside(self.root, self._relative(entry.path))
                    where = ""
                except PathRefused:
                    where = " (outside the repository: off limits)"
                return f"{entry.name}@ -> {target}{where}"
            if entry.is_dir(follow_symlinks=False):
                return f"{entry.name}/"
            info = entry.stat(follow_symlinks=False)
            if stat.S_ISREG(info.st_mode):
                return f"{entry.name}  {info.st_size} bytes"
            return f"{entry.name}  (special file)"
        except OSError as exc:
            return f"{entry.name}  (unreadable: {exc.strerror})"

    # -- read_file

    def _open_regular(self, real: Path, shown: str) -> int:
        """A read-only fd on a regular file; `O_NOFOLLOW` catches a symlink swapped in."""
        try:
            return open_regular(real)
        except NotARegularFile:
            raise ToolError(f"{shown!r} is not a regular file") from None

    def read_file(self, path: str, start_line: int = 1, end_line: int | None = None) -> str:
        """Numbered lines `N: text` from `start_line` to `end_line`, capped at `max_read_bytes`.

        The cap ends with the `start_line` to continue from, so the model can page through
        a long file instead of guessing.
        """
        if start_line < 1:
            raise ToolError("start_line must be 1 or more")
        if end_line is not None and end_line < start_line:
            raise ToolError("end_line must not be before start_line")
        real = self._resolve(path)
        if not real.exists():
            raise ToolError(f"{path!r} does not exist")
        if real.is_dir():
            raise ToolError(f"{path!r} is a directory; use list_directory")
        shown = self._relative(real)
        with os.fdopen(self._open_regular(real, path), "rb") as handle:
            if b"\x00" in handle.read(SNIFF_BYTES):
                raise ToolError(f"{shown} is a binary file; not shown")
            handle.seek(0)
            return self._numbered(handle, shown, start_line, end_line)

    def _numbered(self, handle: Any, shown: str, start: int, end: int | None) -> str:
        out, lineno, capped, at_eof = self._numbered_lines(handle, start, end)
        if lineno == 0:
            return f"{shown} (empty file)"
        if not out:
            return f"{shown} has only {lineno} lines; nothing from line {start}"
        first = start
        last = first + len(out) - 1
        header = f"{shown} lines {first}-{last}" + (" (end of file)" if at_eof else "")
        body = "\n".join(out)
        if capped:
            body += (
                f"\n[output capped at {self.max_read_bytes} bytes; "
                f"continue with start_line={last + 1}]"
            )
        return f"{header}\n{body}"

    def _numbered_lines(
        self, handle: Any, start: int, end: int | None
    ) -> tuple[list[str], int, bool, bool]:
        """(`N: text` entries from `start` to `end`, lines read, whether the byte cap cut
        them short, whether the file ended)."""
        out: list[str] = []
        used = 0
        lineno = 0
        while True:
            raw, cut = _read_capped_line(handle)
            if not raw:
                return out, lineno, False, True
            lineno += 1
            if lineno < start:
                continue
            if end is not None and lineno > end:
                return out, lineno, False, False
            text = raw.decode("utf-8", "replace").rstrip("\r\n")
            if cut:
                text = text[:MAX_LINE_CHARS] + " [... line cut]"
            entry = f"{lineno}: {text}"
            size = len(entry.encode("utf-8")) + 1
            if out and used + size > self.max_read_bytes:
                return out, lineno, True, False
            out.append(entry)
            used += size

    # -- search

    def search(self, pattern: str, path: str = ".", glob: str | None = None) -> str:
        """Regex matches, `path:line: text`, over text files under `path`.

        Symlinks are never followed while walking (a linked directory would be searched
        twice, or outside the clone); the linked-to files inside the clone are searched at
        their own place. Bounded by matches, bytes read and seconds, each noted in the
        answer, so the model knows a silence may be incomplete. The time bound is checked
        before every file and every line; RE2 makes one line's match linear, so the bound
        holds to within one line, and running out of time is an answer (what was found so
        far, and a note), not an error, so the agent carries on.
        """
        if len(pattern) > MAX_PATTERN_CHARS:
            raise ToolError(f"the pattern is longer than {MAX_PATTERN_CHARS} characters")
        regex = _compile(pattern)
        if glob is not None and len(glob) > MAX_PATTERN_CHARS:
            raise ToolError(f"the glob is longer than {MAX_PATTERN_CHARS} characters")
        wanted = _glob_matcher(glob) if glob else None
        top = self._resolve(path)
        if not top.exists():
            raise ToolError(f"{path!r} does not exist")

        tally = _SearchTally(deadline=time.monotonic() + self.max_search_seconds)
        for real in self._walk_files(top):
            # Before the glob filter: a huge tree the glob excludes must not outrun the bound.
            if time.monotonic() > tally.deadline:
                tally.stop = self._out_of_time()
                break
            relative = self._relative(real)
            if wanted is not None and not wanted(relative):
                continue
            text = self._search_text(real, relative, tally)
            if text is not None:
                self._search_lines(text, relative, regex, tally)
            if tally.stop:
                break
        return self._search_answer(pattern, glob, self._relative(top), tally)

    def _out_of_time(self) -> str:
        return f"time limit of {self.max_search_seconds:g}s reached"

    def _search_text(self, real: str, relative: str, tally: _SearchTally) -> str | None:
        """The text of one file to search; None when it is skipped (too big, binary,
        unreadable) or the byte budget is spent (then `tally.stop` says so)."""
        try:
            size = os.lstat(real).st_size
            if size > MAX_SEARCH_FILE_BYTES:
                tally.too_big += 1
                return None
            if tally.bytes_read + size > self.max_search_bytes:
                tally.stop = f"byte budget of {self.max_search_bytes} reached"
                return None
            with os.fdopen(self._open_regular(real, relative), "rb") as handle:
                data = handle.read(MAX_SEARCH_FILE_BYTES + 1)
        except (OSError, ToolError):
            return None
        tally.bytes_read += len(data)
        if b"\x00" in data[:SNIFF_BYTES]:
            tally.binary += 1
            return None
        tally.searched += 1
        text = data.decode("utf-8", "replace")
        return text[:-1] if text.endswith("\n") else text

    def _search_lines(self, text: str, relative: str, regex: Any, tally: _SearchTally) -> None:
        """Adds the matching lines of one file; the time bound is checked before each line."""
        for lineno, line in enumerate(text.split("\n"), 1):
            if time.monotonic() > tally.deadline:
                tally.stop = self._out_of_time()
                return
            line = line.rstrip("\r")[:MAX_LINE_CHARS]
            if regex.search(line):
                tally.hits.append(f"{relative}:{lineno}: {line.strip()[:MAX_HIT_CHARS]}")
                if len(tally.hits) >= self.max_matches:
                    tally.stop = f"match limit of {self.max_matches} reached"
                    return

    @staticmethod
    def _search_answer(pattern: str, glob: str | None, where: str, tally: _SearchTally) -> str:
        """The header (matches, files searched, files skipped), the hits, and why it stopped."""
        skipped = []
        if tally.too_big:
            skipped.append(
                f"{tally.too_big} over {MAX_SEARCH_FILE_BYTES // (1024 * 1024)} MB skipped"
            )
        if tally.binary:
            skipped.append(f"{tally.binary} binary skipped")
        extra = "; " + "; ".join(skipped) if skipped else ""
        header = (
            f"{len(tally.hits)} matches for /{pattern}/ in {where}"
            f"{' (glob ' + glob + ')' if glob else ''} ({tally.searched} files searched{extra})"
        )
        lines = [header, *tally.hits]
        if tally.stop:
            lines.append(f"[stopped early: {tally.stop}; narrow the pattern, path or glob]")
        return "\n".join(lines)

    def _walk_files(self, top: Path) -> Iterator[str]:
        """Regular files under `top` in a stable order (a folder's files, then its
        subfolders by name), without following any symlink or entering `.git`.

        A loop over a stack, not os.walk, which recursed once per level on Python 3.11: a
        repository 1,100 folders deep made the model's search end in RecursionError."""
        if not top.is_dir():
            yield str(top)
            return
        stack = [str(top)]
        while stack:
            try:
                with os.scandir(stack.pop()) as listing:
                    entries = sorted(listing, key=lambda e: e.name)
            except OSError:
                continue  # unreadable or vanished: skipped, as os.walk did
            folders = []
            for entry in entries:
                if entry.is_symlink():
                    continue
                if entry.is_dir(follow_symlinks=False):
                    if not _is_git_dir(entry.name):
                        folders.append(entry.path)
                elif entry.is_file(follow_symlinks=False):
                    yield entry.path
            stack.extend(reversed(folders))

    # -- dispatch

    def call(self, name: str, arguments: Mapping[str, Any] | None) -> ToolResult:
        """Run one tool call from the model; never raises.

        Arguments are checked against the same table the schemas describe, so the model
        learns from the answer what it got wrong. `None` for an optional argument means
        its default, because models often send `"glob": null`.
        """
        self.calls += 1
        result = self._dispatch(name, arguments)
        self.bytes_returned += len(result.text.encode("utf-8"))
        return result

    def _dispatch(self, name: Any, arguments: Any) -> ToolResult:
        spec = _ARGUMENTS.get(name) if isinstance(name, str) else None
        if spec is None:
            known = ", ".join(_ARGUMENTS)
            return ToolResult(False, f"error: unknown tool {name!r}; available: {known}")
        if arguments is None:
            arguments = {}
        if not isinstance(arguments, Mapping):
            return ToolResult(False, f"error: arguments of {name} must be a JSON object")
        try:
            kwargs: dict[str, Any] = {}
            for key, value in arguments.items():
                if key not in spec:
                    allowed = ", ".join(spec)
                    raise ToolError(f"unknown argument {key!r} for {name}; allowed: {allowed}")
                convert, required = spec[key]
                if value is None and not required:
                    continue
                kwargs[key] = convert(key, value)
            missing = [k for k, (_, required) in spec.items() if required and k not in kwargs]
            if missing:
                raise ToolError(f"{name} needs argument(s): {', '.join(missing)}")
            method = getattr(self, name)
            return ToolResult(True, method(**kwargs))
        except PathRefused as exc:
            return ToolResult(False, f"refused: {exc}")
        except ToolError as exc:
            return ToolResult(False, f"error: {exc}")
        except OSError as exc:
            reason = exc.strerror or type(exc).__name__
            return ToolResult(False, f"error: {name} failed: {reason}")
        except Exception as exc:  # untrusted input must never crash the analysis
            log.warning("sandbox tool %s failed unexpectedly: %r", name, exc)
            return ToolResult(False, f"error: {name} failed: {type(exc).__name__}")
