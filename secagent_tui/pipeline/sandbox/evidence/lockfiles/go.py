"""Go modules: go.mod's direct requirements (go.mod records no edges; go.sum none either).

Why the graph is edge-less: go.mod lists every module in the build list, marking the ones the
main module does not import itself `// indirect`, but it never says which module pulled an
indirect one in. So only `direct` is filled, and indirect modules are deliberately left out
of the graph altogether: `knows()` is False for them and the caller must treat them as "no
dependency graph" rather than as unreachable. go.sum only holds checksums and yields None.
"""

from __future__ import annotations

from collections.abc import Callable
from pathlib import PurePosixPath

from secagent_tui.pipeline.sandbox.evidence.graph import (
    DependencyGraph,
    untrusted_reader,
)

Normalize = Callable[[str], str]


def parse(rel: str, text: str, normalize: Normalize) -> DependencyGraph | None:
    """Read go.mod at repo-relative `rel`; go.sum and anything else give None."""
    if PurePosixPath(rel).name == "go.mod":
        return parse_go_mod(rel, text, normalize)
    return None


def _requirement(line: str) -> str:
    """Module path of a `path version [// comment]` line, or "" when indirect or malformed."""
    body, _, comment = line.partition("//")
    if comment.strip().startswith("indirect"):
        return ""
    fields = body.split()
    if len(fields) != 2:
        return ""
    return fields[0].strip('"')


@untrusted_reader
def parse_go_mod(rel: str, text: str, normalize: Normalize) -> DependencyGraph | None:
    """`require (...)` blocks and single `require path version` lines, minus `// indirect`."""
    graph = DependencyGraph(sources=[rel])
    in_require = False
    for raw_line in text.splitlines():
        line = raw_line.strip()
        if in_require:
            if line.startswith(")"):
                in_require = False
                continue
            module = _requirement(line)
        elif line.startswith("require") and line[len("require") : len("require") + 1] in " \t(":
            rest = line[len("require") :].strip()
            if rest.startswith("("):
                in_require = True
                rest = rest[1:].strip()
                if rest.endswith(")"):  # `require ( a v1 )` on one line
                    in_require = False
                    rest = rest[:-1]
            module = _requirement(rest) if rest else ""
        else:
            continue  # module, go, toolchain, replace, exclude, retract: not requirements
        if module:
            graph.direct.add(normalize(module))
    return None if graph.is_empty() else graph
