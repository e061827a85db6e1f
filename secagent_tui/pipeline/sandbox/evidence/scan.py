"""One pass over every file of the clone, for one or more packages of one ecosystem.

The scan knows no ecosystem by name: each `Target` carries its ecosystem module, and the
scan only asks it questions. What it finds is sorted into kinds that mean different things
to the decision: an *import* or a *loader* is use; a *mention* (the name anywhere else,
configuration strings and docs included) or a *computed import* is a doubt; any of these
under a test path is test use. Several targets share the pass so that the dependents of a
transitive package are judged on the same reading of the tree.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath

from .calls import Vulnerable, calls_in
from .ecosystems import Ecosystem
from .paths import is_test_path
from .reading import read_text
from .text import Lines, token_regex

# Dependency bots' configuration names packages to ignore or group, never to load.
BOT_FILES = frozenset(
    {"dependabot.yml", "dependabot.yaml", "renovate.json", "renovate.json5", ".renovaterc"}
    | {".renovaterc.json", ".snyk"}
)


@dataclass
class Target:
    """One package and everything the pass found of it."""

    eco: Ecosystem
    declared_in: set[str] = field(default_factory=set)  # manifests that declare it
    imports: list[str] = field(default_factory=list)
    loaders: list[str] = field(default_factory=list)
    mentions: list[str] = field(default_factory=list)
    computed: list[str] = field(default_factory=list)
    test_uses: list[str] = field(default_factory=list)
    test_computed: list[str] = field(default_factory=list)
    bindings: list[tuple[str, str]] = field(default_factory=list)
    importing: set[str] = field(default_factory=set)
    sources: int = 0  # files in the ecosystem's languages

    def __post_init__(self) -> None:
        forms = self.eco.name_forms()
        self.forms = forms
        # Prefilter substrings: every spelling of `a.b.c` contains `c`
        # (`from a.b import c`), so a dotted name's last part is what must appear.
        exact_tails = (t.rsplit(".", 1)[-1] for t in forms.exact)
        self.needles = sorted({t.lower() for t in (*forms.folded, *exact_tails) if t})
        self.folded = token_regex(forms.folded, ignore_case=True, dot_after=False)
        self.exact = token_regex(forms.exact, ignore_case=False, dot_after=True)
        self.loader_needles = tuple(n.lower() for n in self.eco.loader_needles())

    def name_matches(self, text: str) -> Iterable[int]:
        for regex in (self.folded, self.exact):
            if regex is not None:
                yield from (m.start() for m in regex.finditer(text))


@dataclass
class ScanResult:
    files_read: int = 0
    opaque: dict[str, int] = field(default_factory=dict)  # binary kind → files skipped
    unreadable: dict[str, str] = field(default_factory=dict)  # rel → why
    readable_sources: list[tuple[str, Path]] = field(default_factory=list)


def scan(
    files: list[tuple[str, Path]],
    targets: list[Target],
    vulnerable: Vulnerable,
    *,
    max_file_bytes: int,
    aliases: dict[str, list[str]] | None = None,
) -> tuple[ScanResult, list[str]]:
    """Read each file once; return what was read and the vulnerable calls of targets[0]."""
    result = ScanResult()
    calls: list[str] = []
    primary = targets[0]
    qualified = vulnerable.qualified_regex()
    call_needles = [n.lower() for n in vulnerable.shorts]
    for rel, path in files:
        name = PurePosixPath(rel).name
        _path_mentions(rel, targets)
        if name.lower() in BOT_FILES:
            continue
        read = read_text(path, max_file_bytes)
        if read.text is None:
            if read.opaque:
                result.opaque[read.opaque] = result.opaque.get(read.opaque, 0) + 1
            else:
                result.unreadable[rel] = read.why
            continue
        text = read.text
        result.files_read += 1
        lower = text.lower()
        eco = primary.eco
        test = all(
            is_test_path(path_, eco.test_dirs, eco.test_patterns)
            for path_ in (rel, *(aliases or {}).get(rel, ()))
        )
        source = primary.eco.is_source(rel, text)
        if source:
            result.readable_sources.append((rel, path))
        lines = Lines(text)
        for target in targets:
            found = _scan_file(target, rel, text, lower, lines, source=source, test=test)
            if found is not None and target is primary and vulnerable:
                local = vulnerable.shorts | vulnerable.aliases(found)
                calls += calls_in(
                    Vulnerable.call_regex(local, primary.eco.bare_calls), text, rel, lines
                )
        if (
            rel not in primary.importing
            and qualified is not None
            and any(n in lower for n in call_needles)
        ):
            calls += calls_in(qualified, text, rel, lines)
    calls += _calls_through_aliases(primary, vulnerable, result, max_file_bytes)
    return result, calls


def _path_mentions(rel: str, targets: list[Target]) -> None:
    """A file whose *path* names the package (`lib/snakeyaml-1.33.jar`, a vendored copy).
    Only package names count here: a local `app/yaml.py` is not PyYAML."""
    lower = rel.lower()
    for target in targets:
        regex = target.folded
        if (
            regex is not None
            and any(n in lower for n in target.needles)
            and regex.search(rel)
            and not target.eco.is_manifest(rel)
        ):
            target.mentions.append(rel)


def _scan_file(
    target: Target,
    rel: str,
    text: str,
    lower: str,
    lines: Lines,
    *,
    source: bool,
    test: bool,
) -> list[tuple[str, str]] | None:
    """Record one file's finds for one target; the bindings of its imports, None if none."""
    eco = target.eco
    if source:
        target.sources += 1
        for offset in eco.computed_imports(rel, text):
            (target.test_computed if test else target.computed).append(f"{rel}:{lines(offset)}")
    named = any(n in lower for n in target.needles)
    loading = named or any(n in lower for n in target.loader_needles)
    if not loading:
        return None
    used_lines: set[int] = set()
    bindings: list[tuple[str, str]] | None = None
    uses = target.test_uses
    if named and source:
        hits = eco.find_imports(rel, text)
        if hits:
            bindings = []
            for hit in hits:
                line = lines(hit.offset)
                used_lines.add(line)
                (uses if test else target.imports).append(f"{rel}:{line}")
                bindings.extend(hit.bindings)
            target.importing.add(rel)
            target.bindings.extend(bindings)
    # A manifest that declares the package names it as a declaration, never a loader.
    declared = rel in target.declared_in
    loaded_here = eco.manifest_loaders(rel, text) if declared else eco.loaders(rel, text)
    for loaded in loaded_here:
        line = lines(loaded.offset)
        used_lines.add(line)
        entry = f"{rel}:{line} ({loaded.loader})"
        (uses if test else target.loaders).append(entry)
    if not named:
        return bindings
    if declared:
        offsets: Iterable[int] = eco.manifest_mentions(rel, text)
    else:
        offsets = target.name_matches(text)
    for offset in offsets:
        line = lines(offset)
        if line not in used_lines:
            (uses if test else target.mentions).append(f"{rel}:{line}")
    return bindings


def _calls_through_aliases(
    target: Target, vulnerable: Vulnerable, result: ScanResult, max_file_bytes: int
) -> list[str]:
    """Names bound from the package (destructuring, named imports, aliases) may be
    re-exported and called anywhere: look for their calls in every other source file."""
    if not vulnerable:
        return []
    anywhere = vulnerable.aliases(target.bindings)
    regex = Vulnerable.call_regex(anywhere, target.eco.bare_calls)
    if regex is None:
        return []
    lowered = [a.lower() for a in anywhere]
    calls: list[str] = []
    for rel, path in result.readable_sources:
        if rel in target.importing:
            continue
        text = read_text(path, max_file_bytes).text
        if text is not None and any(a in text.lower() for a in lowered):
            calls += calls_in(regex, text, rel, Lines(text))
    return calls
