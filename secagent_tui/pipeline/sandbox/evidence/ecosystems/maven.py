"""Maven: an artifact is imported through its Java packages, which its name does not say.

`org.yaml:snakeyaml` is `org.yaml.snakeyaml`; the table in `maven_tables` holds the known
ones, and any other artifact's prefixes are guesses that cannot prove absence. JVM
frameworks load a great deal without an import: JDBC drivers from a URL, the servers and
libraries a Spring Boot starter brings, classes named in XML or properties, services.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from ..text import alternation
from .base import Ecosystem, Hit, Loaded, NameForms
from .maven_tables import JDBC_SCHEMES, MAVEN_PACKAGES, MAVEN_RUNTIME, SPRING_STARTERS, lookup

_COMPUTED = re.compile(
    r"(?:\bClass\.forName|\.loadClass)\s*\(\s*(?!\"[^\"\n]*\"\s*[,)])(?P<arg>[^)\n]{0,200})"
)
_CONFIG_SUFFIXES = frozenset({".xml", ".properties", ".yml", ".yaml", ".conf", ".json"})


class Maven(Ecosystem):
    name = "maven"
    source_suffixes = frozenset(
        {".java", ".kt", ".kts", ".scala", ".sc", ".groovy", ".gvy", ".gy", ".jsp", ".clj"}
    )
    manifest_patterns = (
        "pom.xml",
        "*.pom",
        "build.gradle",
        "build.gradle.kts",
        "*.gradle",
        "*.gradle.kts",
        "gradle.lockfile",
        "*.lockfile",
        "libs.versions.toml",
        "ivy.xml",
        "build.sbt",
    )
    lockfile_patterns = ("gradle.lockfile", "*.lockfile")
    # Maven's layout puts tests in src/test/ (a shared test folder) and src/it/; class names
    # ending in Test are not used, since Latest.java and Manifest.java end so too.
    test_patterns = ("src/it/*", "*/src/it/*")

    def __init__(self, package: str) -> None:
        super().__init__(package)
        group, _, artifact = package.partition(":")
        self.group, self.artifact = group.strip(), artifact.strip()
        known = [p for ps in lookup(MAVEN_PACKAGES, self.group, self.artifact) for p in ps]
        self.certain = bool(known)
        self.prefixes = sorted(set(known)) if known else sorted(self._guesses())
        self._regex = re.compile(
            rf"(?<![\w.$])(?:{alternation(self.prefixes)})(?=\s*[.;*]|[ \t]*$)", re.MULTILINE
        )
        self._config = re.compile(rf"(?<![\w.$])(?:{alternation(self.prefixes)})\.[A-Za-z_]")

    def _guesses(self) -> set[str]:
        guesses = {self.group}
        clean = re.sub(r"[^\w.-]", "", self.artifact)
        if clean:
            guesses |= {
                f"{self.group}.{clean.replace('-', '.')}",
                f"{self.group}.{clean.replace('-', '')}",
                f"{self.group}.{clean.replace('-', '_')}",
            }
        return {g.strip(".") for g in guesses if g.strip(".")}

    def name_forms(self) -> NameForms:
        folded = [f"{self.group}:{self.artifact}"]
        if len(self.artifact) >= 5:
            folded.append(self.artifact)
        exact = [*self.prefixes, *(p.replace(".", "/") for p in self.prefixes)]
        why = (
            ""
            if self.certain
            else (
                f"the Java packages of {self.package} are not known (it is not in the table of "
                f"artifacts; searched the guessed prefixes {', '.join(self.prefixes)})"
            )
        )
        return NameForms(tuple(folded), tuple(exact), self.certain, why)

    def forms(self) -> str:
        return f"imports and qualified uses of {', '.join(self.prefixes)}"

    def declares(self, rel: str, text: str) -> bool:
        if f"{self.group}:{self.artifact}".lower() in text.lower():
            return True
        group = re.search(rf"(?<![\w.-]){re.escape(self.group)}(?![\w-]|\.\w)", text, re.I)
        artifact = re.search(rf"(?<![\w.-]){re.escape(self.artifact)}(?![\w-]|\.\w)", text, re.I)
        return bool(group) and (not self.artifact or artifact is not None)

    def find_imports(self, rel: str, text: str) -> list[Hit]:
        # `import a.b.C;`, `import static a.b.C.m;`, `import a.b.*;`, Kotlin/Scala imports,
        # fully-qualified use `a.b.C.m(`, `Class.forName("a.b.C")`, and `package a.b;`.
        # A build script (build.gradle.kts) names group ids as declarations, not imports.
        if self.is_manifest(rel):
            return []
        return [Hit(m.start()) for m in self._regex.finditer(text)]

    def computed_imports(self, rel: str, text: str) -> list[int]:
        found = []
        for m in _COMPUTED.finditer(text):
            arg = m.group("arg").strip()
            fixed = re.match(r'"([\w.]+)\.[\w$]*"\s*\+', arg)
            if fixed and not any(
                fixed.group(1).startswith(p) or p.startswith(fixed.group(1) + ".")
                for p in self.prefixes
            ):
                continue  # `Class.forName("com.acme.plugins." + x)` loads com.acme.plugins.*
            found.append(m.start())
        return found

    def loaders(self, rel: str, text: str) -> list[Loaded]:
        found: list[Loaded] = []
        lower = text.lower()
        for scheme, group, artifact in JDBC_SCHEMES:
            if lookup([(group, artifact, True)], self.group, self.artifact):
                found += [
                    Loaded(m.start(), f"a jdbc:{scheme} URL loads the driver")
                    for m in re.finditer(rf"\bjdbc:{scheme}:", lower)
                ]
        if self.is_manifest(rel):
            found += self.manifest_loaders(rel, text)
        name = PurePosixPath(rel).name
        in_services = "/meta-inf/services/" in f"/{rel.lower()}"
        configured = PurePosixPath(name).suffix.lower() in _CONFIG_SUFFIXES or in_services
        if configured and not self.is_manifest(rel):
            found += [
                Loaded(m.start(), "a class named in configuration")
                for m in self._config.finditer(text)
            ]
        return found

    def manifest_loaders(self, rel: str, text: str) -> list[Loaded]:
        """A Spring Boot starter in the build brings and starts what it names."""
        found: list[Loaded] = []
        lower = text.lower()
        for starter, brings in SPRING_STARTERS:
            if any(lookup([("*", b, True)], self.group, self.artifact) for b in brings):
                body = re.escape(starter).replace(r"\*", r"[\w-]+")
                pattern = rf"(?<![\w-]){body}(?![\w-])"
                found += [
                    Loaded(m.start(), f"Spring Boot's {m.group()} brings and starts it")
                    for m in re.finditer(pattern, lower)
                ]
        return found

    def loader_needles(self) -> tuple[str, ...]:
        return ("jdbc:", "spring-boot-starter")

    def runtime_doubt(self) -> str | None:
        found = lookup(MAVEN_RUNTIME, self.group, self.artifact)
        return f"{self.package} is {found[0]}" if found else None
