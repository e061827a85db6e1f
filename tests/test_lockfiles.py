"""Lockfile readers and the dependency graph, checked against excerpts of real lockfiles.

Why real files: the readers are line-based approximations of YAML, TOML-shaped and Bundler
formats, and the only way to know they read what package managers actually write is to feed
them what package managers actually wrote (tests/data/lockfiles/SOURCES.md says where each
excerpt comes from). The relationships asserted here can be read off the excerpts by eye.
The garbage tests exist because lockfiles come from arbitrary public repositories: a reader
must never raise, recurse without bound or hang on hostile text.
"""

from __future__ import annotations

import random
import re
import time
from collections.abc import Callable
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from secagent_tui.pipeline.sandbox.evidence.graph import DependencyGraph
from secagent_tui.pipeline.sandbox.evidence.lockfiles import go, npm, pip, rubygems

DATA = Path(__file__).parent / "data" / "lockfiles"

Parser = Callable[[str, str, Callable[[str], str]], DependencyGraph | None]


def _npm_name(name: str) -> str:
    return name.lower()


def _pep503(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def _read(name: str) -> str:
    return (DATA / name).read_text(encoding="utf-8")


def _graph(parser: Parser, fixture: str, normalize: Callable[[str], str]) -> DependencyGraph:
    graph = parser(fixture, _read(fixture), normalize)
    assert graph is not None
    assert graph.sources == [fixture]
    return graph


# ---------------------------------------------------------------------------------------------
# DependencyGraph


def _chain_graph() -> DependencyGraph:
    graph = DependencyGraph(sources=["x"], direct={"app-a", "app-b", "mid"})
    graph.add_edge("app-a", "mid")
    graph.add_edge("mid", "leaf")
    graph.add_edge("app-b", "other")
    graph.add_edge("other", "deeper")
    graph.add_edge("deeper", "leaf")
    return graph


def test_direct_paths_shortest_one_per_direct_ancestor() -> None:
    graph = _chain_graph()
    assert graph.direct_paths("leaf") == [
        ["mid", "leaf"],
        ["app-a", "mid", "leaf"],
        ["app-b", "other", "deeper", "leaf"],
    ]
    assert graph.direct_ancestors("leaf") == {"app-a", "app-b", "mid"}
    assert graph.direct_paths("leaf", limit=1) == [["mid", "leaf"]]
    assert graph.direct_paths("leaf", limit=0) == []


def test_direct_target_is_its_own_path_and_unknown_has_none() -> None:
    graph = _chain_graph()
    assert graph.direct_paths("app-a") == [["app-a"]]
    assert graph.direct_paths("nowhere") == []
    assert graph.direct_ancestors("nowhere") == set()
    assert graph.knows("leaf") and graph.knows("mid") and not graph.knows("nowhere")


@pytest.mark.timeout(20)
def test_cycles_terminate() -> None:
    graph = DependencyGraph(direct={"root"})
    graph.add_edge("root", "a")
    graph.add_edge("a", "b")
    graph.add_edge("b", "a")
    graph.add_edge("b", "b")  # self-loops are dropped
    assert graph.direct_paths("b") == [["root", "a", "b"]]
    ring = DependencyGraph(direct={"n0"})
    size = 20_000
    for index in range(size):
        ring.add_edge(f"n{index}", f"n{(index + 1) % size}")
    paths = ring.direct_paths(f"n{size - 1}")
    assert len(paths) == 1 and len(paths[0]) == size
    assert ring.direct_ancestors("n5") == {"n0"}


def test_direct_paths_limit_bounds_a_wide_graph() -> None:
    graph = DependencyGraph(direct={f"d{i}" for i in range(500)})
    for index in range(500):
        graph.add_edge(f"d{index}", "shared")
    paths = graph.direct_paths("shared", limit=20)
    assert len(paths) == 20
    assert all(path[-1] == "shared" and len(path) == 2 for path in paths)


def test_merge_prefers_runtime_over_dev() -> None:
    lock = DependencyGraph(sources=["a.lock"], direct={"x", "y"}, dev_direct={"x", "y"})
    lock.add_edge("x", "z")
    manifest = DependencyGraph(sources=["b.toml"], direct={"x"}, dev_direct=set())
    merged = lock.merge(manifest)
    assert merged.sources == ["a.lock", "b.toml"]
    assert merged.direct == {"x", "y"}
    assert merged.dev_direct == {"y"}
    assert merged.edges == {"x": {"z"}}
    merged.edges["x"].add("w")
    assert lock.edges["x"] == {"z"}, "merge must not alias the inputs' sets"


def test_merge_dev_unknown_does_not_outvote_a_manifest() -> None:
    # Gemfile.lock lists direct gems without groups; the Gemfile decides them.
    lock = DependencyGraph(direct={"rails", "capybara"}, dev_unknown={"rails", "capybara"})
    gemfile = DependencyGraph(direct={"rails", "capybara"}, dev_direct={"capybara"})
    merged = lock.merge(gemfile)
    assert merged.dev_direct == {"capybara"}
    assert merged.dev_unknown == set()
    # without a manifest, unknown stays unknown (and is not dev)
    alone = lock.merge(DependencyGraph())
    assert alone.dev_direct == set() and alone.dev_unknown == {"rails", "capybara"}


def test_merge_dev_packages_authoritative_per_graph() -> None:
    flagged = DependencyGraph(dev_packages={"tool"})
    flagged.add_node("tool")
    flagged.add_node("lib")
    other = DependencyGraph(dev_packages={"lib"})
    other.add_node("lib")
    # `flagged` knows lib and does not flag it dev: lib is production there.
    assert flagged.merge(other).dev_packages == {"tool"}
    unflagged = DependencyGraph()
    unflagged.add_node("tool")
    # a graph without any dev flags says nothing either way
    assert flagged.merge(unflagged).dev_packages == {"tool"}


# ---------------------------------------------------------------------------------------------
# npm: package-lock.json


def test_package_lock_v1_nested_requires_and_dev() -> None:
    graph = _graph(npm.parse_package_lock, "package-lock-v1.json", _npm_name)
    assert graph.direct == set(), "v1 has no root entry"
    assert graph.edges["morgan"] >= {"debug", "depd", "on-finished"}
    assert graph.edges["debug"] == {"ms"}
    assert graph.edges["on-finished"] == {"ee-first"}
    assert "pify" in graph.edges["lowdb"]
    # nested `dependencies` of @babel/cli are read (its own make-dir requires semver)
    assert "semver" in graph.edges["make-dir"]
    # @babel/cli is dev everywhere; pify is dev only in its nested copy under @babel/cli
    assert "@babel/cli" in graph.dev_packages
    assert "pify" not in graph.dev_packages
    direct, dev = npm.direct_from_package_json(_read("package-v1.json"))
    assert {"morgan", "express", "lowdb", "@babel/cli", "jest"} <= direct
    assert "@babel/cli" in dev and "jest" in dev and "morgan" not in dev
    full = graph.merge(DependencyGraph(sources=["package.json"], direct=direct, dev_direct=dev))
    paths = full.direct_paths("ms")
    assert ["morgan", "debug", "ms"] in paths
    assert ["body-parser", "debug", "ms"] in paths


def test_package_lock_v2_reads_packages_layout() -> None:
    graph = _graph(npm.parse_package_lock, "package-lock-v2.json", _npm_name)
    assert "steno" in graph.direct and "steno" not in graph.dev_direct
    assert {"tempy", "typescript", "eslint"} <= graph.dev_direct
    assert graph.edges["tempy"] >= {"is-stream", "temp-dir", "type-fest", "unique-string"}
    assert "tempy" in graph.dev_packages and "steno" not in graph.dev_packages
    assert graph.direct_paths("temp-dir") == [["tempy", "temp-dir"]]


def test_package_lock_v3_paths_scopes_and_nesting() -> None:
    graph = _graph(npm.parse_package_lock, "package-lock-v3.json", _npm_name)
    assert {"minimatch", "minipass", "path-scurry"} <= graph.direct
    assert graph.direct - graph.dev_direct == {"minimatch", "minipass", "path-scurry"}
    assert {"tap", "rimraf", "prettier"} <= graph.dev_direct
    assert graph.edges["minimatch"] == {"brace-expansion"}
    assert graph.edges["brace-expansion"] == {"balanced-match"}
    assert graph.direct_paths("balanced-match") == [
        ["minimatch", "brace-expansion", "balanced-match"]
    ]
    assert graph.direct_paths("lru-cache") == [["path-scurry", "lru-cache"]]
    # `node_modules/cross-spawn/node_modules/which` is the package `which`
    assert "isexe" in graph.edges["which"]
    # scoped name after the last node_modules/, nested under another scoped package
    assert "@jsonjoy.com/buffers" in graph.edges
    assert "@jsonjoy.com/buffers" in graph.edges["@jsonjoy.com/util"]
    assert {"cross-spawn", "foreground-child"} <= graph.dev_packages
    assert not {"minimatch", "balanced-match"} & graph.dev_packages


def test_package_lock_dispatch_by_name() -> None:
    text = _read("package-lock-v3.json")
    assert npm.parse("web/package-lock.json", text, _npm_name) is not None
    assert npm.parse("npm-shrinkwrap.json", text, _npm_name) is not None
    assert npm.parse("package.json", text, _npm_name) is None


# ---------------------------------------------------------------------------------------------
# npm: yarn.lock


def test_yarn_v1_entries_and_optional_dependencies() -> None:
    graph = _graph(npm.parse_yarn_lock, "yarn-v1.lock", _npm_name)
    assert graph.direct == set() and graph.dev_packages == set()
    assert graph.edges["@babel/code-frame"] == {"@babel/highlight"}
    assert graph.edges["@babel/highlight"] == {
        "@babel/helper-validator-identifier",
        "chalk",
        "js-tokens",
    }
    assert graph.edges["chalk"] == {"ansi-styles", "escape-string-regexp", "supports-color"}
    assert graph.edges["supports-color"] == {"has-flag"}
    assert "source-map" in graph.edges["escodegen"], "optionalDependencies are edges"
    assert "js-tokens" in graph.edges, '"js-tokens@^3.0.0 || ^4.0.0" header'
    rooted = graph.merge(DependencyGraph(direct={"@babel/code-frame"}))
    assert rooted.direct_paths("has-flag") == [
        ["@babel/code-frame", "@babel/highlight", "chalk", "supports-color", "has-flag"]
    ]


def test_yarn_berry_entries_aliases_and_workspace() -> None:
    graph = _graph(npm.parse_yarn_lock, "yarn-berry.lock", _npm_name)
    assert graph.direct == set()
    assert graph.edges["@babel/code-frame"] >= {
        "@babel/helper-validator-identifier",
        "js-tokens",
        "picocolors",
    }
    assert graph.edges["color-convert"] == {"color-name"}
    # "string-width-cjs@npm:string-width@^4.2.0": the alias leads to the real package
    assert "string-width" in graph.edges["string-width-cjs"]
    assert "strip-ansi" in graph.edges["string-width"]
    assert graph.edges["strip-ansi"] == {"ansi-regex"}
    # the workspace entry is the project itself, not a dependency
    assert not graph.knows("prettier")
    assert "__metadata" not in graph.edges
    rooted = graph.merge(DependencyGraph(direct={"chalk"}))
    assert rooted.direct_paths("color-name") == [
        ["chalk", "ansi-styles", "color-convert", "color-name"]
    ]


# ---------------------------------------------------------------------------------------------
# npm: pnpm-lock.yaml


def test_pnpm_v5_slash_keys_and_peer_suffixes() -> None:
    graph = _graph(npm.parse_pnpm_lock, "pnpm-lock-v5.yaml", _npm_name)
    assert {"execa", "which", "@antfu/eslint-config", "@types/node"} <= graph.direct
    assert graph.dev_direct == graph.direct, "antfu/ni declares devDependencies only"
    assert graph.edges["execa"] >= {"cross-spawn", "get-stream", "signal-exit"}
    assert graph.edges["cross-spawn"] == {"path-key", "shebang-command", "which"}
    # `/@babel/helper-compilation-targets/7.20.7_@babel+core@7.20.12`
    assert "browserslist" in graph.edges["@babel/helper-compilation-targets"]
    assert graph.direct_paths("isexe") == [
        ["which", "isexe"],
        ["execa", "cross-spawn", "which", "isexe"],
    ]
    assert {"execa", "isexe", "@types/node"} <= graph.dev_packages


def test_pnpm_v6_at_keys_and_specifier_blocks() -> None:
    graph = _graph(npm.parse_pnpm_lock, "pnpm-lock-v6.yaml", _npm_name)
    assert {"execa", "@types/fs-extra", "@antfu/eslint-config", "vitest"} <= graph.direct
    assert graph.dev_direct == graph.direct
    # `/@eslint-community/eslint-utils@4.4.0(eslint@8.54.0)`
    assert graph.edges["@eslint-community/eslint-utils"] == {"eslint", "eslint-visitor-keys"}
    assert graph.edges["@types/fs-extra"] == {"@types/jsonfile", "@types/node"}
    assert graph.edges["chalk"] == {"ansi-styles", "supports-color"}
    assert ["@types/fs-extra", "@types/jsonfile"] in graph.direct_paths("@types/jsonfile")
    assert ["execa", "cross-spawn", "which", "isexe"] in graph.direct_paths("isexe")
    assert {"chalk", "execa", "has-flag"} <= graph.dev_packages


def test_pnpm_v9_importers_and_snapshots() -> None:
    graph = _graph(npm.parse_pnpm_lock, "pnpm-lock-v9.yaml", _npm_name)
    runtime = graph.direct - graph.dev_direct
    assert {"@tinyhttp/app", "chalk", "chokidar", "sirv", "lowdb"} <= runtime
    assert {"concurrently", "husky", "typescript", "@types/node"} <= graph.dev_direct
    assert graph.edges["sirv"] == {"@polka/url", "mrmime", "totalist"}
    assert graph.edges["chokidar"] == {"readdirp"}
    assert "@tinyhttp/cookie" in graph.edges["@tinyhttp/app"]
    assert "chalk" in graph.edges["concurrently"]
    assert graph.dev_packages == set(), "v9 carries no dev flags"
    assert graph.direct_paths("@polka/url") == [["sirv", "@polka/url"]]
    # chalk@4 (under concurrently) and chalk@5 (direct) are one name-level node: the
    # direct chalk counts as an ancestor of supports-color. Coarser, and on the safe side.
    assert graph.direct_ancestors("supports-color") == {"chalk", "concurrently"}


def test_pnpm_dispatch_and_yarn_dispatch() -> None:
    assert npm.parse("pnpm-lock.yaml", _read("pnpm-lock-v9.yaml"), _npm_name) is not None
    assert npm.parse("a/yarn.lock", _read("yarn-v1.lock"), _npm_name) is not None


# ---------------------------------------------------------------------------------------------
# Python


def test_poetry_lock_groups_and_pyproject() -> None:
    graph = _graph(pip.parse_poetry_lock, "poetry.lock", _pep503)
    assert graph.direct == set()
    # `[package.extras]` names are edges too (socks → PySocks, and cachecontrol's own dev
    # extra): more edges only err towards "maybe used".
    assert graph.edges["requests"] >= {"certifi", "charset-normalizer", "idna", "urllib3"}
    assert {"pysocks", "chardet"} <= graph.edges["requests"]
    assert graph.edges["cachecontrol"] >= {"filelock", "msgpack", "requests"}
    # only pre-commit is in dev groups alone; pytest is also in "github-actions"
    assert graph.dev_packages == {"pre-commit"}
    direct, dev = pip.direct_from_pyproject(_read("poetry-pyproject.toml"), _pep503)
    assert {"requests", "cachecontrol", "poetry-core", "pbs-installer", "xattr"} <= direct
    assert {"pre-commit", "pytest", "mypy", "coverage"} <= dev
    assert "dulwich" not in dev, "runtime in [project], also listed in the test group"
    assert "pytest-github-actions-annotate-failures" not in dev
    full = graph.merge(DependencyGraph(sources=["pyproject.toml"], direct=direct, dev_direct=dev))
    paths = full.direct_paths("urllib3")
    assert ["requests", "urllib3"] in paths
    assert ["cachecontrol", "requests", "urllib3"] in paths


def test_poetry_1x_category_and_dev_dependencies() -> None:
    graph = _graph(pip.parse_poetry_lock, "poetry-1.x.lock", _pep503)
    assert {"pytest", "pluggy", "iniconfig", "pre-commit"} <= graph.dev_packages
    assert not {"requests", "urllib3", "cachecontrol"} & graph.dev_packages
    assert "lockfile" in graph.edges["cachecontrol"], "optional dependency behind an extra"
    assert "urllib3" in graph.edges["requests"]
    direct, dev = pip.direct_from_pyproject(_read("poetry-1.x-pyproject.toml"), _pep503)
    assert "python" not in direct
    assert {"requests", "urllib3", "cachecontrol"} <= direct - dev
    assert {"pytest", "tox", "pre-commit"} <= dev


def test_uv_lock_root_package_gives_direct() -> None:
    graph = _graph(pip.parse_uv_lock, "uv.lock", _pep503)
    runtime = graph.direct - graph.dev_direct
    assert {"blinker", "click", "itsdangerous", "jinja2", "markupsafe", "werkzeug"} <= runtime
    assert {"asgiref", "python-dotenv"} <= runtime, "extras are runtime"
    assert {"sphinx", "pytest", "ruff", "mypy"} <= graph.dev_direct
    assert not graph.knows("flask"), "the project itself is not a dependency"
    assert graph.edges["jinja2"] == {"markupsafe"}
    assert graph.edges["werkzeug"] == {"markupsafe"}
    assert graph.edges["requests"] == {"certifi", "charset-normalizer", "idna", "urllib3"}
    assert "colorama" in graph.edges["click"]
    assert graph.direct_paths("urllib3") == [["sphinx", "requests", "urllib3"]]
    assert graph.direct_ancestors("urllib3") <= graph.dev_direct


def test_flask_pyproject_dependency_groups() -> None:
    direct, dev = pip.direct_from_pyproject(_read("flask-pyproject.toml"), _pep503)
    assert {"werkzeug", "jinja2", "asgiref", "python-dotenv"} <= direct - dev
    assert {"ruff", "sphinx", "pytest", "cryptography", "gha-update"} <= dev
    assert "asgiref" not in dev, "optional extra `async` is runtime"


def test_pip_compile_via_annotations() -> None:
    graph = _graph(pip.parse_pip_compile, "requirements-docs.txt", _pep503)
    assert graph.direct == {
        "pallets-sphinx-themes",
        "sphinx",
        "sphinx-tabs",
        "sphinxcontrib-log-cabinet",
    }
    assert graph.dev_direct == graph.direct, "every one is `# via -r docs.in`"
    assert "urllib3" in graph.edges["requests"]
    assert "requests" in graph.edges["sphinx"]
    assert {"sphinx", "sphinx-tabs"} <= {n for n, t in graph.edges.items() if "docutils" in t}
    assert "sphinx" in graph.edges["pallets-sphinx-themes"]
    assert graph.direct_paths("urllib3")[0] == ["sphinx", "requests", "urllib3"]
    assert graph.direct_ancestors("markupsafe") >= {"sphinx", "pallets-sphinx-themes"}


def test_plain_requirements_is_not_a_graph() -> None:
    assert pip.parse_pip_compile("requirements.in", _read("requirements-docs.in"), _pep503) is None
    assert pip.parse("requirements/docs.txt", _read("requirements-docs.in"), _pep503) is None
    assert pip.parse("requirements/docs.txt", _read("requirements-docs.txt"), _pep503)
    assert pip.parse("setup.py", _read("requirements-docs.txt"), _pep503) is None
    assert pip.parse("poetry.lock", _read("poetry.lock"), _pep503) is not None
    assert pip.parse("uv.lock", _read("uv.lock"), _pep503) is not None


def test_pip_compile_direct_sources() -> None:
    # Shapes pip-tools writes (inline via of pip-tools < 5, pyproject origin, hashes) but
    # which no fetched fixture happens to contain.
    text = (
        "click==8.1.7 \\\n"
        "    --hash=sha256:ae74fb96c20a0277a1d615f1e4d73c8414f5a98db8b799a7931d1582f3390c28\n"
        "    # via myapp (pyproject.toml)\n"
        "six==1.16.0  # via python-dateutil, -r requirements/test.in\n"
        "python-dateutil==2.9.0\n"
        "    # via -r requirements/test.in\n"
        "\n"
        "# The following packages are considered to be unsafe in a requirements file:\n"
        "# setuptools\n"
        "    # via stray\n"
    )
    graph = pip.parse_pip_compile("requirements.txt", text, _pep503)
    assert graph is not None
    assert graph.direct == {"click", "six", "python-dateutil"}
    assert graph.dev_direct == {"six", "python-dateutil"}
    assert graph.edges["python-dateutil"] == {"six"}
    assert "stray" not in graph.edges


# ---------------------------------------------------------------------------------------------
# Ruby


def test_gemfile_lock_rails_sanitizer_chain() -> None:
    graph = _graph(rubygems.parse_gemfile_lock, "Gemfile.lock", _npm_name)
    assert "loofah" in graph.edges["rails-html-sanitizer"]
    assert "nokogiri" in graph.edges["loofah"]
    assert graph.edges["nokogiri"] == {"mini_portile2", "racc"}, "platform variants merged"
    assert "actionpack" in graph.edges["rails"]
    assert {"rails", "avo-advanced", "capybara", "rails-erd"} <= graph.direct
    assert "avo-pro" in graph.edges["avo-advanced"], "gems from a second GEM source"
    paths = graph.direct_paths("nokogiri")
    from_rails = [path for path in paths if path[0] == "rails"]
    assert from_rails and from_rails[0][-1] == "nokogiri"
    assert ["rails", "actionpack", "nokogiri"] in paths
    assert "rails" in graph.direct_ancestors("loofah")
    assert ["rails", "actionpack", "rails-html-sanitizer", "loofah"] in graph.direct_paths("loofah")
    assert not graph.knows("ruby"), "RUBY VERSION / CHECKSUMS are not specs"


def test_gemfile_groups() -> None:
    direct, dev = rubygems.direct_from_gemfile(_read("Gemfile"))
    assert {"rails", "avo", "avo-advanced", "tailwindcss-rails", "rails-erd"} <= direct
    assert {"rails-erd", "capybara", "minitest", "rubocop", "debug", "avo_upgrade"} <= dev
    assert "rails" not in dev
    assert "tailwindcss-rails" not in dev, ":assets is not a dev group"
    assert "avo-advanced" not in dev, "group :avo, nested source block"
    assert "propshaft" not in dev, "top-level gem after the groups"
    lock = _graph(rubygems.parse_gemfile_lock, "Gemfile.lock", _npm_name)
    merged = lock.merge(DependencyGraph(sources=["Gemfile"], direct=direct, dev_direct=dev))
    assert {"capybara", "rails-erd"} <= merged.dev_direct
    assert "rails" not in merged.dev_direct
    assert merged.direct_ancestors("xpath") == {"capybara"}


def test_gemfile_lock_dispatch() -> None:
    text = _read("Gemfile.lock")
    assert rubygems.parse("Gemfile.lock", text, _npm_name) is not None
    assert rubygems.parse("gems.locked", text, _npm_name) is not None
    assert rubygems.parse("Gemfile", text, _npm_name) is None


# ---------------------------------------------------------------------------------------------
# Go


def test_go_mod_direct_only() -> None:
    graph = _graph(go.parse_go_mod, "viper-go.mod", _npm_name)
    assert graph.edges == {}
    assert len(graph.direct) == 10
    assert {"github.com/spf13/pflag", "github.com/fsnotify/fsnotify"} <= graph.direct
    assert "golang.org/x/sys" not in graph.direct, "// indirect"
    assert not graph.knows("golang.org/x/sys"), "indirect modules are unknown, not unused"
    assert graph.knows("github.com/spf13/afero")
    single = _graph(go.parse_go_mod, "esbuild-go.mod", _npm_name)
    assert single.direct == {"golang.org/x/sys"}


def test_go_dispatch() -> None:
    assert go.parse("go.mod", _read("viper-go.mod"), _npm_name) is not None
    assert go.parse("go.sum", _read("viper-go.mod"), _npm_name) is None


# ---------------------------------------------------------------------------------------------
# Hostile input


PARSERS: list[tuple[str, Parser, str | None]] = [
    ("package-lock.json", npm.parse_package_lock, "package-lock-v3.json"),
    ("package-lock.json", npm.parse_package_lock, "package-lock-v1.json"),
    ("yarn.lock", npm.parse_yarn_lock, "yarn-berry.lock"),
    ("pnpm-lock.yaml", npm.parse_pnpm_lock, "pnpm-lock-v9.yaml"),
    ("poetry.lock", pip.parse_poetry_lock, "poetry.lock"),
    ("uv.lock", pip.parse_uv_lock, "uv.lock"),
    ("requirements.txt", pip.parse_pip_compile, "requirements-docs.txt"),
    ("Gemfile.lock", rubygems.parse_gemfile_lock, "Gemfile.lock"),
    ("go.mod", go.parse_go_mod, "viper-go.mod"),
]

_JUNK = random.Random(20240601).randbytes(64 * 1024).decode("latin-1")

_HOSTILE = {
    "empty": "",
    "binary": _JUNK,
    "nul-bytes": "\x00" * 10_000,
    "json-array-nesting": "[" * 50_000,
    "json-object-nesting": '{"a":' * 50_000,
    "toml-array-nesting": "a = " + "[" * 50_000,
    "toml-inline-nesting": "a = " + "{b = " * 50_000,
    "json-wrong-shape": '{"packages": [1, 2], "dependencies": {"a": {"requires": [1]}}}',
    "json-scalar": "42",
    "toml-wrong-shape": 'package = "x"\n[manifest]\nmembers = 3\n',
    "yaml-deep-indent": "".join(" " * i + f"k{i}:\n" for i in range(3_000)),
    "long-line": "a" * 1_000_000,
    "unbalanced-quotes": "'\"\n" * 1_000 + '"a@1", \'b:\n  dependencies:\n    "c\n',
}


@pytest.mark.timeout(60)
@pytest.mark.parametrize("case", sorted(_HOSTILE))
@pytest.mark.parametrize(("rel", "parser", "fixture"), PARSERS, ids=lambda v: str(v)[:24])
def test_hostile_input_never_raises(
    rel: str, parser: Parser, fixture: str | None, case: str
) -> None:
    result = parser(rel, _HOSTILE[case], _npm_name)
    assert result is None or isinstance(result, DependencyGraph)


@pytest.mark.parametrize(("rel", "parser", "fixture"), PARSERS, ids=lambda v: str(v)[:24])
def test_truncated_fixture_gives_none_or_partial(
    rel: str, parser: Parser, fixture: str | None
) -> None:
    assert fixture is not None
    text = _read(fixture)
    whole = parser(rel, text, _npm_name)
    assert whole is not None
    cut = parser(rel, text[: len(text) // 2], _npm_name)
    if cut is not None:
        assert set(cut.edges) <= set(whole.edges) | {""}
        assert cut.direct <= whole.direct


def test_manifest_readers_tolerate_garbage() -> None:
    for text in ("", _JUNK, "[" * 50_000, '{"dependencies": [1]}', "a = " + "[" * 50_000):
        assert npm.direct_from_package_json(text) == (set(), set())
        assert pip.direct_from_pyproject(text) == (set(), set())
        direct, dev = rubygems.direct_from_gemfile(text)
        assert dev <= direct
    # a Gemfile with more `end`s than blocks, and a gem name in odd quoting
    direct, dev = rubygems.direct_from_gemfile("end\nend\ngem 'a'\ngroup :test do\ngem \"b\"\n")
    assert direct == {"a", "b"} and dev == {"b"}


@settings(max_examples=150, deadline=None)
@given(st.text(alphabet=st.sampled_from(list(" \n\t:'\"-@/#{}[]()=,.!~^a1")), max_size=400))
def test_random_structured_text_never_raises(text: str) -> None:
    for rel, parser, _ in PARSERS:
        result = parser(rel, text, _npm_name)
        assert result is None or isinstance(result, DependencyGraph)


@pytest.mark.timeout(60)
def test_large_inputs_stay_fast() -> None:
    entries = 30_000
    yarn = "".join(
        f'"p{i}@^1.0.0":\n  version "1.0.0"\n  dependencies:\n    p{i + 1} "^1.0.0"\n\n'
        for i in range(entries)
    )
    pnpm = "lockfileVersion: '9.0'\n\nsnapshots:\n\n" + "".join(
        f"  p{i}@1.0.0:\n    dependencies:\n      p{i + 1}: 1.0.0\n\n" for i in range(entries)
    )
    started = time.monotonic()
    yarn_graph = npm.parse_yarn_lock("yarn.lock", yarn, _npm_name)
    pnpm_graph = npm.parse_pnpm_lock("pnpm-lock.yaml", pnpm, _npm_name)
    assert yarn_graph is not None and pnpm_graph is not None
    chain = yarn_graph.merge(DependencyGraph(direct={"p0"}))
    assert len(chain.direct_paths(f"p{entries}")[0]) == entries + 1
    assert pnpm_graph.edges["p7"] == {"p8"}
    assert time.monotonic() - started < 30
