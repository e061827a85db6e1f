"""pip: a distribution's import names differ from its name often enough to matter.

`djangorestframework` is `rest_framework`, `beautifulsoup4` is `bs4`. The names come from
the shipped table (`names.pypi_import_names`); a distribution outside it is searched under
derived names, and the result can never be "not used". Frameworks load modules from
strings (Django's INSTALLED_APPS and MIDDLEWARE, entry points, `python -m`, pytest's `-p`),
so a string naming an import name in code or configuration is a loader.
"""

from __future__ import annotations

import re
from pathlib import PurePosixPath

from ..graph import DependencyGraph
from ..lockfiles import pip as pip_locks
from ..names import pep503, pypi_import_names
from ..text import alternation
from .base import Ecosystem, Hit, Loaded, NameForms

_RUNTIME: dict[str, str] = {
    **dict.fromkeys(
        ("gunicorn", "uvicorn", "hypercorn", "daphne", "waitress", "uwsgi", "granian"),
        "a server normally run as a program (Procfile, Dockerfile, systemd), not imported",
    ),
    **dict.fromkeys(
        (
            "psycopg2",
            "psycopg2-binary",
            "psycopg",
            "psycopg-binary",
            "psycopg-c",
            "pymysql",
            "mysqlclient",
            "mysql-connector-python",
            "cx-oracle",
            "oracledb",
            "pyodbc",
            "pymssql",
            "asyncpg",
            "aiosqlite",
            "aiomysql",
        ),
        "a database driver that SQLAlchemy and Django load from a URL or an engine setting, "
        "without an import in this code",
    ),
}

_STATEMENT = re.compile(
    r"\bfrom[ \t]+(?P<base>\.*[\w.]*)[ \t]+import\b[ \t]*"
    r"(?P<names>\([^)]{0,4000}\)|(?:\\\n|[^\n;#])*)"
    r"|\bimport[ \t]+(?P<mods>(?:\\\n|[^\n;#])*)"
)
_MODULE = re.compile(r"\s*\(?\s*([\w.]+)(?:\s+as\s+(\w+))?")
_NAME = re.compile(r"([\w*]+)(?:\s+as\s+(\w+))?")
_TOKEN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")
_COMPUTED = re.compile(
    r"(?<![\w.])(?:importlib\.)?(?:import_module|__import__|find_spec|importorskip)\s*\(\s*"
    r"(?!(?P<q>['\"])[^'\"\n]*(?P=q)\s*[,)])(?P<arg>[^)\n]{0,200})"
)
# URL schemes that load a driver package with no import in this code.
_URL_SCHEMES: tuple[tuple[str, str], ...] = (
    ("redis", "redis"),
    ("rediss", "redis"),
    ("postgres", "psycopg2"),
    ("postgresql", "psycopg2"),
    ("mysql", "mysqlclient"),
    ("mongodb", "pymongo"),
    ("mongodb+srv", "pymongo"),
    ("amqp", "kombu"),
    ("amqps", "kombu"),
)
_COMPUTED_WORDS = ("import_module", "__import__", "find_spec", "importorskip")
_LOCAL_ARG = re.compile(
    r"""^(?:[rbuf]*['"]\.|__name__|__package__|[rbuf]*['"]\{__(?:name|package)__)"""
)
_IMPORT_CALL = re.compile(r"(?:import_module|__import__|importorskip|find_spec)\s*\(\s*$")
_CONFIG_SUFFIXES = frozenset({".py", ".toml", ".cfg", ".ini", ".yml", ".yaml", ".json", ".conf"})


def guessed_import_names(distribution: str) -> list[str]:
    """Names a distribution outside the table may provide: generous on purpose, since a
    wrong extra name only risks a false "used" (`python-` / `py` / `django-` affixes off)."""
    norm = pep503(re.sub(r"\[.*", "", distribution.strip()))
    names = {norm.replace("-", "_")}
    if "-" in norm:
        names.add(norm.replace("-", "."))
    stems = {norm}
    for prefix in ("python-", "py-", "py", "django-", "flask-"):
        if norm.startswith(prefix) and len(norm) - len(prefix) >= 3:
            stems.add(norm[len(prefix) :])
    for suffix in ("-python", "-py", "-binary", "-bin"):
        stems |= {s[: -len(suffix)] for s in list(stems) if s.endswith(suffix)}
    for stem in stems:
        names.update({stem.replace("-", "_"), stem.replace("-", "")})
    return sorted(n for n in names if n)


def _import_call(text: str, literal: re.Match[str]) -> bool:
    """Whether a string literal is the argument of `import_module(` / `__import__(`."""
    return _IMPORT_CALL.search(text, max(0, literal.start() - 40), literal.start()) is not None


def _names(group: str) -> list[tuple[str, str]]:
    body = re.sub(r"#[^\n]*", "", group.replace("\\\n", " ")).strip().strip("()")
    pairs = []
    for part in body.split(","):
        m = _NAME.search(part)
        if m:
            pairs.append((m.group(1), m.group(2) or m.group(1)))
    return pairs


class Pip(Ecosystem):
    name = "pip"
    source_suffixes = frozenset({".py", ".pyi", ".pyw", ".pyx", ".pxd", ".ipynb"})
    shebang_words = ("python",)
    manifest_patterns = (
        "*requirements*.txt",
        "*requirements*.in",
        "*constraints*.txt",
        "requirements/*.txt",
        "*/requirements/*.txt",
        "setup.py",
        "setup.cfg",
        "pyproject.toml",
        "Pipfile",
        "Pipfile.lock",
        "poetry.lock",
        "uv.lock",
        "pdm.lock",
        "environment*.yml",
        "environment*.yaml",
    )
    lockfile_patterns = ("Pipfile.lock", "poetry.lock", "uv.lock", "pdm.lock")

    def __init__(self, package: str) -> None:
        super().__init__(package)
        self.norm = pep503(package)
        known = pypi_import_names(package)
        self.certain = known is not None
        self.import_names = sorted(known) if known else guessed_import_names(package)
        self._lower = [n.lower() for n in self.import_names]
        alt = alternation(self.import_names)
        self._literal = re.compile(rf"(?P<q>['\"])(?:{alt})(?:[.:][\w.:]*)?(?P=q)")
        self._entry = re.compile(rf"=\s*['\"]?(?:{alt})(?:\.[\w.]+)?:\w")
        self._run = re.compile(rf"\bpython[\d.]*\s+(?:-\w+\s+)*-m\s+(?:{alt})\b")
        self._pytest = re.compile(rf"(?<![\w-])-p\s+['\"]?(?:{alt})\b")
        # SQLAlchemy's `dialect+driver://` names the driver module; a few schemes load one
        # package by themselves (Celery's and Django's `redis://` broker and cache URLs).
        self._url_schemes = sorted({scheme for scheme, dist in _URL_SCHEMES if dist == self.norm})
        driver = rf"[a-z][\w]*\+(?:{alt})"
        schemes = "|".join([driver, *map(re.escape, self._url_schemes)])
        self._url = re.compile(rf"(?<![\w+.-])(?P<scheme>{schemes})://", re.IGNORECASE)

    @classmethod
    def normalize(cls, name: str) -> str:
        return pep503(name)

    def name_forms(self) -> NameForms:
        folded = sorted({self.package, self.norm, self.norm.replace("-", "_")})
        searched = ", ".join(self.import_names)
        why = (
            ""
            if self.certain
            else (
                f"the import name of {self.package} is not known (it is not in the table of "
                f"distributions built from package metadata; searched {searched})"
            )
        )
        return NameForms(tuple(folded), tuple(self.import_names), self.certain, why)

    def forms(self) -> str:
        return f"import/from-import/dynamic import of {', '.join(self.import_names)}"

    # ---- manifests
    def declares(self, rel: str, text: str) -> bool:
        return any(pep503(t) == self.norm for t in _TOKEN.findall(text))

    def declares_directly(self, rel: str, text: str) -> bool:
        if self.is_lockfile(rel) or not self.declares(rel, text):
            return False
        if "# via" in text:  # pip-compile output: only `# via -r …` entries are direct
            graph = pip_locks.parse(rel, text, self.normalize)
            return graph is None or self.norm in graph.direct
        return True

    def manifest_loaders(self, rel: str, text: str) -> list[Loaded]:
        return [Loaded(m.start(), "an entry point") for m in self._entry.finditer(text)]

    def direct_declarations(self, rel: str, text: str) -> tuple[set[str], set[str]] | None:
        if PurePosixPath(rel).name != "pyproject.toml":
            return None
        return pip_locks.direct_from_pyproject(text, self.normalize)

    def lockfile_graph(self, rel: str, text: str) -> DependencyGraph | None:
        # Not only lockfiles: pip-compile's requirements.txt carries the graph in comments.
        return pip_locks.parse(rel, text, self.normalize)

    # ---- code
    def _ours(self, module: str) -> bool:
        module = module.lower()
        return any(module == n or module.startswith(n + ".") for n in self._lower)

    def find_imports(self, rel: str, text: str) -> list[Hit]:
        hits: list[Hit] = []
        for m in _STATEMENT.finditer(text):
            if m.group("base") is not None:
                base = m.group("base")
                if base.startswith(".") or not base:
                    continue  # relative import: the repository's own module
                pairs = _names(m.group("names"))
                if self._ours(base):
                    hits.append(Hit(m.start(), tuple(pairs)))
                else:
                    sub = tuple(p for p in pairs if p[0] != "*" and self._ours(f"{base}.{p[0]}"))
                    if sub:  # from google.cloud import storage
                        hits.append(Hit(m.start(), sub))
            else:
                mods = m.group("mods").replace("\\\n", " ")
                for part in mods.split(","):
                    mm = _MODULE.match(part)
                    if mm and self._ours(mm.group(1)):
                        local = mm.group(2) or mm.group(1).split(".")[0]
                        hits.append(Hit(m.start(), (("*", local),)))
                        break
        hits += [Hit(m.start()) for m in self._literal.finditer(text) if _import_call(text, m)]
        return hits

    def computed_imports(self, rel: str, text: str) -> list[int]:
        if not any(word in text for word in _COMPUTED_WORDS):
            return []
        found = []
        for m in _COMPUTED.finditer(text):
            arg = m.group("arg").strip()
            if not arg or _LOCAL_ARG.match(arg):
                continue
            fixed = re.match(r"""[rbuf]*['"]([\w]+)\.""", arg)
            if fixed and not any(n.split(".")[0] == fixed.group(1).lower() for n in self._lower):
                continue  # `import_module("plugins." + x)` can only load `plugins.*`
            found.append(m.start())
        return found

    def loaders(self, rel: str, text: str) -> list[Loaded]:
        found: list[Loaded] = []
        name = PurePosixPath(rel).name
        suffix = PurePosixPath(name).suffix.lower()
        if suffix in _CONFIG_SUFFIXES and not self.is_manifest(rel):
            found += [
                Loaded(m.start(), "a module path in a string (INSTALLED_APPS, plugins, …)")
                for m in self._literal.finditer(text)
                if not _import_call(text, m)
            ]
        if suffix in {".toml", ".cfg", ".py"}:
            found += [Loaded(m.start(), "an entry point") for m in self._entry.finditer(text)]
        if name.lower().startswith("procfile"):
            words = re.compile(
                rf"(?<![\w.-])(?:{alternation({*self.import_names, self.norm})})(?![\w-])"
            )
            found += [Loaded(m.start(), "the Procfile runs it") for m in words.finditer(text)]
        found += [Loaded(m.start(), "run with python -m") for m in self._run.finditer(text)]
        found += [Loaded(m.start(), "a pytest plugin (-p)") for m in self._pytest.finditer(text)]
        found += [
            Loaded(m.start(), f"a {m.group('scheme')} URL loads the driver")
            for m in self._url.finditer(text)
        ]
        return found

    def loader_needles(self) -> tuple[str, ...]:
        return ("://",) if self._url_schemes else ()

    def runtime_doubt(self) -> str | None:
        why = _RUNTIME.get(self.norm)
        return f"{self.package} is {why}" if why else None
