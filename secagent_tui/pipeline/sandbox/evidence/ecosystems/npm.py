"""npm: packages are imported by their own name, so the name forms are certain.

What costs precision here is not the name but where it hides: a specifier in any string
literal (require, import, export, dynamic import, jest.mock, AMD), in CoffeeScript's
`require 'x'`, in JSON configuration (angular.json `scripts`/`styles`, tsconfig paths), as a
path into `node_modules/`, or as a plugin's short name (`plugins: ['react']` loads
`eslint-plugin-react`).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from pathlib import PurePosixPath
from typing import Any

from ..graph import DependencyGraph
from ..lockfiles import npm as npm_locks
from ..paths import matches
from ..text import alternation
from .base import Ecosystem, Hit, Loaded, NameForms

_IMPORT_CLAUSE = re.compile(
    r"\bimport\s+(?:type\s+)?(?P<clause>[\w$*{}\s,]{1,400}?)\s+from\s*(?P<q>['\"])(?P<spec>[^'\"\n]+)(?P=q)"
    r"|\bexport\s*(?:type\s+)?(?P<eclause>\{[^}]{0,2000}\}|\*(?:\s+as\s+[\w$]+)?)\s*from\s*"
    r"(?P<eq>['\"])(?P<espec>[^'\"\n]+)(?P=eq)"
    r"|\b(?:const|let|var)\s+(?P<rclause>\{[^}]{0,2000}\}|[\w$]+)\s*=\s*(?:await\s+)?"
    r"(?:require|import)\s*\(\s*(?P<rq>['\"`])(?P<rspec>[^'\"`\n]+)(?P=rq)"
)
# require(…) / import(…) whose argument is not one complete string literal.
_COMPUTED = re.compile(
    r"(?<![\w$.])(?:require|import)\s*\(\s*(?!(?P<q>['\"])[^'\"\n]*(?P=q)\s*[,)])(?P<arg>[^)\n]{0,200})"
)
_LOCAL_ARG = re.compile(r"""^(?:['"`](?:\.{1,2}/|/)|path\.|__dirname|__filename|process\.cwd)""")
_DB_DRIVERS = frozenset(
    {"pg", "pg-native", "mysql", "mysql2", "sqlite3", "better-sqlite3", "tedious", "oracledb"}
    | {"mariadb"}
)
_NOT_MENTIONS = frozenset(
    {
        "dependencies",
        "devDependencies",
        "peerDependencies",
        "optionalDependencies",
        "bundledDependencies",
        "bundleDependencies",
        "peerDependenciesMeta",
        "dependenciesMeta",
        "overrides",
        "resolutions",
        "name",
        "version",
    }
)
_CONFIG_FILES = (
    ".eslintrc*",
    "eslint.config.*",
    ".babelrc*",
    "babel.config.*",
    ".prettierrc*",
    "prettier.config.*",
    ".stylelintrc*",
    "stylelint.config.*",
    "postcss.config.*",
    "karma.conf*",
    "jest.config*",
    "webpack.config*",
    "package.json",
)
_DATA_SUFFIXES = frozenset({".json", ".json5", ".jsonc", ".yml", ".yaml", ".toml", ".html"})
# Tool conventions for plugin packages named without their prefix in config files.
_SHORT_NAME_RULES: tuple[tuple[re.Pattern[str], str, str], ...] = (
    (re.compile(r"^eslint-plugin-(.+)$"), r"\1", "ESLint"),
    (re.compile(r"^(@[^/]+)/eslint-plugin(?:-(.+))?$"), r"\1", "ESLint"),
    (re.compile(r"^eslint-config-(.+)$"), r"\1", "ESLint"),
    (re.compile(r"^(@[^/]+)/eslint-config(?:-(.+))?$"), r"\1", "ESLint"),
    (re.compile(r"^babel-plugin-(.+)$"), r"\1", "Babel"),
    (re.compile(r"^babel-preset-(.+)$"), r"\1", "Babel"),
    (re.compile(r"^@babel/plugin-(.+)$"), r"@babel/\1", "Babel"),
    (re.compile(r"^@babel/preset-(.+)$"), r"@babel/\1", "Babel"),
    (re.compile(r"^prettier-plugin-(.+)$"), r"\1", "Prettier"),
    (re.compile(r"^stylelint-config-(.+)$"), r"\1", "Stylelint"),
    (re.compile(r"^karma-(.+?)(?:-launcher)?$"), r"\1", "Karma"),
)


def _bindings(clause: str) -> list[tuple[str, str]]:
    """`_, { template as t, merge }` / `{ a: b }` / `* as ns` → (imported, local) pairs."""
    pairs: list[tuple[str, str]] = []
    clause = clause.strip()
    braces = re.search(r"\{([^}]*)\}", clause)
    if braces:
        for part in braces.group(1).split(","):
            m = re.match(r"\s*(?:type\s+)?([\w$]+)\s*(?:(?:as|:)\s*([\w$]+))?", part)
            if m:
                pairs.append((m.group(1), m.group(2) or m.group(1)))
        clause = clause[: braces.start()] + clause[braces.end() :]
    star = re.search(r"\*\s+as\s+([\w$]+)", clause)
    if star:
        pairs.append(("*", star.group(1)))
        clause = clause[: star.start()] + clause[star.end() :]
    for word in re.findall(r"[\w$]+", clause):
        if word not in {"type", "as"}:
            pairs.append(("default", word))
    return pairs


def _json_strings(value: Any) -> Iterable[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, dict):
        for key, item in value.items():
            yield str(key)
            yield from _json_strings(item)
    elif isinstance(value, list):
        for item in value:
            yield from _json_strings(item)


def _leading_package(arg: str) -> str | None:
    """The package a computed specifier's literal prefix already fixes (`'moment/locale/'+x`)."""
    m = re.match(r"""['"`]((?:@[\w.\-]+/)?[\w.\-]+)/""", arg)
    return m.group(1).lower() if m else None


class Npm(Ecosystem):
    name = "npm"
    shebang_words = ("node", "deno", "bun", "ts-node", "tsx")
    source_suffixes = frozenset(
        {".js", ".jsx", ".ts", ".tsx", ".mjs", ".cjs", ".mts", ".cts", ".vue", ".svelte"}
        | {".astro", ".coffee", ".litcoffee", ".iced", ".es6", ".es", ".ls", ".marko"}
    )
    manifest_patterns = (
        "package.json",
        "package-lock.json",
        "npm-shrinkwrap.json",
        "yarn.lock",
        "pnpm-lock.yaml",
        "bun.lock",
    )
    lockfile_patterns = manifest_patterns[1:]
    test_dirs = frozenset({"spec", "specs"})  # Jasmine's and Mocha's

    def __init__(self, package: str) -> None:
        super().__init__(package)
        self.names = {package.strip().lower()}
        self._literal: re.Pattern[str] | None = None
        self._shorts = self._short_names()

    def _short_names(self) -> list[tuple[str, str]]:
        found = []
        for rule, template, tool in _SHORT_NAME_RULES:
            m = rule.match(self.package.lower())
            if m:
                found.append((m.expand(template), tool))
        return found

    def name_forms(self) -> NameForms:
        return NameForms(folded=tuple(sorted(self.names)))

    def forms(self) -> str:
        names = " or ".join(repr(n) for n in sorted(self.names))
        return f"require/import/export of {names} or a subpath, in any string literal"

    # ---- manifests
    def learn(self, rel: str, text: str) -> None:
        if PurePosixPath(rel).name != "package.json":
            return
        # "my-lodash": "npm:lodash@^4" installs lodash under another name.
        alias = re.compile(
            rf'"([^"\n]+)"\s*:\s*"npm:{re.escape(self.package)}(?:@[^"\n]*)?"', re.IGNORECASE
        )
        for match in alias.finditer(text):
            local = match.group(1).lower()
            if local not in self.names:
                self.names.add(local)
                self.notes.append(f"{rel} installs {self.package} under the alias {local!r}.")
        self._literal = None

    def declares(self, rel: str, text: str) -> bool:
        pkg = re.escape(self.package)
        name = PurePosixPath(rel).name
        if name.endswith(".json") or name == "bun.lock":
            pattern = rf'"(?:[^"\n]*node_modules/)?{pkg}"\s*:|"npm:{pkg}(?:@|")|"{pkg}@'
        elif name == "yarn.lock":
            pattern = rf"""(?m)(?:^|[\s,"'])"?{pkg}(?=@|"?:?\s)"""
        else:  # pnpm-lock.yaml: `/pkg@1.0.0:`, `/pkg/1.0.0:`, `pkg@1.0.0:`, `pkg: 1.0.0`
            pattern = rf"""(?m)^\s*['"]?/?{pkg}(?=@|/\d|['"]?:)"""
        return re.search(pattern, text, re.IGNORECASE) is not None

    def declares_directly(self, rel: str, text: str) -> bool:
        if PurePosixPath(rel).name != "package.json":
            return False
        direct, _dev = npm_locks.direct_from_package_json(text, self.normalize)
        return self.package.lower() in direct

    def manifest_mentions(self, rel: str, text: str) -> list[int]:
        """package.json naming it outside its dependency sections and `name`: scripts that
        run its CLI, eslint/babel/jest/prettier config that loads it as a plugin."""
        if PurePosixPath(rel).name != "package.json":
            return []
        try:
            document = json.loads(text)
        except ValueError:
            document = None
        words = re.compile(
            rf"(?<![\w.\-@])(?:{alternation(self.names)})(?![\w\-]|\.\w)", re.IGNORECASE
        )
        if not isinstance(document, dict):  # unparsable: every occurrence counts
            return [m.start() for m in words.finditer(text)]
        found: list[int] = []
        for key, value in document.items():
            if key in _NOT_MENTIONS:
                continue
            for string in _json_strings({key: value}):
                if words.search(string) or self._short_hit(string):
                    encoded = json.dumps(string)[1:-1]
                    at = text.find(encoded)
                    found.append(max(at, 0))
        return found

    def direct_declarations(self, rel: str, text: str) -> tuple[set[str], set[str]] | None:
        if PurePosixPath(rel).name != "package.json":
            return None
        return npm_locks.direct_from_package_json(text, self.normalize)

    def lockfile_graph(self, rel: str, text: str) -> DependencyGraph | None:
        return npm_locks.parse(rel, text, self.normalize) if self.is_lockfile(rel) else None

    # ---- code
    def _literal_regex(self) -> re.Pattern[str]:
        # Any string literal naming the package or a subpath of it. `lodash.template` is
        # another package: the literal must end right after the name or continue with `/`.
        if self._literal is None:
            self._literal = re.compile(
                rf"(?P<q>['\"`])(?P<spec>(?:{alternation(self.names)})(?:/[^'\"`\n]*)?)(?P=q)",
                re.IGNORECASE,
            )
        return self._literal

    def _is_ours(self, spec: str) -> bool:
        spec = spec.lower()
        return any(spec == n or spec.startswith(n + "/") for n in self.names)

    def find_imports(self, rel: str, text: str) -> list[Hit]:
        bindings: dict[int, list[tuple[str, str]]] = {}
        for m in _IMPORT_CLAUSE.finditer(text):
            spec = m.group("spec") or m.group("espec") or m.group("rspec")
            clause = m.group("clause") or m.group("eclause") or m.group("rclause")
            if not self._is_ours(spec):
                continue
            key = "spec" if m.group("spec") else "espec" if m.group("espec") else "rspec"
            pairs = _bindings(clause)
            # `const tpl = require('lodash/template')`: the default export is the function.
            last = re.split(r"[/.]", spec)[-1].lower()
            pairs += [(last, local) for imported, local in pairs if imported == "default"]
            bindings[m.start(key)] = pairs
        return [
            Hit(m.start("spec"), tuple(bindings.get(m.start("spec"), ())))
            for m in self._literal_regex().finditer(text)
        ]

    def computed_imports(self, rel: str, text: str) -> list[int]:
        if "require" not in text and "import" not in text:
            return []
        found = []
        for m in _COMPUTED.finditer(text):
            arg = m.group("arg").strip()
            if not arg or _LOCAL_ARG.match(arg):
                continue
            fixed = _leading_package(arg)
            if fixed is not None and fixed not in self.names:
                continue  # `'moment/locale/' + x` can only load moment
            found.append(m.start())
        return found

    def _short_hit(self, string: str) -> str | None:
        for short, tool in self._shorts:
            s = string.lower()
            if s == short or s.startswith((f"plugin:{short}/", f"{short}/")):
                return tool
        return None

    def loaders(self, rel: str, text: str) -> list[Loaded]:
        found: list[Loaded] = []
        lower = text.lower()
        for name in self.names:
            marker = f"node_modules/{name}"
            start = lower.find(marker)
            while start != -1:
                end = start + len(marker)
                if end == len(lower) or lower[end] in "/\"'` \n)":
                    found.append(Loaded(start, f"a path into node_modules/{name}"))
                start = lower.find(marker, end)
        suffix = PurePosixPath(rel).suffix.lower()
        if suffix in _DATA_SUFFIXES and not self.is_manifest(rel):
            found += [
                Loaded(m.start("spec"), f"a module name in {PurePosixPath(rel).name}")
                for m in self._literal_regex().finditer(text)
            ]
        if self._shorts and matches(_CONFIG_FILES, rel):
            for m in re.finditer(r"""(['"`])([^'"`\n]{1,200})\1""", text):
                tool = self._short_hit(m.group(2))
                if tool:
                    found.append(Loaded(m.start(), f"{tool} config names it by its short name"))
            name = PurePosixPath(rel).name.lower()
            if (
                name.startswith("karma.conf")
                and self.package.lower().startswith("karma-")
                and not re.search(r"\bplugins\s*:", text)
            ):
                found.append(Loaded(0, "Karma loads every installed karma-* package by default"))
        return found

    def loader_needles(self) -> tuple[str, ...]:
        return tuple(short for short, _tool in self._shorts)

    def runtime_doubt(self) -> str | None:
        if self.package.lower() in _DB_DRIVERS:
            return (
                f"{self.package} is a database driver that ORMs (Sequelize, TypeORM, Knex) load "
                "by dialect name, without an import in this code"
            )
        return None
