"""The agent's read-only tools against a real git repository full of traps.

The repository is built once per module with `git init` + a commit, so its symlinks are
what a real checkout produces: one to `/etc/passwd`, one to `../outside.txt`, one to the
`/etc` directory, one into `.git`, and harmless ones inside the repository (to a file and
to a directory). Every escape must be refused; the harmless links must work.
"""

from __future__ import annotations

import os
import subprocess
from pathlib import Path

import pytest

from secagent_tui.pipeline.sandbox import tools as tools_module
from secagent_tui.pipeline.sandbox.tools import (
    MAX_LINE_CHARS,
    MAX_SEARCH_FILE_BYTES,
    PathRefused,
    SandboxTools,
    ToolResult,
    resolve_inside,
    tool_schemas,
)

SECRET_OUTSIDE = "TOP-SECRET-OUTSIDE-THE-CLONE"


def _git(cwd: Path, *args: str) -> None:
    env = {**os.environ, "GIT_CONFIG_GLOBAL": os.devnull, "GIT_CONFIG_NOSYSTEM": "1"}
    subprocess.run(
        ["git", "-c", "user.name=Test", "-c", "user.email=test@example.com", *args],
        cwd=cwd,
        env=env,
        check=True,
        capture_output=True,
    )


@pytest.fixture(scope="module")
def repo(tmp_path_factory: pytest.TempPathFactory) -> Path:
    base = tmp_path_factory.mktemp("tools")
    (base / "outside.txt").write_text(SECRET_OUTSIDE + "\n")
    root = base / "repo"
    (root / "src" / "util").mkdir(parents=True)
    (root / "src" / "app.py").write_text(
        "import yaml\n\n\ndef load(text):\n    return yaml.load(text)\n"
    )
    (root / "src" / "util" / "helpers.py").write_text("from yaml import safe_load\n")
    (root / "README.md").write_text("# demo\nuses yaml\n")
    (root / "lines.txt").write_text("".join(f"line {n}\n" for n in range(1, 11)))
    (root / "many.txt").write_text("".join(f"needle {n}\n" for n in range(300)))
    (root / "data.bin").write_bytes(b"\x00\x01\x02 needle BINNEEDLE \xff\xfe")
    (root / "min.js").write_text("var a=1;" * 2000 + "\nsecond();\n")
    big_line = "x" * 99 + "\n"
    (root / "big.txt").write_text(big_line * (MAX_SEARCH_FILE_BYTES // 100 + 10) + "BIGNEEDLE\n")
    os.symlink("/etc/passwd", root / "passwd")
    os.symlink("../outside.txt", root / "up")
    os.symlink("/etc", root / "etc")
    os.symlink(".git/config", root / "gitcfg")
    os.symlink("src/app.py", root / "app_link")
    os.symlink("src", root / "srclink")
    _git(root, "init", "-q")
    _git(root, "add", "-A")
    _git(root, "commit", "-qm", "fixture")
    return root


@pytest.fixture
def tools(repo: Path) -> SandboxTools:
    return SandboxTools(repo)


# ----------------------------------------------------------------------- confinement

ESCAPES = [
    "../x",
    "/etc/passwd",
    "a/../../x",
    "src/../../outside.txt",
    "..",
    "passwd",  # -> /etc/passwd
    "up",  # -> ../outside.txt
    "etc",  # -> /etc
    "etc/passwd",
    ".git/config",
    ".git",
    "./.git/HEAD",
    ".GIT/config",
    "src/.git/x",
    "gitcfg",  # -> .git/config
    "src\x00.py",
]


@pytest.mark.parametrize("path", ESCAPES)
def test_resolve_inside_refuses_escapes(repo: Path, path: str) -> None:
    with pytest.raises(PathRefused):
        resolve_inside(repo, path)


@pytest.mark.parametrize("path", ESCAPES)
def test_read_file_refuses_escapes(tools: SandboxTools, path: str) -> None:
    result = tools.call("read_file", {"path": path})
    assert not result.ok
    assert result.text.startswith("refused: ")
    assert SECRET_OUTSIDE not in result.text
    assert "root:" not in result.text


@pytest.mark.parametrize("path", ["etc", "up", "passwd", "../", "/", ".git"])
def test_list_directory_refuses_escapes(tools: SandboxTools, path: str) -> None:
    result = tools.call("list_directory", {"path": path})
    assert not result.ok
    assert result.text.startswith("refused: ")


def test_resolve_inside_allows_paths_and_links_inside(repo: Path) -> None:
    real = Path(os.path.realpath(repo))
    assert resolve_inside(repo, ".") == real
    assert resolve_inside(repo, "") == real
    assert resolve_inside(repo, "./src//app.py") == real / "src" / "app.py"
    assert resolve_inside(repo, "app_link") == real / "src" / "app.py"
    assert resolve_inside(repo, "srclink/util") == real / "src" / "util"
    # Need not exist: the tools report "does not exist" themselves.
    assert resolve_inside(repo, "nope/new.txt") == real / "nope" / "new.txt"


def test_resolve_inside_refuses_non_strings(repo: Path) -> None:
    with pytest.raises(PathRefused):
        resolve_inside(repo, 42)  # type: ignore[arg-type]


# --------------------------------------------------------------------- list_directory


def test_list_directory_root(repo: Path, tools: SandboxTools) -> None:
    text = tools.list_directory()
    lines = text.splitlines()
    assert lines[0].startswith("./ (")
    assert "src/" in lines
    assert "app_link@ -> src/app.py" in lines
    assert "srclink@ -> src" in lines
    assert any(line.startswith("passwd@ -> /etc/passwd") and "outside" in line for line in lines)
    assert any(line.startswith("up@ -> ../outside.txt") and "outside" in line for line in lines)
    assert f"lines.txt  {(repo / 'lines.txt').stat().st_size} bytes" in lines
    assert not any(line.startswith(".git") for line in lines)
    names = [line.split("@")[0].split("/")[0].split("  ")[0] for line in lines[1:]]
    assert names == sorted(names)


def test_list_directory_subdir_and_inside_link(repo: Path, tools: SandboxTools) -> None:
    size = (repo / "src" / "app.py").stat().st_size
    expected = [f"app.py  {size} bytes", "util/"]
    assert tools.list_directory("src").splitlines()[1:] == expected
    assert tools.list_directory("srclink").splitlines()[1:] == expected


def test_list_directory_is_capped(repo: Path) -> None:
    text = SandboxTools(repo, max_listing=3).list_directory()
    lines = text.splitlines()
    assert len(lines) == 1 + 3 + 1
    assert "more entries not shown" in lines[-1]


def test_list_directory_errors(tools: SandboxTools) -> None:
    assert tools.call("list_directory", {"path": "nope"}) == ToolResult(
        False, "error: 'nope' does not exist"
    )
    result = tools.call("list_directory", {"path": "lines.txt"})
    assert not result.ok and "use read_file" in result.text


# -------------------------------------------------------------------------- read_file


def test_read_file_numbers_lines(tools: SandboxTools) -> None:
    text = tools.read_file("lines.txt")
    assert text.splitlines() == ["lines.txt lines 1-10 (end of file)"] + [
        f"{n}: line {n}" for n in range(1, 11)
    ]


def test_read_file_line_range(tools: SandboxTools) -> None:
    assert tools.read_file("lines.txt", 3, 5).splitlines() == [
        "lines.txt lines 3-5",
        "3: line 3",
        "4: line 4",
        "5: line 5",
    ]
    assert (
        tools.read_file("lines.txt", 9, 50).splitlines()[0] == "lines.txt lines 9-10 (end of file)"
    )
    assert "has only 10 lines" in tools.read_file("lines.txt", 11)
    result = tools.call("read_file", {"path": "lines.txt", "start_line": 5, "end_line": 2})
    assert not result.ok
    assert not tools.call("read_file", {"path": "lines.txt", "start_line": 0}).ok


def test_read_file_through_inside_link(tools: SandboxTools) -> None:
    text = tools.read_file("app_link")
    assert text.splitlines()[0] == "src/app.py lines 1-5 (end of file)"
    assert "5:     return yaml.load(text)" in text


def test_read_file_is_capped_with_a_continuation(repo: Path) -> None:
    text = SandboxTools(repo, max_read_bytes=40).read_file("lines.txt")
    lines = text.splitlines()
    assert lines[1:5] == ["1: line 1", "2: line 2", "3: line 3", "4: line 4"]
    assert lines[-1] == "[output capped at 40 bytes; continue with start_line=5]"


def test_read_file_big_file_is_capped(tools: SandboxTools) -> None:
    text = tools.read_file("big.txt")
    assert len(text.encode()) < tools.max_read_bytes + 200
    assert "continue with start_line=" in text


def test_read_file_cuts_overlong_lines(tools: SandboxTools) -> None:
    lines = tools.read_file("min.js").splitlines()
    assert lines[1].endswith("[... line cut]")
    assert len(lines[1]) < 2100
    assert lines[2] == "2: second();"


def test_read_file_refuses_binary_and_directories(tools: SandboxTools) -> None:
    result = tools.call("read_file", {"path": "data.bin"})
    assert not result.ok
    assert "binary" in result.text
    result = tools.call("read_file", {"path": "src"})
    assert not result.ok and "directory" in result.text
    assert tools.call("read_file", {"path": "missing.py"}).text == (
        "error: 'missing.py' does not exist"
    )


# ----------------------------------------------------------------------------- search


def test_search_finds_path_and_line(tools: SandboxTools) -> None:
    text = tools.search(r"yaml\.load\(")
    lines = text.splitlines()
    assert lines[0].startswith("1 matches for /yaml\\.load\\(/ in .")
    # Once only: the symlinked directory and the link to the file are not walked.
    assert lines[1:] == ["src/app.py:5: return yaml.load(text)"]


def test_search_does_not_follow_symlinks(tools: SandboxTools) -> None:
    for pattern in (SECRET_OUTSIDE, "^root:", "repositoryformatversion"):
        text = tools.search(pattern)
        assert text.startswith("0 matches"), text


def test_search_path_and_glob(tools: SandboxTools) -> None:
    assert tools.search("yaml", path="src/util").splitlines()[1:] == [
        "src/util/helpers.py:1: from yaml import safe_load"
    ]
    assert tools.search("yaml", path="src/app.py").splitlines()[1:] == [
        "src/app.py:1: import yaml",
        "src/app.py:5: return yaml.load(text)",
    ]
    by_name = tools.search("yaml", glob="*.md").splitlines()[1:]
    assert by_name == ["README.md:2: uses yaml"]
    braces = tools.search("yaml", glob="*.{md,py}").splitlines()[1:]
    assert len(braces) == 4
    nested = tools.search("yaml", glob="src/**/*.py").splitlines()[1:]
    assert nested == ["src/util/helpers.py:1: from yaml import safe_load"]
    anywhere = tools.search("yaml", glob="**/*.py").splitlines()[1:]
    assert len(anywhere) == 3


def test_search_respects_max_matches(repo: Path) -> None:
    text = SandboxTools(repo, max_matches=5).search("needle", glob="many.txt")
    lines = text.splitlines()
    assert lines[1:6] == [f"many.txt:{n + 1}: needle {n}" for n in range(5)]
    assert "match limit of 5 reached" in lines[-1]
    assert len(lines) == 7


def test_search_skips_big_and_binary_files(tools: SandboxTools) -> None:
    text = tools.search("BIGNEEDLE|BINNEEDLE")
    assert text.startswith("0 matches")
    assert "1 over 2 MB skipped" in text
    assert "1 binary skipped" in text


def test_search_byte_budget(repo: Path) -> None:
    text = SandboxTools(repo, max_search_bytes=100).search("needle")
    assert "byte budget of 100 reached" in text


def test_search_refuses_invalid_patterns(tools: SandboxTools) -> None:
    result = tools.call("search", {"pattern": "yaml.load("})
    assert not result.ok
    assert "invalid regular expression" in result.text
    result = tools.call("search", {"pattern": "x" * 501})
    assert not result.ok and "longer than 500" in result.text
    result = tools.call("search", {"pattern": "\ud800"})
    assert not result.ok and "not valid Unicode" in result.text


@pytest.mark.parametrize(
    ("pattern", "named"),
    [
        (r"(\w+)\1", "backreferences"),
        (r"(?P<n>yaml)(?P=n)", "backreferences"),
        (r"yaml(?=\.load)", "lookahead"),
        (r"yaml(?!\.safe)", "lookahead"),
        (r"(?<=import )yaml", "lookbehind"),
        (r"(?<!safe_)load", "lookbehind"),
        (r"(a)?(?(1)b|c)", "conditionals"),
        (r"(?>yaml)", "atomic groups"),
        (r"a++", "possessive"),
        (r"yaml\Z", "use $"),
        (r"(?x) yaml", "verbose"),
    ],
)
def test_search_refuses_what_re2_cannot_match_and_says_what(
    tools: SandboxTools, pattern: str, named: str
) -> None:
    result = tools.call("search", {"pattern": pattern})
    assert not result.ok
    assert result.text.startswith("error: pattern refused: ")
    assert named in result.text
    assert "RE2" in result.text


@pytest.mark.parametrize("pattern", [r"\u0079aml", r"a(?#comment)b", "a{2000}"])
def test_search_refusal_lists_re2_gaps_when_it_cannot_name_the_construct(
    tools: SandboxTools, pattern: str
) -> None:
    result = tools.call("search", {"pattern": pattern})
    assert not result.ok
    assert "pattern refused: RE2 cannot compile it" in result.text
    assert "backreferences" in result.text and "lookahead" in result.text


def test_search_never_falls_back_to_re_for_refused_patterns(
    tools: SandboxTools, monkeypatch: pytest.MonkeyPatch
) -> None:
    def no_re(*args: object, **kwargs: object) -> None:
        raise AssertionError("the stdlib re engine must not match model patterns")

    monkeypatch.setattr(tools_module.re, "compile", no_re)
    monkeypatch.setattr(tools_module.re, "search", no_re)
    assert not tools.call("search", {"pattern": r"(\w+)\1"}).ok
    assert tools.call("search", {"pattern": r"yaml\.load\("}).ok


def test_search_accepts_ordinary_code_search_patterns(tools: SandboxTools) -> None:
    for pattern in (
        r"import\s+yaml",
        r"(from|import)\s+yaml",
        r"yaml\.(safe_)?load\(.*\)",
        r"(?P<mod>yaml)\.load",
        r"^\s*def \w+\(",
        r"\byaml\b",
    ):
        result = tools.call("search", {"pattern": pattern})
        assert result.ok, (pattern, result.text)
        assert not result.text.startswith("0 matches"), pattern


def test_search_case_insensitive_flag(tools: SandboxTools) -> None:
    assert tools.search("YAML", glob="*.md").startswith("0 matches")
    assert tools.search("(?i)YAML", glob="*.md").splitlines()[1:] == ["README.md:2: uses yaml"]


def test_search_formerly_refused_nested_repeats_now_match(tools: SandboxTools) -> None:
    # The old guard refused these outright; under RE2 they are safe and simply match.
    lines = tools.search(r"(y(a|m)+l)+", path="src/app.py").splitlines()
    assert lines[1:] == ["src/app.py:1: import yaml", "src/app.py:5: return yaml.load(text)"]
    assert tools.search(r"(\d+)+$", glob="lines.txt").startswith("10 matches")


# A pattern that backtracks exponentially (or as a high power) in a backtracking engine,
# with a line it fails on: each of these froze Python's `re` for minutes on such a line.
FREEZERS = [
    ("a*a*a*b", "a" * MAX_LINE_CHARS),
    ("(a+)+$", "a" * (MAX_LINE_CHARS - 1) + "!"),
    ("(a|aa)+b", "a" * MAX_LINE_CHARS),
    ("(.*a){20}", "a" * 19 + "x" * (MAX_LINE_CHARS - 19)),
    ("(x+x+)+y", "x" * MAX_LINE_CHARS),
]
FREEZER_IDS = [pattern for pattern, _ in FREEZERS]


@pytest.fixture(scope="module")
def hostile(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One file per freezing pattern: a single hostile line, and a file of many of them."""
    root = tmp_path_factory.mktemp("hostile")
    for index, (_, line) in enumerate(FREEZERS):
        assert len(line) == MAX_LINE_CHARS
        (root / f"one{index}.txt").write_text(line + "\n")
        (root / f"many{index}.txt").write_text((line + "\n") * 400)
    (root / "ordinary.txt").write_text("aaab\nxyz\nxxy\n")
    return root


@pytest.mark.timeout(60)
@pytest.mark.parametrize("index", range(len(FREEZERS)), ids=FREEZER_IDS)
def test_search_freezing_pattern_on_one_long_line_returns_without_hitting_the_bound(
    hostile: Path, index: int
) -> None:
    pattern = FREEZERS[index][0]
    result = SandboxTools(hostile).call("search", {"pattern": pattern, "glob": f"one{index}.txt"})
    assert result.ok, result.text
    # RE2 is linear: one 2,000-character line is nowhere near the 10 s bound.
    assert result.text.splitlines() == [
        f"0 matches for /{pattern}/ in . (glob one{index}.txt) (1 files searched)"
    ]


@pytest.mark.timeout(120)
@pytest.mark.parametrize("index", range(len(FREEZERS)), ids=FREEZER_IDS)
def test_search_freezing_pattern_on_a_file_of_long_lines_returns_and_says_if_cut(
    hostile: Path, index: int
) -> None:
    pattern = FREEZERS[index][0]
    result = SandboxTools(hostile).call("search", {"pattern": pattern, "glob": f"many{index}.txt"})
    assert result.ok, result.text
    lines = result.text.splitlines()
    assert lines[0].startswith(f"0 matches for /{pattern}/")
    # Either it finished, or it says it stopped at the time bound; nothing else.
    assert lines[1:] in ([], [TIME_NOTE.format(seconds=10)])


def test_search_freezing_patterns_still_match_where_they_should(hostile: Path) -> None:
    text = SandboxTools(hostile).search("a*a*a*b|(x+x+)+y", glob="ordinary.txt")
    assert text.splitlines()[1:] == ["ordinary.txt:1: aaab", "ordinary.txt:3: xxy"]


TIME_NOTE = "[stopped early: time limit of {seconds:g}s reached; narrow the pattern, path or glob]"


class _SteppingClock:
    """A monotonic clock that advances one second per reading: deadlines without sleeping."""

    def __init__(self) -> None:
        self.now = 0.0

    def monotonic(self) -> float:
        self.now += 1.0
        return self.now


def test_search_out_of_time_returns_the_hits_so_far_with_a_note(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tools_module, "time", _SteppingClock())
    # Reading 1 sets the deadline at 1 + 4.5 s; reading 2 (before the file) and readings
    # 3-5 (before lines 1-3) are in time; reading 6, before line 4, is past it.
    result = SandboxTools(repo, max_search_seconds=4.5).call(
        "search", {"pattern": "needle", "path": "many.txt"}
    )
    assert result.ok
    lines = result.text.splitlines()
    assert lines[0].startswith("3 matches for /needle/")
    assert lines[1:4] == [f"many.txt:{n + 1}: needle {n}" for n in range(3)]
    assert lines[4:] == [TIME_NOTE.format(seconds=4.5)]


def test_search_checks_the_deadline_even_for_files_the_glob_skips(
    repo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tools_module, "time", _SteppingClock())
    result = SandboxTools(repo, max_search_seconds=1.5).call(
        "search", {"pattern": "x", "glob": "no-such-file"}
    )
    assert result.ok
    assert result.text.splitlines()[-1] == TIME_NOTE.format(seconds=1.5)


# ----------------------------------------------------------------------------- call()


@pytest.mark.parametrize(
    ("name", "arguments", "expected"),
    [
        ("rm_rf", {}, "unknown tool 'rm_rf'"),
        (None, {}, "unknown tool None"),
        ("read_file", {"path": 123}, "'path' must be a string"),
        ("read_file", {}, "needs argument(s): path"),
        ("read_file", {"path": "lines.txt", "start_line": "3"}, "'start_line' must be an integer"),
        ("read_file", {"path": "lines.txt", "start_line": True}, "not a boolean"),
        ("read_file", {"path": "lines.txt", "mode": "w"}, "unknown argument 'mode'"),
        ("search", {"pattern": ["x"]}, "'pattern' must be a string"),
        ("search", "pattern=x", "must be a JSON object"),
        ("list_directory", {"path": {"a": 1}}, "'path' must be a string"),
    ],
)
def test_call_refuses_bad_calls(
    tools: SandboxTools, name: object, arguments: object, expected: str
) -> None:
    result = tools.call(name, arguments)  # type: ignore[arg-type]
    assert result.ok is False
    assert expected in result.text


def test_call_dispatches_and_counts_bytes(repo: Path) -> None:
    tools = SandboxTools(repo)
    results = [
        tools.call("list_directory", None),
        tools.call("read_file", {"path": "lines.txt", "start_line": 2.0, "end_line": None}),
        tools.call("search", {"pattern": "yaml", "glob": None, "path": "src"}),
        tools.call("read_file", {"path": "/etc/passwd"}),
    ]
    assert [r.ok for r in results] == [True, True, True, False]
    assert results[1].text.splitlines()[1] == "2: line 2"
    assert tools.calls == 4
    assert tools.bytes_returned == sum(len(r.text.encode()) for r in results)


# ---------------------------------------------------------------------------- schemas


def test_tool_schemas_match_the_ollama_client() -> None:
    ollama = pytest.importorskip("ollama")
    schemas = tool_schemas()
    assert [s["function"]["name"] for s in schemas] == ["list_directory", "read_file", "search"]
    for schema in schemas:
        assert schema["type"] == "function"
        params = schema["function"]["parameters"]
        assert params["type"] == "object"
        assert set(params["required"]) <= set(params["properties"])
        tool = ollama.Tool.model_validate(schema)
        assert tool.function.name == schema["function"]["name"]
        # Nothing the client does not know is silently dropped.
        assert tool.model_dump(exclude_none=True, by_alias=True) == schema


def test_schema_arguments_are_accepted_by_call(tools: SandboxTools) -> None:
    samples = {"path": "src/app.py", "start_line": 1, "end_line": 2, "pattern": "x", "glob": "*"}
    for schema in tools.tool_schemas():
        name = schema["function"]["name"]
        props = schema["function"]["parameters"]["properties"]
        arguments = {key: samples[key] for key in props}
        if name == "list_directory":
            arguments["path"] = "src"
        result = tools.call(name, arguments)
        assert result.ok, (name, result.text)
