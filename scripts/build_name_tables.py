"""Build the import-name tables used by the evidence pass from real package metadata.

Outputs (under ``secagent_tui/pipeline/sandbox/evidence/data/``):

* ``pypi_import_names.json`` -- PEP 503 normalised PyPI distribution name -> the
  top-level import names it provides (``djangorestframework`` -> ``rest_framework``).
  Identity mappings (``requests`` -> ``requests``) are included on purpose: being
  *present* in the table is what makes an import name certain.
* ``rubygems_require_paths.json`` -- lower-cased gem name -> the paths it can be
  loaded with in ``require '...'`` (``activesupport`` -> ``active_support``).

Nothing is guessed and no registry is queried name by name.  Sources, in order of
precedence (a distribution found in an earlier source is not overridden by a later one,
except that all file-listing sources are merged together):

1. Debian bookworm ``main`` Contents indices (``Contents-all`` and ``Contents-amd64``:
   since Debian 11 arch-independent packages, i.e. almost all pure-Python libraries and
   Ruby gems, are listed only in ``Contents-all``).  Within one Debian binary package the
   ``usr/lib/python3/dist-packages/<Dist>-<ver>.{dist,egg}-info`` directory names the
   PyPI distribution and the other top-level entries of ``dist-packages`` name its import
   packages; gems are paired the same way through their ``rubygems-integration``
   ``specifications/*.gemspec`` and ``gems/<gem>-<ver>/lib/`` (or ``vendor_ruby``) files.
   The index is factual metadata published by Debian.
2. The installed distributions of the interpreter running this script (run it with the
   project venv: their RECORD / ``top_level.txt``).
3. The wheels of the local pip wheelhouses configured on this kind of machine
   (``/opt/pypi/files``, ``/opt/pypi-more/files``, ``/opt/wheels``; auto-detected,
   ``--wheelhouse`` to override): their file lists, read from the zip directory only.
   Plus the extra wheels in ``--wheel-dir`` (``EXTRA_WHEELS`` below, fetched with
   ``pip download --no-deps``), for a few very popular distributions that neither
   Debian nor the wheelhouses have.
4. The ``pipreqs/mapping`` file shipped in the ``pipreqs`` wheel (Apache-2.0), a
   hand-maintained ``import:dist`` list; used only for distributions that none of the
   file-listing sources above knows, because it is curated rather than derived.

Regenerate (from the repository root, as root on a Debian bookworm machine)::

    apt-get update && apt-get install -y apt-file && apt-file update
    PIPREQS_DIR=$(mktemp -d); .venv/bin/python -m pip download --no-deps -d "$PIPREQS_DIR" pipreqs
    WHEEL_DIR=$(mktemp -d); .venv/bin/python -m pip download --no-deps -d "$WHEEL_DIR" \\
        $(.venv/bin/python scripts/build_name_tables.py --print-extra-wheels)
    .venv/bin/python scripts/build_name_tables.py \\
        --pipreqs-wheel "$PIPREQS_DIR"/pipreqs-*.whl --wheel-dir "$WHEEL_DIR"

The Contents files are auto-detected under ``/var/lib/apt/lists`` (``--contents`` to
override; lz4/gz/xz lists are decompressed with ``/usr/lib/apt/apt-helper cat-file``).
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import email.parser
import importlib.metadata
import io
import json
import os
import re
import subprocess
import sys
import zipfile
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parent.parent
DATA_DIR = REPO_ROOT / "secagent_tui" / "pipeline" / "sandbox" / "evidence" / "data"
APT_LISTS = Path("/var/lib/apt/lists")
APT_HELPER = "/usr/lib/apt/apt-helper"
PYPI_TSV = Path("/work/.library/env/packages/pypi.tsv")
# pip's find-links / file:// indexes configured on this kind of machine, if present
LOCAL_WHEELHOUSES = (Path("/opt/pypi/files"), Path("/opt/pypi-more/files"), Path("/opt/wheels"))

PY_PREFIX = "usr/lib/python3/dist-packages/"
# Ruby: gem specifications and the per-gem library directories next to them.
RUBY_SPEC_RE = re.compile(
    r"^(?:usr/share/rubygems-integration/all"
    r"|usr/lib/[^/]+/rubygems-integration/[^/]+"
    r"|usr/lib/ruby/gems/[^/]+)/specifications/(?P<spec>[^/]+)\.gemspec$"
)
RUBY_GEMLIB_RE = re.compile(
    r"^(?:usr/share/rubygems-integration/all"
    r"|usr/lib/[^/]+/rubygems-integration/[^/]+"
    r"|usr/lib/ruby/gems/[^/]+)/gems/(?P<gemdir>[^/]+)/lib/(?P<rest>.+)$"
)
RUBY_VENDOR_RE = re.compile(r"^usr/lib/(?:[^/]+/)?ruby/vendor_ruby/(?:\d[^/]*/)?(?P<rest>.+)$")
GEM_NAME_RE = re.compile(r"^(?P<name>.+?)-(?P<ver>\d[^-]*)(?:-(?P<platform>[A-Za-z][\w-]*))?$")

IDENT_RE = re.compile(r"^[A-Za-z_][A-Za-z0-9_]*$")
EXT_SUFFIX_RE = re.compile(r"\.(?:cpython|pypy|abi3|cp\d)[^.]*(?=\.so$)|\.abi3(?=\.so$)")
SKIP_PY_NAMES = frozenset(
    {
        "test",
        "tests",
        "testing",
        "doc",
        "docs",
        "example",
        "examples",
        "benchmark",
        "benchmarks",
        "__pycache__",
        "bin",
        "share",
        "include",
        "scripts",
    }
)
MAX_NS_DEPTH = 3  # google/cloud/storage

# Very popular PyPI distributions that Debian bookworm does not package (or packages
# under a layout this script cannot pair). Downloaded with `pip download --no-deps`
# only to read their RECORD; see the module docstring.
EXTRA_WHEELS: tuple[str, ...] = (
    "aiobotocore",
    "grpcio-status",
    "s3fs",
    "gcsfs",
    "litellm",
    "opentelemetry-semantic-conventions",
    "opentelemetry-instrumentation",
    "opentelemetry-exporter-otlp-proto-grpc",
    "opentelemetry-util-http",
    "pydantic-ai-slim",
    "google-cloud-storage",
    "google-cloud-core",
    "google-resumable-media",
    "google-cloud-bigquery",
    "google-cloud-aiplatform",
    "google-cloud-secret-manager",
    "google-cloud-pubsub",
    "google-cloud-logging",
    "grpc-google-iam-v1",
    "snowflake-connector-python",
    "databricks-sql-connector",
    "databricks-sdk",
    "dbt-core",
    "uv",
    "slack-sdk",
    "py4j",
    "tree-sitter",
    "weaviate-client",
)


def normalize(name: str) -> str:
    """PEP 503 normalisation of a distribution name."""
    return re.sub(r"[-_.]+", "-", name).lower()


# --------------------------------------------------------------------------- reading


def read_apt_list(path: Path) -> Iterator[str]:
    """Yield the lines of an apt list file, decompressing it through apt-helper if needed."""
    if path.suffix in {".lz4", ".gz", ".xz", ".zst", ".bz2"}:
        proc = subprocess.Popen(
            [APT_HELPER, "cat-file", str(path)], stdout=subprocess.PIPE, text=False
        )
        assert proc.stdout is not None
        with io.TextIOWrapper(proc.stdout, encoding="utf-8", errors="replace") as out:
            yield from out
        if proc.wait() != 0:
            raise RuntimeError(f"apt-helper cat-file {path} failed")
    else:
        with path.open(encoding="utf-8", errors="replace") as fh:
            yield from fh


def detect_contents() -> list[Path]:
    found: list[Path] = []
    for kind in ("all", "amd64"):
        hits = sorted(APT_LISTS.glob(f"*_dists_bookworm_main_Contents-{kind}*"))
        found.extend(hits[:1])
    return found


def release_info(contents: Path) -> str:
    """'Debian 12.15 (bookworm), Date ...' from the InRelease next to a Contents file."""
    prefix = contents.name.split("_main_")[0]
    rel = contents.parent / f"{prefix}_InRelease"
    if not rel.exists():
        return "release file not found"
    fields: dict[str, str] = {}
    for line in rel.read_text(encoding="utf-8", errors="replace").splitlines():
        key, sep, value = line.partition(": ")
        if sep and key in {"Origin", "Version", "Codename", "Date"} and key not in fields:
            fields[key] = value.strip()
    return (
        f"{fields.get('Origin', '?')} {fields.get('Version', '?')} "
        f"({fields.get('Codename', '?')}), Release date {fields.get('Date', '?')}"
    )


def parse_contents_line(line: str) -> tuple[str, list[str]] | None:
    parts = line.rstrip("\n").rsplit(None, 1)
    if len(parts) != 2:
        return None
    path, pkgs = parts
    return path.strip(), [p.rsplit("/", 1)[-1] for p in pkgs.split(",")]


# --------------------------------------------------------------------------- python


def module_name(filename: str) -> str | None:
    """Import name of a top-level file entry (``foo.py``, ``foo.cpython-311-...so``)."""
    if filename.endswith(".py"):
        return filename[:-3]
    if filename.endswith((".so", ".pyd")):
        base = EXT_SUFFIX_RE.sub("", filename)
        return base.rsplit(".", 1)[0].split(".")[0]
    return None


@dataclass
class FileTree:
    """Files of one unit (a Debian package or a wheel) below site-packages."""

    files: set[str] = field(default_factory=set)
    dists: set[str] = field(default_factory=set)  # raw dist names from *-info dirs

    def add(self, rel: str) -> None:
        top = rel.split("/", 1)[0]
        if top.endswith((".dist-info", ".egg-info")):
            base = top.rsplit(".", 1)[0]
            self.dists.add(base.split("-", 1)[0])
            return
        self.files.add(rel)


NsPredicate = Callable[[str, bool, set[str], set[str]], bool]


def _split_level(rests: Iterable[str]) -> tuple[dict[str, list[str]], set[str], bool]:
    """Group paths by their first component: (subdir -> remaining paths, modules, has_init)."""
    subdirs: dict[str, list[str]] = defaultdict(list)
    modules: set[str] = set()
    has_init = False
    for rest in rests:
        head, sep, tail = rest.partition("/")
        if sep:
            subdirs[head].append(tail)
            continue
        mod = module_name(head)
        if mod == "__init__" or head == "__init__.pyi":
            has_init = True
        elif mod is not None:
            modules.add(mod)
    return subdirs, modules, has_init


def _has_code(rests: Iterable[str]) -> bool:
    return any(r.endswith((".py", ".so", ".pyd")) for r in rests)


def import_names(files: Iterable[str], is_namespace: NsPredicate) -> set[str]:
    """Dotted import names of a file tree, descending into namespace directories.

    ``is_namespace(prefix, has_init, modules, subdirs)`` decides whether a directory is a
    namespace whose children (rather than the directory itself) are the import names.
    """
    out: set[str] = set()

    def walk(prefix: str, rests: Iterable[str], depth: int) -> None:
        subdirs, modules, _ = _split_level(rests)
        dotted = prefix.rstrip("/").replace("/", ".")
        for mod in modules:
            if IDENT_RE.match(mod) and mod not in SKIP_PY_NAMES:
                out.add(f"{dotted}.{mod}" if dotted else mod)
        for sub, sub_rests in subdirs.items():
            if not IDENT_RE.match(sub) or sub in SKIP_PY_NAMES:
                continue
            if not _has_code(sub_rests):
                continue
            sub_prefix = f"{prefix}{sub}/"
            name = f"{dotted}.{sub}" if dotted else sub
            sub_dirs, sub_modules, sub_init = _split_level(sub_rests)
            if depth < MAX_NS_DEPTH and is_namespace(
                sub_prefix, sub_init, sub_modules, set(sub_dirs)
            ):
                before = len(out)
                walk(sub_prefix, sub_rests, depth + 1)
                if len(out) == before:
                    out.add(name)
            else:
                out.add(name)

    walk("", list(files), 1)
    return out


def public_names(names: set[str]) -> set[str]:
    """Drop private top-level names (``_foo``) unless nothing else is left."""
    keep = {n for n in names if not n.split(".")[-1].startswith("_")}
    return keep or names


def assign_names(dists: list[str], names: set[str], files: set[str]) -> dict[str, set[str]]:
    """Split the import names of one unit between the distributions it ships."""
    if len(dists) == 1:
        return {dists[0]: names}
    out: dict[str, set[str]] = {d: set() for d in dists}
    taken: set[str] = set()
    for d in dists:
        parts = d.split("-")
        candidates = {"_".join(parts), ".".join(parts)}
        # a dist whose name is a path of the tree (azure-mgmt-compute -> azure/mgmt/compute)
        for i in range(1, len(parts)):
            candidates.add(".".join(parts[:i]) + "." + "_".join(parts[i:]))
        for n in names:
            if n.lower() in candidates:
                out[d].add(n)
                taken.add(n)
        if not out[d]:
            for c in sorted(candidates, key=lambda c: (-c.count("."), c)):
                path = c.replace(".", "/")
                hit = next(
                    (
                        f
                        for f in files
                        if f.lower().startswith(path + "/") or f.lower() == path + ".py"
                    ),
                    None,
                )
                if hit is not None:
                    real = hit[: len(path)].replace("/", ".")
                    out[d].add(real)
                    taken.add(real)
                    break
    rest = names - taken
    empty = [d for d, v in out.items() if not v]
    if rest and len(empty) == 1:
        out[empty[0]] = rest
    return {d: v for d, v in out.items() if v}


@dataclass
class Unit:
    """One installable thing whose files we can see: a Debian package, an installed
    distribution or a wheel.  ``dists`` are the normalised distribution names it ships."""

    label: str
    tree: FileTree

    @property
    def dists(self) -> list[str]:
        return sorted({normalize(d) for d in self.tree.dists})


def debian_units(contents: list[Path]) -> list[Unit]:
    trees: dict[str, FileTree] = defaultdict(FileTree)
    for path in contents:
        for line in read_apt_list(path):
            if not line.startswith(PY_PREFIX):
                continue
            parsed = parse_contents_line(line)
            if parsed is None:
                continue
            rel, pkgs = parsed
            rel = rel[len(PY_PREFIX) :]
            for pkg in pkgs:
                trees[pkg].add(rel)
    return [Unit(f"deb:{pkg}", tree) for pkg, tree in trees.items()]


def venv_units() -> tuple[list[Unit], list[str]]:
    units: list[Unit] = []
    seen: list[str] = []
    for dist in importlib.metadata.distributions():
        name = dist.metadata["Name"]
        if not name:
            continue
        direct = (dist.read_text("direct_url.json") or "").replace(" ", "")
        if '"editable":true' in direct:
            continue  # the project itself, installed in development mode
        tree = FileTree()
        for f in dist.files or []:
            tree.add(str(f))
        tree.dists = {name}
        if not tree.files:
            top = dist.read_text("top_level.txt") or ""
            tree.files = {f"{t.strip()}.py" for t in top.splitlines() if t.strip()}
        units.append(Unit(f"venv:{name}", tree))
        seen.append(f"{name}=={dist.version}")
    return units, seen


def wheel_unit(whl: Path) -> tuple[Unit, str] | None:
    """The file list (and name==version) of one wheel."""
    try:
        zf = zipfile.ZipFile(whl)
    except (zipfile.BadZipFile, OSError):
        return None
    with zf:
        in_zip = zf.namelist()
        meta_name = next((n for n in in_zip if n.endswith(".dist-info/METADATA")), None)
        if meta_name is None or meta_name.count("/") != 1:
            return None
        meta = email.parser.Parser().parsestr(zf.read(meta_name).decode("utf-8", "replace"))
        tree = FileTree()
        for f in in_zip:
            head, _, rest = f.partition("/")
            if head.endswith(".data"):
                # name-ver.data/purelib/... is installed into site-packages too
                kind, _, rest = rest.partition("/")
                if kind in {"purelib", "platlib"} and rest:
                    tree.add(rest)
                continue
            tree.add(f)
    if not meta["Name"]:
        return None
    tree.dists = {meta["Name"]}
    return Unit(f"whl:{whl.name}", tree), f"{meta['Name']}=={meta['Version']}"


def wheel_units(wheel_dirs: list[Path]) -> tuple[list[Unit], dict[Path, list[str]]]:
    units: list[Unit] = []
    seen: dict[Path, list[str]] = {}
    for wheel_dir in wheel_dirs:
        seen[wheel_dir] = []
        for whl in sorted(wheel_dir.glob("*.whl")):
            got = wheel_unit(whl)
            if got is not None:
                units.append(got[0])
                seen[wheel_dir].append(got[1])
    return units, seen


def code_sharers(units: list[Unit]) -> dict[str, set[str]]:
    """Directory prefix (``google/``, ``google/cloud/``) -> who ships code below it.

    "Who" is the set of distributions of a unit (so the same distribution seen in Debian,
    the venv and a wheel counts once), or the unit's label when it ships no metadata.
    """
    sharers: dict[str, set[str]] = defaultdict(set)
    for unit in units:
        owner = ",".join(unit.dists) or unit.label
        for f in unit.tree.files:
            if not f.endswith((".py", ".so", ".pyd")):
                continue
            parts = f.split("/")
            for depth in range(1, min(len(parts), MAX_NS_DEPTH + 1)):
                sharers["/".join(parts[:depth]) + "/"].add(owner)
    return sharers


def python_table(units: list[Unit]) -> dict[str, set[str]]:
    """Distribution -> import names, from the file lists of all units.

    A directory is descended into (its children become the dotted import names) when it
    is a namespace: a child is named after the distribution (``sphinxcontrib-asyncio`` ->
    ``sphinxcontrib/asyncio.py``); or several distributions ship code in it and this one
    does not own it (it has no ``__init__``, or only an ``__init__``); or it has no
    ``__init__`` and only subdirectories.  A distribution named after the directory
    (``paste`` -> ``paste/``) always owns it.
    """
    sharers = code_sharers(units)
    inits = {
        f[: -len("__init__.py")]
        for u in units
        for f in u.tree.files
        if f.endswith("/__init__.py") and f.count("/") <= MAX_NS_DEPTH
    }
    table: dict[str, set[str]] = defaultdict(set)
    for unit in units:
        dists = unit.dists
        if not dists:
            continue
        own = set(dists)

        def is_ns(prefix: str, has_init: bool, modules: set[str], subdirs: set[str]) -> bool:
            dotted = prefix.rstrip("/").replace("/", "-")
            if any(normalize(f"{dotted}-{c}") in own for c in modules | subdirs):  # noqa: B023
                return True  # sphinxcontrib-asyncio -> sphinxcontrib/asyncio.py
            has_modules = bool(modules)
            if normalize(prefix.rstrip("/").replace("/", "-")) in own:  # noqa: B023
                return False
            n = len(sharers.get(prefix, ()))
            if not has_init:
                if n == 2 and prefix in inits and has_modules:
                    return False  # a Debian split of one regular package (pymongo: bson/)
                return n >= 2 or not has_modules
            return n >= 2 and not has_modules

        names = import_names(unit.tree.files, is_ns)
        names = {n for n in names if n.split(".")[0] not in SKIP_PY_NAMES}
        for d, ns in assign_names(dists, names, unit.tree.files).items():
            table[d] |= public_names(ns)
    return {d: prune(ns) for d, ns in table.items()}


def prune(names: set[str]) -> set[str]:
    """Drop dotted names already covered by a shorter one (``pkg.sub`` when ``pkg``)."""
    return {n for n in names if not any(n.startswith(other + ".") for other in names if other != n)}


def pipreqs_mapping(wheel: Path | None) -> tuple[dict[str, set[str]], str]:
    table: dict[str, set[str]] = defaultdict(set)
    if wheel is None:
        return table, ""
    with zipfile.ZipFile(wheel) as zf:
        text = zf.read("pipreqs/mapping").decode("utf-8")
        meta_name = next(n for n in zf.namelist() if n.endswith(".dist-info/METADATA"))
        meta = email.parser.Parser().parsestr(zf.read(meta_name).decode("utf-8", "replace"))
    for line in text.splitlines():
        imp, sep, dist = line.strip().partition(":")
        if sep and imp and dist and IDENT_RE.match(imp.split(".")[0]):
            table[normalize(dist)].add(imp)
    version = f"pipreqs {meta['Version']} ({meta.get('License', '?')}), file pipreqs/mapping"
    return table, version


# --------------------------------------------------------------------------- ruby


def gem_name(base: str) -> str | None:
    m = GEM_NAME_RE.match(base)
    return m.group("name").lower() if m else None


def ruby_entries(rest_paths: Iterable[str], shared_dirs: set[str]) -> set[str]:
    """Require paths from paths relative to a ``lib``/``vendor_ruby`` directory."""
    files: set[str] = set()
    dirs: dict[str, set[str]] = defaultdict(set)
    for rest in rest_paths:
        head, sep, tail = rest.partition("/")
        if not sep:
            if head.endswith((".rb", ".so")):
                files.add(head.rsplit(".", 1)[0])
            continue
        sub = tail.split("/", 1)[0]
        if tail.endswith((".rb", ".so")):
            dirs[head].add(sub.rsplit(".", 1)[0] if "/" not in tail else sub)
    out = set(files)
    for d, subs in dirs.items():
        if d in files:
            continue
        if d in shared_dirs:
            out |= {f"{d}/{s}" for s in subs}
        else:
            out.add(d)
    return {o for o in out if o and not o.startswith(".")}


class _RubyFiles:
    """What Debian's Contents lists say of Ruby: each package's gem names, each gem's
    lib-relative paths, each package's vendor_ruby-relative paths."""

    def __init__(self) -> None:
        self.specs: dict[str, set[str]] = defaultdict(set)  # pkg -> gem names
        self.gemlib: dict[str, set[str]] = defaultdict(set)  # gem -> lib-relative paths
        self.vendor: dict[str, set[str]] = defaultdict(set)  # pkg -> vendor_ruby-relative

    def read(self, line: str) -> None:
        if not line.startswith("usr/"):
            return
        if "rubygems-integration" not in line and "/ruby/" not in line:
            return
        parsed = parse_contents_line(line)
        if parsed is not None:
            self._add(*parsed)

    def _add(self, rel: str, pkgs: list[str]) -> None:
        if m := RUBY_SPEC_RE.match(rel):
            g = None if "/specifications/default/" in rel else gem_name(m.group("spec"))
            for pkg in pkgs if g else ():
                self.specs[pkg].add(g)
        elif m := RUBY_GEMLIB_RE.match(rel):
            g = gem_name(m.group("gemdir"))
            if g:
                self.gemlib[g].add(m.group("rest"))
        elif m := RUBY_VENDOR_RE.match(rel):
            for pkg in pkgs:
                self.vendor[pkg].add(m.group("rest"))

    def shared_namespaces(self) -> set[str]:
        """Top-level lib directories used by several gems (rails/, rack/): namespaces."""
        count: dict[str, set[str]] = defaultdict(set)
        for g, rests in self.gemlib.items():
            for r in rests:
                if "/" in r:
                    count[r.split("/", 1)[0]].add(g)
        for pkg, rests in self.vendor.items():
            for r in rests:
                if "/" in r:
                    count[r.split("/", 1)[0]].add("deb:" + pkg)
        return {d for d, users in count.items() if len(users) >= 2}

    def table(self) -> dict[str, set[str]]:
        shared = self.shared_namespaces()
        table: dict[str, set[str]] = defaultdict(set)
        for pkg, gems in self.specs.items():
            for g in gems:
                if g in self.gemlib:
                    table[g] |= ruby_entries(self.gemlib[g], shared)
            missing = [g for g in gems if g not in table]
            if len(missing) == 1 and len(gems) == 1 and pkg in self.vendor:
                table[missing[0]] |= ruby_entries(self.vendor[pkg], shared)
        return {g: v for g, v in table.items() if v}


def debian_ruby(contents: list[Path]) -> dict[str, set[str]]:
    files = _RubyFiles()
    for path in contents:
        for line in read_apt_list(path):
            files.read(line)
    return files.table()


# --------------------------------------------------------------------------- output


def write_table(path: Path, names: dict[str, set[str]], sources: list[str], command: str) -> int:
    meta = {
        "command": command,
        "entries": len(names),
        "generated": dt.date.today().isoformat(),
        "sources": sources,
    }
    lines = ["{", f'"_meta": {json.dumps(meta, sort_keys=True, ensure_ascii=False)},', '"names": {']
    keys = sorted(names)
    for i, k in enumerate(keys):
        comma = "," if i < len(keys) - 1 else ""
        lines.append(f"{json.dumps(k)}: {json.dumps(sorted(names[k]))}{comma}")
    lines += ["}", "}"]
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return len(names)


def top_pypi(tsv: Path, limit: int = 1000) -> list[str]:
    out: list[tuple[int, str]] = []
    with tsv.open(encoding="utf-8", errors="replace", newline="") as fh:
        reader = csv.reader(fh, delimiter="\t", quoting=csv.QUOTE_NONE)
        next(reader, None)
        for row in reader:
            if len(row) >= 4 and row[3].strip().isdigit():
                rank = int(row[3])
                if 1 <= rank <= limit:
                    out.append((rank, normalize(row[0])))
    return [n for _, n in sorted(out)]


def coverage(table: dict[str, set[str]], top: list[str]) -> tuple[float, float, list[str]]:
    if not top:
        return 0.0, 0.0, []
    present = [n for n in top if n in table]
    renamed = [n for n in present if {x.lower() for x in table[n]} != {n.replace("-", "_")}]
    missing = [n for n in top if n not in table]
    return len(present) / len(top), len(renamed) / len(top), missing


def write_readme(
    path: Path,
    py_sources: list[str],
    rb_sources: list[str],
    py_entries: int,
    rb_entries: int,
    cov: float,
    renamed: float,
    command: str,
) -> None:
    src_py = "\n".join(f"- {s}" for s in py_sources)
    src_rb = "\n".join(f"- {s}" for s in rb_sources)
    text = f"""# Import-name tables

Generated by `scripts/build_name_tables.py` on {dt.date.today().isoformat()}; do not edit by hand.

| file | maps | entries |
| --- | --- | --- |
| `pypi_import_names.json` | normalised PyPI distribution -> import names | {py_entries} |
| `rubygems_require_paths.json` | gem name -> paths usable in `require '...'` | {rb_entries} |

Both files have the shape `{{"_meta": {{...}}, "names": {{"<name>": ["...", ...]}}}}`.
Identity mappings (`requests` -> `requests`) are included on purpose: a name that is
*present* is certain, a name that is absent means "import name unknown" (never guessed).
Namespace packages are recorded in dotted form when a distribution only ships a part of
the namespace (`google-auth` -> `google.auth`, `azure-storage-blob` ->
`azure.storage.blob`); Ruby gems that only add to a shared directory are recorded as
`dir/file` (`rack-test` -> `rack/test`).

Coverage of the 1,000 most-downloaded PyPI distributions (ranks 1-1000 of the
package list `pypi.tsv`): **{cov:.1%}** present; {renamed:.1%} of the 1,000 are present
with an import name that differs from the distribution name.

## Sources

PyPI table (earlier sources take precedence over the pipreqs mapping):

{src_py}

RubyGems table:

{src_rb}

Licences: the Debian Contents index is factual metadata (file lists) published by the
Debian archive; the `pipreqs/mapping` file is from pipreqs, Apache-2.0; the installed and
downloaded wheels' RECORD files are file lists of those distributions.

## Regenerate

```
{command}
```

See the module docstring of `scripts/build_name_tables.py` for the full command sequence
(apt-file update, pip download of the pipreqs wheel and of the extra wheels).
"""
    path.write_text(text, encoding="utf-8")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--contents", type=Path, action="append", help="Contents-* file(s)")
    parser.add_argument("--pipreqs-wheel", type=Path, help="pipreqs-*.whl")
    parser.add_argument(
        "--wheel-dir",
        type=Path,
        action="append",
        default=[],
        help="directory of wheels fetched with pip download (EXTRA_WHEELS); repeatable",
    )
    parser.add_argument(
        "--wheelhouse",
        type=Path,
        action="append",
        help=f"local wheelhouse directory to read (default: those of {LOCAL_WHEELHOUSES})",
    )
    parser.add_argument("--pypi-tsv", type=Path, default=PYPI_TSV)
    parser.add_argument("--out-dir", type=Path, default=DATA_DIR)
    parser.add_argument(
        "--print-extra-wheels", action="store_true", help="print EXTRA_WHEELS and exit"
    )
    args = parser.parse_args(argv)
    if args.print_extra_wheels:
        print(" ".join(EXTRA_WHEELS))
        return 0

    contents = args.contents or detect_contents()
    if not contents:
        print("no Contents index found: run apt-file update", file=sys.stderr)
        return 2
    wheelhouses: list[Path] = (
        args.wheelhouse
        if args.wheelhouse is not None
        else [p for p in LOCAL_WHEELHOUSES if p.is_dir()]
    )
    command = " ".join(
        [
            ".venv/bin/python scripts/build_name_tables.py",
            # The apt list's file name starts with the mirror's host: recorded as a glob.
            *(f"--contents {p.parent}/*_dists_{p.name.split('_dists_')[-1]}" for p in contents),
            *(f"--wheelhouse {p}" for p in wheelhouses),
            "--pipreqs-wheel $PIPREQS_DIR/pipreqs-*.whl" if args.pipreqs_wheel else "",
            "--wheel-dir $WHEEL_DIR" if args.wheel_dir else "",
        ]
    ).strip()

    deb_sources = [
        f"Debian Contents index {p.name.split('_dists_')[-1]} ({release_info(p)}); factual metadata"
        for p in contents
    ]

    deb = debian_units(contents)
    venv, venv_seen = venv_units()
    house, house_seen = wheel_units(wheelhouses)
    extra_units, whl_seen = wheel_units(args.wheel_dir)
    pipreqs_py, pipreqs_src = pipreqs_mapping(args.pipreqs_wheel)

    py: dict[str, set[str]] = python_table([*deb, *venv, *house, *extra_units])
    pipreqs_added = 0
    for d, ns in pipreqs_py.items():
        if d not in py:
            py[d] = set(ns)
            pipreqs_added += 1
    py = {d: ns for d, ns in py.items() if ns}

    py_sources = [
        *deb_sources,
        f"installed distributions of {sys.executable} (Python "
        f"{sys.version.split()[0]}): {len(venv_seen)} with RECORD/top_level.txt",
    ]
    for house, seen in house_seen.items():
        py_sources.append(
            f"local pip wheelhouse {house} on the build machine: file lists of "
            f"{len(seen)} wheels ({len({s.split('==')[0].lower() for s in seen})} distributions)"
        )
    extra = sorted(s for seen in whl_seen.values() for s in seen)
    if extra:
        py_sources.append(
            "wheels fetched with `pip download --no-deps` (file list read): " + ", ".join(extra)
        )
    if pipreqs_src:
        py_sources.append(
            f"{pipreqs_src}: {pipreqs_added} distributions not known to the sources above"
        )

    rb = debian_ruby(contents)
    rb_sources = list(deb_sources)

    out_dir: Path = args.out_dir
    n_py = write_table(out_dir / "pypi_import_names.json", py, py_sources, command)
    n_rb = write_table(out_dir / "rubygems_require_paths.json", rb, rb_sources, command)

    top = top_pypi(args.pypi_tsv) if args.pypi_tsv.exists() else []
    cov, renamed, missing = coverage(py, top)
    write_readme(out_dir / "README.md", py_sources, rb_sources, n_py, n_rb, cov, renamed, command)

    print(f"pypi_import_names.json: {n_py} entries")
    print(f"rubygems_require_paths.json: {n_rb} entries")
    print(
        f"top-{len(top)} PyPI coverage: {cov:.1%} present, {renamed:.1%} with a non-identity name"
    )
    if os.environ.get("SHOW_MISSING"):
        print("missing:", " ".join(missing[:200]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
