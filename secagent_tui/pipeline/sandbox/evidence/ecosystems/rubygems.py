"""RubyGems: a gem's require path often differs from its name (`activesupport` is
`active_support`), and Rails loads most gems without any `require` at all.

`Bundler.require` (in every Rails app's `config/application.rb`) requires each gem of the
Gemfile that is outside the development/test groups and not `require: false`, and
`require "rails/all"` loads every Rails framework. Require paths come from the shipped table
(`names.gem_require_paths`); other gems are searched under derived paths and cannot be
proven unused.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import PurePosixPath

from ..graph import DependencyGraph
from ..lockfiles import rubygems as gem_locks
from ..names import gem_require_paths
from ..text import alternation
from .base import Ecosystem, Hit, Loaded, NameForms

_GEM = re.compile(r"""^\s*gem\s*\(?\s*(['"])(?P<name>[^'"]+)\1(?P<rest>.*)$""")
_GROUP = re.compile(r"^\s*group\s*\(?(?P<groups>[^)]*?)\)?\s*do\b")
_BLOCK_OPEN = re.compile(r"(?:\bdo\b\s*(?:\|[^|]*\|)?\s*$)|^\s*(?:if|unless|case|begin|while)\b")
_DEV_GROUPS = frozenset({"development", "test"})
_RAILS_FRAMEWORKS = frozenset(
    {
        "activesupport",
        "activerecord",
        "actionpack",
        "actionview",
        "actionmailer",
        "activejob",
        "activemodel",
        "activestorage",
        "actioncable",
        "actiontext",
        "actionmailbox",
        "railties",
    }
)
_RUNTIME: dict[str, str] = {
    **dict.fromkeys(
        ("puma", "unicorn", "thin", "passenger", "falcon", "webrick"),
        "a server normally run as a program (Procfile, Dockerfile, bin/rails server)",
    ),
    **dict.fromkeys(
        ("pg", "mysql2", "sqlite3", "trilogy"),
        "a database adapter that ActiveRecord loads from config/database.yml",
    ),
}
_COMPUTED = re.compile(
    r"""\brequire(?!_)\s*\(?\s*(?P<arg>"[^"\n]*#\{[^\n]{0,200}|[A-Za-z_@$][^\n]{0,200})"""
    r"|\.(?:safe_)?constantize\b|\bconst_get\s*\("
)
_LOCAL_ARG = re.compile(
    r"""^(?:File\.|Rails\.root|__dir__|Pathname|"#\{(?:__dir__|Rails\.root|File\.|Dir\.|root)"""
    r"""|"\.{1,2}/|(?:then|if|unless|and|or|&&|\|\|)\b)"""
)


@dataclass(frozen=True)
class GemEntry:
    where: str  # Gemfile:line
    groups: frozenset[str]
    autorequire: bool  # not `require: false`

    @property
    def dev_only(self) -> bool:
        return bool(self.groups) and self.groups <= _DEV_GROUPS


class Rubygems(Ecosystem):
    name = "rubygems"
    source_suffixes = frozenset(
        {".rb", ".rake", ".gemspec", ".erb", ".ru", ".jbuilder", ".builder", ".haml", ".slim"}
        | {".thor", ".arb", ".rabl"}
    )
    source_names = frozenset(
        {"Gemfile", "gems.rb", "Rakefile", "Capfile", "Guardfile", "Vagrantfile", "Thorfile"}
    )
    shebang_words = ("ruby",)
    manifest_patterns = ("Gemfile", "gems.rb", "Gemfile.lock", "gems.locked", "*.gemspec")
    lockfile_patterns = ("Gemfile.lock", "gems.locked")
    test_dirs = frozenset({"spec", "specs"})
    test_patterns = ("features/*",)  # Cucumber's top-level folder, not app/features/
    bare_calls = True

    def __init__(self, package: str) -> None:
        super().__init__(package)
        self.gem = package.strip()
        lower = self.gem.lower()
        known = gem_require_paths(lower)
        self.certain = known is not None
        if known:
            names = set(known)
        else:
            names = {lower, lower.replace("-", "/"), lower.replace("-", "_")}
            for affix in ("ruby-", "ruby_"):
                if lower.startswith(affix):
                    names.add(lower[len(affix) :])
        self.require_names = names
        self.entries: list[GemEntry] = []

    def name_forms(self) -> NameForms:
        why = (
            ""
            if self.certain
            else (
                f"the require paths of {self.gem} are not known (it is not in the table of gems "
                f"built from package metadata; searched {', '.join(sorted(self.require_names))})"
            )
        )
        return NameForms((self.gem,), tuple(sorted(self.require_names)), self.certain, why)

    def forms(self) -> str:
        return f"require/autoload of {', '.join(sorted(self.require_names))}"

    # ---- manifests
    def learn(self, rel: str, text: str) -> None:
        if PurePosixPath(rel).name not in {"Gemfile", "gems.rb"}:
            return
        stack: list[frozenset[str]] = []
        for number, raw in enumerate(text.splitlines(), 1):
            line = re.sub(r"\s#.*$|^#.*$", "", raw)
            group = _GROUP.match(line)
            if group:
                stack.append(frozenset(re.findall(r"\w+", group.group("groups"))))
                continue
            gem = _GEM.match(line)
            if gem and gem.group("name").lower() == self.gem.lower():
                rest = gem.group("rest")
                groups = set().union(*stack) if stack else set()
                inline = re.search(r"\bgroups?\s*(?::|=>)\s*(\[[^\]]*\]|:\w+|['\"]\w+['\"])", rest)
                if inline:
                    groups |= set(re.findall(r"\w+", inline.group(1)))
                off = re.search(r"\brequire\s*(?::|=>)\s*(false|nil)\b", rest) is not None
                custom = re.search(r"\brequire\s*(?::|=>)\s*(['\"])([^'\"]+)\1", rest)
                if custom:
                    self.require_names.add(custom.group(2))
                    self.notes.append(f"{rel}:{number} requires the gem as {custom.group(2)!r}.")
                entry = GemEntry(f"{rel}:{number}", frozenset(groups), not off)
                self.entries.append(entry)
                if entry.dev_only or off:
                    self.notes.append(
                        f"{entry.where} lists {self.gem} only for development/test or with "
                        "require: false, so Bundler.require does not load it in production."
                    )
            if _BLOCK_OPEN.search(line):
                stack.append(frozenset())
            elif re.match(r"^\s*end\b", line) and stack:
                stack.pop()

    def declares(self, rel: str, text: str) -> bool:
        gem = re.escape(self.gem)
        if PurePosixPath(rel).name.lower() in {"gemfile.lock", "gems.locked"}:
            pattern = rf"(?m)^\s+{gem}(?:\s+\(|!?\s*$)"
        else:
            pattern = rf"""(['"]){gem}\1"""
        return re.search(pattern, text, re.IGNORECASE) is not None

    def direct_declarations(self, rel: str, text: str) -> tuple[set[str], set[str]] | None:
        if PurePosixPath(rel).name not in {"Gemfile", "gems.rb"}:
            return None
        return gem_locks.direct_from_gemfile(text, self.normalize)

    def lockfile_graph(self, rel: str, text: str) -> DependencyGraph | None:
        return gem_locks.parse(rel, text, self.normalize) if self.is_lockfile(rel) else None

    # ---- code
    def _spec(self, group: int) -> str:
        names = alternation(self.require_names)
        return rf"""(['"])(?:{names})(?:/[^'"\n]*)?\{group}"""

    def find_imports(self, rel: str, text: str) -> list[Hit]:
        # require 'x' / require("x/sub") / Kernel.require; autoload :X, 'x/y'.
        # require_relative is the repository's own code and does not match.
        pattern = rf"\brequire\s*\(?\s*{self._spec(1)}|\bautoload\b[^\n]{{0,300}}?{self._spec(2)}"
        hits = [Hit(m.start()) for m in re.finditer(pattern, text, re.IGNORECASE)]
        if not self.is_manifest(rel):  # `gem 'x'` activates the gem outside a Gemfile
            gem = rf"""\bgem\s*\(?\s*(['"]){re.escape(self.gem)}\1"""
            hits += [Hit(m.start()) for m in re.finditer(gem, text, re.IGNORECASE)]
        return hits

    def computed_imports(self, rel: str, text: str) -> list[int]:
        found = []
        for m in _COMPUTED.finditer(text):
            arg = (m.group("arg") or "").strip()
            if arg and _LOCAL_ARG.match(arg):
                continue
            fixed = re.match(r'"([\w\-]+)/', arg) if arg else None
            if fixed and fixed.group(1) not in {n.split("/")[0] for n in self.require_names}:
                continue  # `require "foo/#{x}"` can only load foo/*
            found.append(m.start())
        return found

    def _autorequired(self) -> GemEntry | None:
        """A Gemfile entry Bundler.require loads: not dev/test-only, not `require: false`."""
        return next((e for e in self.entries if e.autorequire and not e.dev_only), None)

    def loaders(self, rel: str, text: str) -> list[Loaded]:
        found: list[Loaded] = []
        if "Bundler.require" in text:
            entry = self._autorequired()
            if entry is not None:
                found += [
                    Loaded(
                        m.start(), f"Bundler.require loads every default-group gem ({entry.where})"
                    )
                    for m in re.finditer(r"\bBundler\.require\b", text)
                ]
        if self.gem.lower() in _RAILS_FRAMEWORKS and "rails/all" in text:
            found += [
                Loaded(m.start(), "require 'rails/all' loads every Rails framework")
                for m in re.finditer(r"""\brequire\s*\(?\s*['"]rails/all['"]""", text)
            ]
        return found

    def loader_needles(self) -> tuple[str, ...]:
        return ("bundler.require", "rails/all")

    def runtime_doubt(self) -> str | None:
        why = _RUNTIME.get(self.gem.lower())
        return f"{self.gem} is {why}" if why else None
