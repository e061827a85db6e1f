"""Go: a module is imported by its path, so the name form is certain.

Any Go string naming the module or a package below it is an import (grouped imports,
aliases, `_` blank imports that register a driver, `.` imports); `//go:generate` lines run
it at build time. go.mod marks indirect requirements but draws no edges, so an indirect
module can never be shown unreachable here.
"""

from __future__ import annotations

import re

from .base import Ecosystem, Hit, Loaded, NameForms

_GENERATE = re.compile(r"^[ \t]*//go:generate\b.*$", re.MULTILINE)


class Go(Ecosystem):
    name = "go"
    source_suffixes = frozenset({".go", ".tmpl"})
    manifest_patterns = (
        "go.mod",
        "go.sum",
        "go.work",
        "go.work.sum",
        "vendor/modules.txt",
        "*/vendor/modules.txt",
        "Gopkg.toml",
        "Gopkg.lock",
    )
    lockfile_patterns = ("go.sum", "go.work.sum", "vendor/modules.txt", "*/vendor/modules.txt")
    lockfile_patterns += ("Gopkg.lock",)

    def __init__(self, package: str) -> None:
        super().__init__(package)
        self.module = package.strip().rstrip("/")
        self._literal = re.compile(
            rf"(?P<q>[\"`])(?P<spec>{re.escape(self.module)}(?:/[^\"`\n]*)?)(?P=q)", re.IGNORECASE
        )
        self._word = re.compile(rf"(?<![\w.\-/]){re.escape(self.module)}(?![\w\-]|\.\w)", re.I)

    def name_forms(self) -> NameForms:
        return NameForms((self.module,))

    def forms(self) -> str:
        return f"import paths {self.module} and {self.module}/..."

    def declares(self, rel: str, text: str) -> bool:
        pattern = rf"(?<![\w./-]){re.escape(self.module)}(?=[\s\"@]|$)"
        return re.search(pattern, text, re.IGNORECASE | re.MULTILINE) is not None

    def declares_directly(self, rel: str, text: str) -> bool:
        if not rel.endswith(("go.mod", "Gopkg.toml")):
            return False
        pattern = rf"(?m)^(?:require\s+|\s+){re.escape(self.module)}\s+v\S*\s*(?P<rest>.*)$"
        return any("indirect" not in m.group("rest") for m in re.finditer(pattern, text, re.I))

    def find_imports(self, rel: str, text: str) -> list[Hit]:
        return [Hit(m.start("spec")) for m in self._literal.finditer(text)]

    def loaders(self, rel: str, text: str) -> list[Loaded]:
        if "go:generate" not in text:
            return []
        return [
            Loaded(m.start(), "//go:generate runs it at build time")
            for m in _GENERATE.finditer(text)
            if self._word.search(m.group())
        ]
