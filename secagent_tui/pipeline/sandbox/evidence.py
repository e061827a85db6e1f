"""Deterministic evidence: does a repository's own code use a vulnerable dependency?

Why this exists (DESIGN.md "Sandbox (tier 2)", "Evidence is conservative", "Auto-dismiss"):
an LLM verdict alone must never dismiss an alert, because text planted in a repository or an
advisory can talk a model into anything. An automatic dismissal also needs this pass to say
"not_used", so this pass is built to be wrong only in the safe direction:

- "not_used" has to be *proven*: the ecosystem is one this module understands, every source
  file of its languages was read, and no import of the package was found in any spelling
  (aliases, subpaths, destructuring, import names that differ from the package name).
- Everything short of that is "maybe_used". A false "maybe_used" costs an analyst a look; a
  false "not_used" becomes a wrong dismissal on GitHub. So matching errs towards false
  positives (an import in a comment or a string counts as an import), and every ambiguity
  (an unreadable file, a symlink out of the clone, a package name whose import name is a
  guess, a mention in a Procfile or CI file, a database driver loaded from a URL, a package
  that no manifest names) lands on "maybe_used" with a sentence in `reasons` saying why.

Repository files are untrusted input. They are only ever read as text, never executed or
imported. Only regular files are opened (a FIFO would block), every read is size-bounded,
symlinks are never followed out of the clone and directory symlinks are never followed.
"""

from __future__ import annotations

import bisect
import codecs
import fnmatch
import json
import os
import re
import stat
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from pathlib import Path, PurePosixPath
from typing import Any

LIST_CAP = 200
"""Longest list an Evidence carries (the document goes into an LLM prompt and the DB)."""


class Usage(StrEnum):
    NOT_USED = "not_used"
    MAYBE_USED = "maybe_used"
    USED = "used"


@dataclass(frozen=True)
class Evidence:
    """What the evidence pass found. Locations are repo-relative POSIX `path` / `path:line`."""

    ecosystem: str
    package: str
    supported: bool
    manifests: list[str]
    imports: list[str]
    vulnerable_calls: list[str]
    files_scanned: int
    files_unreadable: list[str]
    scan_complete: bool
    usage: Usage
    reasons: list[str]
    # Extension: places outside imports that name the package (run/config files,
    # package.json scripts, go:generate). They never prove use; they only block "not_used".
    mentions: list[str] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        return {
            "ecosystem": self.ecosystem,
            "package": self.package,
            "supported": self.supported,
            "usage": self.usage.value,
            "scan_complete": self.scan_complete,
            "files_scanned": self.files_scanned,
            "files_unreadable": list(self.files_unreadable),
            "manifests": list(self.manifests),
            "imports": list(self.imports),
            "vulnerable_calls": list(self.vulnerable_calls),
            "mentions": list(self.mentions),
            "reasons": list(self.reasons),
        }


# ------------------------------------------------------------------------ reading files

# Dependency, vendored, generated and VCS directories: their code is not the repository's
# own (or is a copy of the package itself). Skipping them is reported in `reasons`.
SKIPPED_DIRS = frozenset(
    {
        ".git",
        ".hg",
        ".svn",
        "node_modules",
        "bower_components",
        "jspm_packages",
        ".yarn",
        ".pnpm-store",
        "vendor",
        "venv",
        ".venv",
        "site-packages",
        "__pycache__",
        ".tox",
        ".nox",
        ".eggs",
        "target",
        "dist",
        "build",
        ".gradle",
        ".bundle",
        ".next",
        ".nuxt",
        ".svelte-kit",
        ".mypy_cache",
        ".pytest_cache",
        ".ruff_cache",
    }
)

# Generated resolver maps that list every dependency as a string literal: reading them would
# make every package "used".
GENERATED_FILES = frozenset({".pnp.cjs", ".pnp.js", ".pnp.loader.mjs"})

_OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_BINARY", 0)
)
_CODING = re.compile(rb"^[ \t\f]*#.*?(?:en)?coding[:=][ \t]*([-\w.]+)")
_CODING_ALIASES = {"binary": "latin-1", "ascii-8bit": "latin-1"}


def _decode(data: bytes) -> str | None:
    """UTF-8 (BOM or not), UTF-16 with a BOM, or a PEP 263 / Ruby magic-comment coding."""
    try:
        if data.startswith(codecs.BOM_UTF8):
            return data[len(codecs.BOM_UTF8) :].decode("utf-8")
        if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
            return data.decode("utf-16")
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    for line in data.split(b"\n", 2)[:2]:
        match = _CODING.match(line)
        if match:
            name = match.group(1).decode("ascii", "replace").lower()
            try:
                return data.decode(_CODING_ALIASES.get(name, name))
            except (LookupError, UnicodeDecodeError):
                return None
    return None


def _read_text(path: Path, limit: int) -> tuple[str | None, str]:
    """The text of a regular file, or None and why not. Never blocks, never follows a link."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError as exc:
        return None, f"cannot be opened ({exc.strerror or exc})"
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode):
            return None, "is not a regular file"
        if st.st_size > limit:
            return None, f"is over the {limit}-byte size limit"
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    except OSError as exc:
        return None, f"cannot be read ({exc.strerror or exc})"
    finally:
        os.close(fd)
    if size > limit:
        return None, f"is over the {limit}-byte size limit"
    text = _decode(b"".join(chunks))
    if text is None:
        return None, "cannot be decoded as text (UTF-8, UTF-16 with BOM or a declared coding)"
    return text, ""


class _Lines:
    """Offset → 1-based line number, computed once per text."""

    def __init__(self, text: str) -> None:
        self._newlines = [m.start() for m in re.finditer("\n", text)]

    def __call__(self, offset: int) -> int:
        return bisect.bisect_left(self._newlines, offset) + 1


def _alternation(items: Iterable[str]) -> str:
    """Longest first, so `lodash.template` is tried before `lodash` in one regex."""
    return "|".join(re.escape(i) for i in sorted(set(items), key=lambda s: (-len(s), s)))


def _word_regex(words: Iterable[str], *, allow_dot_after: bool = False) -> re.Pattern[str] | None:
    """A name as a whole token: `lodash` must not match `lodash.template` or `my-lodash`."""
    words = [w for w in words if w]
    if not words:
        return None
    after = r"(?![\w\-])" if allow_dot_after else r"(?![\w\-]|\.\w)"
    return re.compile(rf"(?<![\w.\-])(?:{_alternation(words)}){after}", re.IGNORECASE)


def _location(rel: str, line: int | None = None) -> str:
    return rel if line is None else f"{rel}:{line}"


def _location_key(loc: str) -> tuple[str, int]:
    path, _, line = loc.rpartition(":")
    if path and line.isdigit():
        return path, int(line)
    return loc, 0


def _finish(items: Iterable[str], label: str, reasons: list[str]) -> list[str]:
    """Sorted (numerically by line), de-duplicated, capped at LIST_CAP; the cap is reported."""
    unique = sorted(set(items), key=_location_key)
    if len(unique) > LIST_CAP:
        reasons.append(f"{label}: {len(unique)} found, only the first {LIST_CAP} are listed.")
        return unique[:LIST_CAP]
    return unique


# --------------------------------------------------------------------- ecosystems


@dataclass(frozen=True)
class _Hit:
    """One import: where it starts, and the names it binds (imported name, local name)."""

    offset: int
    bindings: tuple[tuple[str, str], ...] = ()


class _Ecosystem:
    """How one ecosystem names, declares and imports packages. Subclasses fill it in."""

    name = ""
    supported = True
    suffixes: frozenset[str] = frozenset()
    source_names: frozenset[str] = frozenset()
    shebang_words: tuple[str, ...] = ()
    manifest_patterns: tuple[str, ...] = ()
    lockfile_patterns: tuple[str, ...] = ()

    def __init__(self, package: str) -> None:
        self.package = package
        self.certain = True  # the package → import-name mapping is known, not guessed
        self.notes: list[str] = []  # sentences about how names were derived
        self.word_terms: list[str] = []  # package-name spellings, for mentions
        self.prefix_terms: list[str] = []  # qualified import names, for mentions

    # ---- files
    @classmethod
    def _matches(cls, patterns: Iterable[str], rel: str, name: str) -> bool:
        for pattern in patterns:
            target = rel if "/" in pattern else name
            if fnmatch.fnmatchcase(target.lower(), pattern.lower()):
                return True
        return False

    @classmethod
    def is_manifest(cls, rel: str, name: str) -> bool:
        return cls._matches(cls.manifest_patterns, rel, name)

    @classmethod
    def is_lockfile(cls, rel: str, name: str) -> bool:
        return cls._matches(cls.lockfile_patterns, rel, name)

    def is_source(self, name: str) -> bool:
        return PurePosixPath(name).suffix.lower() in self.suffixes or name in self.source_names

    # ---- manifests
    def learn(self, rel: str, name: str, text: str) -> None:
        """See every readable manifest before sources are scanned (npm aliases, Gemfile)."""

    def names_package(self, rel: str, name: str, text: str) -> bool:
        raise NotImplementedError

    # ---- sources
    def needles(self) -> list[str]:
        """Lower-case substrings; a file containing none of them cannot import the package."""
        raise NotImplementedError

    def find_imports(self, rel: str, name: str, text: str) -> list[_Hit]:
        raise NotImplementedError

    def forms(self) -> str:
        """The import spellings searched, for the reasons."""
        raise NotImplementedError

    def runtime_doubt(self) -> str | None:
        """Why the package may be used without any import (loaded by name, run as a program)."""
        return None


def _shebang_matches(path: Path, words: tuple[str, ...]) -> bool:
    """An extensionless script (`bin/server`) whose `#!` line names one of the interpreters."""
    try:
        fd = os.open(path, _OPEN_FLAGS)
    except OSError:
        return False
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            return False
        head = os.read(fd, 256)
    except OSError:
        return False
    finally:
        os.close(fd)
    if not head.startswith(b"#!"):
        return False
    first = head.split(b"\n", 1)[0].decode("latin-1").lower()
    return any(word in first for word in words)


# ---------------------------------------------------------------------------- npm

_NPM_IMPORT_CLAUSE = re.compile(
    r"\bimport\s+(?:type\s+)?(?P<clause>[\w$*{}\s,]{1,400}?)\s+from\s*(?P<q>['\"])(?P<spec>[^'\"\n]+)(?P=q)"
    r"|\bexport\s*(?:type\s+)?(?P<eclause>\{[^}]{0,2000}\}|\*(?:\s+as\s+[\w$]+)?)\s*from\s*"
    r"(?P<eq>['\"])(?P<espec>[^'\"\n]+)(?P=eq)"
    r"|\b(?:const|let|var)\s+(?P<rclause>\{[^}]{0,2000}\}|[\w$]+)\s*=\s*(?:await\s+)?"
    r"(?:require|import)\s*\(\s*(?P<rq>['\"`])(?P<rspec>[^'\"`\n]+)(?P=rq)"
)
_NPM_DB_DRIVERS = frozenset(
    {"pg", "pg-native", "mysql", "mysql2", "sqlite3", "better-sqlite3", "tedious", "oracledb"}
    | {"mariadb"}
)


def _js_bindings(clause: str) -> list[tuple[str, str]]:
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


class _Npm(_Ecosystem):
    name = "npm"
    suffixes = frozenset(
        {".js", ".jsx", ".ts", ".tsx", ".mjs", ".cjs", ".mts", ".cts", ".vue", ".svelte"}
        | {".astro"}
    )
    shebang_words = ("node", "deno", "bun", "ts-node", "tsx")
    manifest_patterns = (
        "package.json",
        "package-lock.json",
        "npm-shrinkwrap.json",
        "yarn.lock",
        "pnpm-lock.yaml",
        "bun.lock",
    )
    lockfile_patterns = manifest_patterns[1:]

    def __init__(self, package: str) -> None:
        super().__init__(package)
        self.names = {package.lower()}
        self.word_terms = [package]
        self._literal: re.Pattern[str] | None = None

    def learn(self, rel: str, name: str, text: str) -> None:
        if name != "package.json":
            return
        # "my-lodash": "npm:lodash@^4" installs lodash under another name.
        alias = re.compile(
            rf'"([^"\n]+)"\s*:\s*"npm:{re.escape(self.package)}(?:@[^"\n]*)?"', re.IGNORECASE
        )
        for match in alias.finditer(text):
            local = match.group(1).lower()
            if local not in self.names:
                self.names.add(local)
                self.word_terms.append(local)
                self.notes.append(f"{rel} installs {self.package} under the alias {local!r}.")
        self._literal = None

    def names_package(self, rel: str, name: str, text: str) -> bool:
        pkg = re.escape(self.package)
        if name.endswith(".json") or name == "bun.lock":
            pattern = rf'"(?:[^"\n]*node_modules/)?{pkg}"\s*:|"npm:{pkg}(?:@|")|"{pkg}@'
        elif name == "yarn.lock":
            pattern = rf"""(?m)(?:^|[\s,"'])"?{pkg}(?=@|"?:?\s)"""
        else:  # pnpm-lock.yaml: `/pkg@1.0.0:`, `/pkg/1.0.0:`, `pkg@1.0.0:`, `pkg: 1.0.0`
            pattern = rf"""(?m)^\s*['"]?/?{pkg}(?=@|/\d|['"]?:)"""
        return re.search(pattern, text, re.IGNORECASE) is not None

    def needles(self) -> list[str]:
        return sorted(self.names)

    def _literal_regex(self) -> re.Pattern[str]:
        # Any string literal naming the package or a subpath of it: this covers require,
        # import/export ... from, side-effect and dynamic import, require.resolve, jest.mock,
        # AMD define([...]) and whatever else takes a module specifier. `lodash.template` is
        # another package: the literal must end right after the name or continue with `/`.
        if self._literal is None:
            self._literal = re.compile(
                rf"(?P<q>['\"`])(?P<spec>(?:{_alternation(self.names)})(?:/[^'\"`\n]*)?)(?P=q)",
                re.IGNORECASE,
            )
        return self._literal

    def _is_ours(self, spec: str) -> bool:
        spec = spec.lower()
        return any(spec == n or spec.startswith(n + "/") for n in self.names)

    def find_imports(self, rel: str, name: str, text: str) -> list[_Hit]:
        bindings: dict[int, list[tuple[str, str]]] = {}
        for m in _NPM_IMPORT_CLAUSE.finditer(text):
            spec = m.group("spec") or m.group("espec") or m.group("rspec")
            clause = m.group("clause") or m.group("eclause") or m.group("rclause")
            if not self._is_ours(spec):
                continue
            start = m.start("spec") if m.group("spec") else m.start("espec")
            if m.group("rspec"):
                start = m.start("rspec")
            pairs = _js_bindings(clause)
            # `const tpl = require('lodash/template')`: the default export is the function.
            last = re.split(r"[/.]", spec)[-1].lower()
            pairs += [(last, local) for imported, local in pairs if imported == "default"]
            bindings[start] = pairs
        return [
            _Hit(m.start("spec"), tuple(bindings.get(m.start("spec"), ())))
            for m in self._literal_regex().finditer(text)
        ]

    def forms(self) -> str:
        names = " or ".join(repr(n) for n in sorted(self.names))
        return f"require/import/export of {names} or a subpath, in any string literal"

    def runtime_doubt(self) -> str | None:
        if self.package.lower() in _NPM_DB_DRIVERS:
            return (
                f"{self.package} is a database driver that ORMs (Sequelize, TypeORM, Knex) load "
                "by dialect name, without an import in this code."
            )
        return None


# ---------------------------------------------------------------------------- pip

# Distribution name (PEP 503-normalized) → import names, where they differ.
PIP_IMPORT_NAMES: dict[str, tuple[str, ...]] = {
    "pyyaml": ("yaml",),
    "pillow": ("PIL",),
    "beautifulsoup4": ("bs4",),
    "beautifulsoup": ("BeautifulSoup",),
    "scikit-learn": ("sklearn",),
    "scikit-image": ("skimage",),
    "python-dateutil": ("dateutil",),
    "opencv-python": ("cv2",),
    "opencv-python-headless": ("cv2",),
    "opencv-contrib-python": ("cv2",),
    "opencv-contrib-python-headless": ("cv2",),
    "protobuf": ("google.protobuf",),
    "pyjwt": ("jwt",),
    "python-jose": ("jose",),
    "msgpack-python": ("msgpack",),
    "pycryptodome": ("Crypto",),
    "pycryptodomex": ("Cryptodome",),
    "pycrypto": ("Crypto",),
    "psycopg2-binary": ("psycopg2",),
    "psycopg-binary": ("psycopg", "psycopg_binary"),
    "attrs": ("attr", "attrs"),
    "typing-extensions": ("typing_extensions",),
    "setuptools": ("setuptools", "pkg_resources", "_distutils_hack"),
    "google-cloud-storage": ("google.cloud.storage",),
    "google-cloud-bigquery": ("google.cloud.bigquery",),
    "google-api-python-client": ("googleapiclient", "apiclient"),
    "google-auth": ("google.auth", "google.oauth2"),
    "grpcio": ("grpc",),
    "grpcio-tools": ("grpc_tools",),
    "python-magic": ("magic",),
    "python-multipart": ("multipart", "python_multipart"),
    "python-ldap": ("ldap", "ldif", "ldapurl"),
    "python-docx": ("docx",),
    "python-pptx": ("pptx",),
    "python-slugify": ("slugify",),
    "python-json-logger": ("pythonjsonlogger",),
    "python-socketio": ("socketio",),
    "python-engineio": ("engineio",),
    "python-telegram-bot": ("telegram",),
    "python-keycloak": ("keycloak",),
    "python-gnupg": ("gnupg",),
    "python-xlib": ("Xlib",),
    "python-levenshtein": ("Levenshtein",),
    "python3-saml": ("onelogin.saml2",),
    "pysaml2": ("saml2",),
    "pyopenssl": ("OpenSSL",),
    "mysqlclient": ("MySQLdb",),
    "mysql-connector-python": ("mysql.connector",),
    "pyserial": ("serial",),
    "pyusb": ("usb",),
    "dnspython": ("dns",),
    "pywin32": ("win32api", "win32con", "win32com", "win32gui", "pythoncom", "pywintypes"),
    "pyzmq": ("zmq",),
    "pygobject": ("gi",),
    "pynacl": ("nacl",),
    "pysocks": ("socks", "sockshandler"),
    "websocket-client": ("websocket",),
    "discord-py": ("discord",),
    "tensorflow-gpu": ("tensorflow",),
    "tensorflow-cpu": ("tensorflow",),
    "faiss-cpu": ("faiss",),
    "faiss-gpu": ("faiss",),
    "pymupdf": ("fitz", "pymupdf"),
    "pdfminer-six": ("pdfminer",),
    "ipython": ("IPython",),
    "pyelftools": ("elftools",),
    "apache-airflow": ("airflow",),
    "apache-beam": ("apache_beam",),
    "gitpython": ("git",),
    "pygithub": ("github",),
    "pymongo": ("pymongo", "bson", "gridfs"),
    "djangorestframework": ("rest_framework",),
    "djangorestframework-simplejwt": ("rest_framework_simplejwt",),
    "django-cors-headers": ("corsheaders",),
    "django-filter": ("django_filters",),
    "kafka-python": ("kafka",),
    "confluent-kafka": ("confluent_kafka",),
    "opensearch-py": ("opensearchpy",),
    "cx-oracle": ("cx_Oracle",),
    "pyxdg": ("xdg",),
    "paho-mqtt": ("paho.mqtt",),
    "azure-storage-blob": ("azure.storage.blob",),
    "azure-identity": ("azure.identity",),
    "py-cpuinfo": ("cpuinfo",),
    "ruamel-yaml": ("ruamel.yaml",),
    "smbprotocol": ("smbclient", "smbprotocol", "smbprotocol"),
    "python-snappy": ("snappy",),
    "email-validator": ("email_validator",),
    "sentry-sdk": ("sentry_sdk",),
    "requests-oauthlib": ("requests_oauthlib",),
}

_PIP_RUNTIME: dict[str, str] = {
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

_PY_STATEMENT = re.compile(
    r"\bfrom[ \t]+(?P<base>\.*[\w.]*)[ \t]+import\b[ \t]*"
    r"(?P<names>\([^)]{0,4000}\)|(?:\\\n|[^\n;#])*)"
    r"|\bimport[ \t]+(?P<mods>(?:\\\n|[^\n;#])*)"
)
_PY_MODULE = re.compile(r"\s*\(?\s*([\w.]+)(?:\s+as\s+(\w+))?")
_PY_NAME = re.compile(r"([\w*]+)(?:\s+as\s+(\w+))?")
_PY_TOKEN = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9._-]*[A-Za-z0-9])?")


def pep503(name: str) -> str:
    return re.sub(r"[-_.]+", "-", name).lower()


def pip_import_names(distribution: str) -> tuple[list[str], bool]:
    """Import names a distribution may provide, and whether they come from the table.

    Outside the table the names are guesses, made generous on purpose (a wrong extra name
    only risks a false "used"): the name with `-` → `_` and `-` → `.` (namespace packages),
    and with common affixes removed (`python-`, `py`, `django-`, `-python`, `-binary`).
    """
    norm = pep503(re.sub(r"\[.*", "", distribution.strip()))
    names = set(PIP_IMPORT_NAMES.get(norm, ()))
    known = bool(names)
    names.add(norm.replace("-", "_"))
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
    return sorted(n for n in names if n), known


def _py_names(group: str) -> list[tuple[str, str]]:
    body = re.sub(r"#[^\n]*", "", group.replace("\\\n", " ")).strip().strip("()")
    pairs = []
    for part in body.split(","):
        m = _PY_NAME.search(part)
        if m:
            pairs.append((m.group(1), m.group(2) or m.group(1)))
    return pairs


class _Pip(_Ecosystem):
    name = "pip"
    suffixes = frozenset({".py", ".pyi", ".pyw", ".pyx", ".pxd", ".ipynb"})
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
        names, known = pip_import_names(package)
        self.import_names = names
        self._lower = [n.lower() for n in names]
        self.word_terms = sorted({package, self.norm, self.norm.replace("-", "_")})
        self.prefix_terms = [n for n in names if "." in n]
        self._literal = re.compile(
            rf"(?P<q>['\"])(?:{_alternation(names)})(?:\.[\w.]*)?(?P=q)", re.IGNORECASE
        )
        if not known:
            self.notes.append(
                f"{package} is not in the table of distributions whose import name differs; "
                f"searched the derived names {', '.join(names)}."
            )

    def names_package(self, rel: str, name: str, text: str) -> bool:
        return any(pep503(t) == self.norm for t in _PY_TOKEN.findall(text))

    def needles(self) -> list[str]:
        # Every spelling of `a.b.c` contains `c` (import a.b.c / from a.b import c).
        return sorted({n.rsplit(".", 1)[-1] for n in self._lower})

    def _ours(self, module: str) -> bool:
        module = module.lower()
        return any(module == n or module.startswith(n + ".") for n in self._lower)

    def find_imports(self, rel: str, name: str, text: str) -> list[_Hit]:
        hits: list[_Hit] = []
        for m in _PY_STATEMENT.finditer(text):
            if m.group("base") is not None:
                base = m.group("base")
                if base.startswith(".") or not base:
                    continue  # relative import: the repository's own module
                pairs = _py_names(m.group("names"))
                if self._ours(base):
                    hits.append(_Hit(m.start(), tuple(pairs)))
                else:
                    sub = tuple(p for p in pairs if p[0] != "*" and self._ours(f"{base}.{p[0]}"))
                    if sub:  # from google.cloud import storage
                        hits.append(_Hit(m.start(), sub))
            else:
                mods = m.group("mods").replace("\\\n", " ")
                for part in mods.split(","):
                    mm = _PY_MODULE.match(part)
                    if mm and self._ours(mm.group(1)):
                        local = mm.group(2) or mm.group(1).split(".")[0]
                        hits.append(_Hit(m.start(), (("*", local),)))
                        break
        if not self.is_manifest(rel, name):  # setup.py's install_requires are not imports
            # __import__("yaml"), importlib.import_module("yaml.x"), importorskip, INSTALLED_APPS
            hits.extend(_Hit(m.start()) for m in self._literal.finditer(text))
        return hits

    def forms(self) -> str:
        return f"import/from-import/dynamic import of {', '.join(self.import_names)}"

    def runtime_doubt(self) -> str | None:
        why = _PIP_RUNTIME.get(self.norm)
        return f"{self.package} is {why}." if why else None


# -------------------------------------------------------------------------- maven

# (groupId glob, artifactId glob) → Java package prefixes. Only certain mappings go here.
MAVEN_PACKAGES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("com.fasterxml.jackson.core", "jackson-databind", ("com.fasterxml.jackson.databind",)),
    ("com.fasterxml.jackson.core", "jackson-core", ("com.fasterxml.jackson.core",)),
    ("com.fasterxml.jackson.core", "jackson-annotations", ("com.fasterxml.jackson.annotation",)),
    ("com.fasterxml.jackson.dataformat", "*", ("com.fasterxml.jackson.dataformat",)),
    ("org.apache.logging.log4j", "*", ("org.apache.logging.log4j",)),
    ("log4j", "log4j", ("org.apache.log4j",)),
    ("org.springframework", "spring-*", ("org.springframework",)),
    ("org.springframework.*", "*", ("org.springframework",)),
    ("commons-collections", "commons-collections", ("org.apache.commons.collections",)),
    ("org.apache.commons", "commons-collections4", ("org.apache.commons.collections4",)),
    ("org.apache.commons", "commons-text", ("org.apache.commons.text",)),
    ("org.apache.commons", "commons-lang3", ("org.apache.commons.lang3",)),
    ("org.apache.commons", "commons-compress", ("org.apache.commons.compress",)),
    ("org.apache.commons", "commons-configuration2", ("org.apache.commons.configuration2",)),
    ("commons-lang", "commons-lang", ("org.apache.commons.lang",)),
    ("commons-io", "commons-io", ("org.apache.commons.io",)),
    ("commons-codec", "commons-codec", ("org.apache.commons.codec",)),
    ("commons-fileupload", "commons-fileupload", ("org.apache.commons.fileupload",)),
    ("commons-beanutils", "commons-beanutils", ("org.apache.commons.beanutils",)),
    ("com.google.guava", "guava", ("com.google.common", "com.google.thirdparty")),
    ("io.netty", "netty-*", ("io.netty",)),
    ("io.netty", "netty", ("org.jboss.netty", "io.netty")),
    ("ch.qos.logback", "*", ("ch.qos.logback",)),
    ("com.google.code.gson", "gson", ("com.google.gson",)),
    ("org.yaml", "snakeyaml", ("org.yaml.snakeyaml",)),
    ("org.apache.httpcomponents", "http*", ("org.apache.http",)),
    ("org.apache.httpcomponents.client5", "*", ("org.apache.hc.client5",)),
    ("org.apache.httpcomponents.core5", "*", ("org.apache.hc.core5",)),
    ("com.squareup.okhttp3", "*", ("okhttp3",)),
    ("org.bouncycastle", "*", ("org.bouncycastle",)),
    ("org.postgresql", "postgresql", ("org.postgresql",)),
    ("mysql", "mysql-connector-java", ("com.mysql",)),
    ("com.mysql", "mysql-connector-j", ("com.mysql",)),
    ("com.h2database", "h2", ("org.h2",)),
    (
        "org.apache.tomcat.embed",
        "*",
        ("org.apache.catalina", "org.apache.tomcat", "org.apache.coyote", "org.apache.jasper"),
    ),
    ("org.eclipse.jetty*", "*", ("org.eclipse.jetty",)),
    ("io.undertow", "*", ("io.undertow",)),
    ("org.apache.struts", "struts2-*", ("org.apache.struts2", "com.opensymphony.xwork2")),
    ("org.jsoup", "jsoup", ("org.jsoup",)),
    ("*dom4j", "dom4j", ("org.dom4j",)),
    ("com.thoughtworks.xstream", "xstream", ("com.thoughtworks.xstream",)),
    ("org.apache.shiro", "*", ("org.apache.shiro",)),
    ("org.hibernate*", "*", ("org.hibernate",)),
    ("io.projectreactor.netty", "*", ("reactor.netty",)),
    ("org.apache.kafka", "kafka-clients", ("org.apache.kafka",)),
    ("com.nimbusds", "nimbus-jose-jwt", ("com.nimbusds.jose", "com.nimbusds.jwt")),
    ("io.jsonwebtoken", "*", ("io.jsonwebtoken",)),
    ("org.apache.velocity", "*", ("org.apache.velocity",)),
    ("org.freemarker", "freemarker", ("freemarker",)),
    ("org.apache.poi", "*", ("org.apache.poi",)),
    ("com.google.protobuf", "protobuf-java*", ("com.google.protobuf",)),
    ("io.grpc", "*", ("io.grpc",)),
    ("net.minidev", "json-smart", ("net.minidev.json",)),
    ("org.json", "json", ("org.json",)),
    ("com.alibaba", "fastjson", ("com.alibaba.fastjson",)),
    ("junit", "junit", ("org.junit", "junit")),
    ("org.slf4j", "*", ("org.slf4j",)),
    ("org.apache.santuario", "xmlsec", ("org.apache.xml.security",)),
    ("org.apache.pdfbox", "*", ("org.apache.pdfbox",)),
    ("org.mozilla", "rhino", ("org.mozilla.javascript",)),
    ("org.codehaus.groovy", "*", ("groovy", "org.codehaus.groovy")),
    ("org.jetbrains.kotlin", "kotlin-stdlib*", ("kotlin",)),
    ("org.scala-lang", "scala-library", ("scala",)),
    ("org.xerial", "sqlite-jdbc", ("org.sqlite",)),
    ("org.mariadb.jdbc", "mariadb-java-client", ("org.mariadb.jdbc",)),
    ("com.microsoft.sqlserver", "mssql-jdbc", ("com.microsoft.sqlserver",)),
)

_JVM_LOGGING = "a logging backend found by log4j-api/SLF4J at run time: code logs through it "
_JVM_LOGGING += "without importing it"
_JVM_SERVER = "an embedded server or network transport started by the framework, not this code"
_JVM_JDBC = "a JDBC driver, loaded from a connection URL rather than imported"
_JVM_IMPLICIT = "the language's standard library, used without imports"
MAVEN_RUNTIME: tuple[tuple[str, str, str], ...] = (
    ("org.apache.logging.log4j", "log4j-core", _JVM_LOGGING),
    ("org.apache.logging.log4j", "log4j-slf4j*", _JVM_LOGGING),
    ("ch.qos.logback", "logback-*", _JVM_LOGGING),
    ("log4j", "log4j", _JVM_LOGGING),
    ("org.slf4j", "slf4j-*", _JVM_LOGGING),
    ("org.apache.tomcat.embed", "*", _JVM_SERVER),
    ("org.eclipse.jetty*", "*", _JVM_SERVER),
    ("io.undertow", "*", _JVM_SERVER),
    ("io.netty", "*", _JVM_SERVER),
    ("io.projectreactor.netty", "*", _JVM_SERVER),
    ("org.postgresql", "postgresql", _JVM_JDBC),
    ("mysql", "mysql-connector-java", _JVM_JDBC),
    ("com.mysql", "mysql-connector-j", _JVM_JDBC),
    ("com.h2database", "h2", _JVM_JDBC),
    ("org.mariadb.jdbc", "*", _JVM_JDBC),
    ("com.microsoft.sqlserver", "mssql-jdbc", _JVM_JDBC),
    ("com.oracle.database.jdbc", "*", _JVM_JDBC),
    ("org.xerial", "sqlite-jdbc", _JVM_JDBC),
    ("org.hsqldb", "*", _JVM_JDBC),
    ("org.apache.derby", "*", _JVM_JDBC),
    ("org.jetbrains.kotlin", "kotlin-stdlib*", _JVM_IMPLICIT),
    ("org.scala-lang", "scala-library", _JVM_IMPLICIT),
)


def _maven_lookup(table: Iterable[tuple[str, str, Any]], group: str, artifact: str) -> list[Any]:
    return [
        value
        for g, a, value in table
        if fnmatch.fnmatchcase(group.lower(), g) and fnmatch.fnmatchcase(artifact.lower(), a)
    ]


class _Maven(_Ecosystem):
    name = "maven"
    suffixes = frozenset({".java", ".kt", ".kts", ".scala", ".sc", ".groovy", ".jsp"})
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

    def __init__(self, package: str) -> None:
        super().__init__(package)
        group, _, artifact = package.partition(":")
        self.group, self.artifact = group.strip(), artifact.strip()
        known = [p for ps in _maven_lookup(MAVEN_PACKAGES, self.group, self.artifact) for p in ps]
        if known:
            self.prefixes = sorted(set(known))
        else:
            self.certain = False
            self.prefixes = sorted(self._guesses())
            self.notes.append(
                f"{package} is not in the table of artifacts with known Java packages; "
                f"searched the guessed prefixes {', '.join(self.prefixes)}, so an absence of "
                "imports cannot prove it unused."
            )
        self.word_terms = [t for t in (package, self.artifact) if len(t) >= 5]
        self.prefix_terms = list(self.prefixes)
        self._regex = re.compile(
            rf"(?<![\w.$])(?:{_alternation(self.prefixes)})(?=\s*[.;*]|[ \t]*$)",
            re.IGNORECASE | re.MULTILINE,
        )

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

    def names_package(self, rel: str, name: str, text: str) -> bool:
        if f"{self.group}:{self.artifact}".lower() in text.lower():
            return True
        group = _word_regex([self.group])
        artifact = _word_regex([self.artifact]) if self.artifact else None
        return bool(group and group.search(text)) and (
            artifact is None or artifact.search(text) is not None
        )

    def needles(self) -> list[str]:
        return [p.lower() for p in self.prefixes]

    def find_imports(self, rel: str, name: str, text: str) -> list[_Hit]:
        # `import a.b.C;`, `import static a.b.C.m;`, `import a.b.*;`, Kotlin/Scala imports,
        # fully-qualified use `a.b.C.m(`, `Class.forName("a.b.C")`, and `package a.b;`.
        return [_Hit(m.start()) for m in self._regex.finditer(text)]

    def forms(self) -> str:
        return f"imports and qualified uses of {', '.join(self.prefixes)}"

    def runtime_doubt(self) -> str | None:
        found = _maven_lookup(MAVEN_RUNTIME, self.group, self.artifact)
        return f"{self.package} is {found[0]}." if found else None


# ----------------------------------------------------------------------------- go


class _Go(_Ecosystem):
    name = "go"
    suffixes = frozenset({".go"})
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
        self.word_terms = [self.module]
        # Any Go string naming the module or a package below it: `import "m"`, grouped
        # imports with an alias, `_` or `.`, and `/vN` major-version modules (their own path).
        self._literal = re.compile(
            rf"(?P<q>[\"`])(?P<spec>{re.escape(self.module)}(?:/[^\"`\n]*)?)(?P=q)", re.IGNORECASE
        )
        self._generate = re.compile(r"^[ \t]*//go:generate\b.*$", re.MULTILINE)

    def names_package(self, rel: str, name: str, text: str) -> bool:
        pattern = rf"(?<![\w./-]){re.escape(self.module)}(?=[\s\"@]|$)"
        return re.search(pattern, text, re.IGNORECASE | re.MULTILINE) is not None

    def needles(self) -> list[str]:
        return [self.module.lower()]

    def find_imports(self, rel: str, name: str, text: str) -> list[_Hit]:
        return [_Hit(m.start("spec")) for m in self._literal.finditer(text)]

    def go_generate(self, text: str) -> list[int]:
        """`//go:generate go run <module>/cmd/tool`: the module runs at build time."""
        words = _word_regex([self.module], allow_dot_after=True)
        assert words is not None
        return [m.start() for m in self._generate.finditer(text) if words.search(m.group())]

    def forms(self) -> str:
        return f"import paths {self.module} and {self.module}/..."


# ----------------------------------------------------------------------- rubygems

# Gem name → require names, where they differ from the gem name.
RUBY_REQUIRE_NAMES: dict[str, tuple[str, ...]] = {
    "activesupport": ("active_support", "rails/all"),
    "activerecord": ("active_record", "rails/all"),
    "actionpack": ("action_controller", "action_dispatch", "abstract_controller", "rails/all"),
    "actionview": ("action_view", "rails/all"),
    "actionmailer": ("action_mailer", "rails/all"),
    "activejob": ("active_job", "rails/all"),
    "activemodel": ("active_model", "rails/all"),
    "activestorage": ("active_storage", "rails/all"),
    "actioncable": ("action_cable", "rails/all"),
    "actiontext": ("action_text", "rails/all"),
    "actionmailbox": ("action_mailbox", "rails/all"),
    "activeresource": ("active_resource",),
    "railties": ("rails", "rails/all"),
    "rails": ("rails", "rails/all"),
    "nokogiri": ("nokogiri",),
    "rack-protection": ("rack/protection",),
    "google-protobuf": ("google/protobuf",),
    "aws-sdk-s3": ("aws-sdk-s3", "aws-sdk"),
    "aws-sdk-core": ("aws-sdk-core", "aws-sdk"),
    "rubyzip": ("zip",),
    "ruby-saml": ("onelogin/ruby-saml", "ruby-saml"),
    "rest-client": ("rest-client", "restclient", "rest_client"),
    "ruby-openid": ("openid",),
    "omniauth-oauth2": ("omniauth-oauth2", "omniauth/strategies/oauth2"),
    "concurrent-ruby": ("concurrent",),
    "rails-html-sanitizer": ("rails-html-sanitizer", "rails/html/sanitizer"),
    "sprockets-rails": ("sprockets/railtie",),
    "rmagick": ("rmagick", "RMagick"),
}
_RUBY_RUNTIME: dict[str, str] = {
    **dict.fromkeys(
        ("puma", "unicorn", "thin", "passenger", "falcon", "webrick"),
        "a server normally run as a program (Procfile, Dockerfile, bin/rails server)",
    ),
    **dict.fromkeys(
        ("pg", "mysql2", "sqlite3", "trilogy"),
        "a database adapter that ActiveRecord loads from config/database.yml",
    ),
}
_GEMFILE_GEM = re.compile(r"""^\s*gem\s*\(?\s*(['"])(?P<name>[^'"]+)\1(?P<rest>.*)$""")
_GEMFILE_GROUP = re.compile(r"^\s*group\s*\(?(?P<groups>[^)]*?)\)?\s*do\b")
_BLOCK_OPEN = re.compile(r"(?:\bdo\b\s*(?:\|[^|]*\|)?\s*$)|^\s*(?:if|unless|case|begin|while)\b")
_DEV_GROUPS = frozenset({"development", "test"})


@dataclass(frozen=True)
class _GemEntry:
    where: str  # Gemfile:line
    groups: frozenset[str]
    autorequire: bool  # not `require: false`

    @property
    def dev_only(self) -> bool:
        return bool(self.groups) and self.groups <= _DEV_GROUPS


class _Rubygems(_Ecosystem):
    name = "rubygems"
    suffixes = frozenset({".rb", ".rake", ".gemspec", ".erb", ".ru", ".jbuilder", ".builder"})
    suffixes |= frozenset({".haml", ".slim", ".thor"})
    source_names = frozenset(
        {"Gemfile", "gems.rb", "Rakefile", "Capfile", "Guardfile", "Vagrantfile", "Thorfile"}
    )
    shebang_words = ("ruby",)
    manifest_patterns = ("Gemfile", "gems.rb", "Gemfile.lock", "gems.locked", "*.gemspec")
    lockfile_patterns = ("Gemfile.lock", "gems.locked")

    def __init__(self, package: str) -> None:
        super().__init__(package)
        gem = package.strip()
        self.gem = gem
        lower = gem.lower()
        names = {lower, lower.replace("-", "/"), lower.replace("-", "_")}
        names.update(RUBY_REQUIRE_NAMES.get(lower, ()))
        for prefix in ("ruby-", "ruby_"):
            if lower.startswith(prefix):
                names.add(lower[len(prefix) :])
        for suffix in ("-ruby", "_ruby"):
            if lower.endswith(suffix):
                names.add(lower[: -len(suffix)])
        self.require_names = names
        self.gem_entries: list[_GemEntry] = []
        self.word_terms = [gem]
        self.prefix_terms = sorted(n for n in names if "/" in n)
        self.bundler_sites: list[str] = []

    def learn(self, rel: str, name: str, text: str) -> None:
        if name not in {"Gemfile", "gems.rb"}:
            return
        stack: list[frozenset[str]] = []
        for number, raw in enumerate(text.splitlines(), 1):
            line = re.sub(r"\s#.*$|^#.*$", "", raw)
            group = _GEMFILE_GROUP.match(line)
            if group:
                stack.append(frozenset(re.findall(r"\w+", group.group("groups"))))
                continue
            gem = _GEMFILE_GEM.match(line)
            if gem and gem.group("name").lower() == self.gem.lower():
                rest = gem.group("rest")
                groups = set().union(*stack) if stack else set()
                inline = re.search(r"\bgroups?\s*(?::|=>)\s*(\[[^\]]*\]|:\w+|['\"]\w+['\"])", rest)
                if inline:
                    groups |= set(re.findall(r"\w+", inline.group(1)))
                off = re.search(r"\brequire\s*(?::|=>)\s*(false|nil)\b", rest) is not None
                custom = re.search(r"\brequire\s*(?::|=>)\s*(['\"])([^'\"]+)\1", rest)
                if custom:
                    self.require_names.add(custom.group(2).lower())
                    self.notes.append(f"{rel}:{number} requires the gem as {custom.group(2)!r}.")
                self.gem_entries.append(_GemEntry(f"{rel}:{number}", frozenset(groups), not off))
            if _BLOCK_OPEN.search(line):
                stack.append(frozenset())
            elif re.match(r"^\s*end\b", line) and stack:
                stack.pop()

    def names_package(self, rel: str, name: str, text: str) -> bool:
        gem = re.escape(self.gem)
        if name.lower() in {"gemfile.lock", "gems.locked"}:
            pattern = rf"(?m)^\s+{gem}(?:\s+\(|!?\s*$)"
        else:
            pattern = rf"""(['"]){gem}\1"""
        return re.search(pattern, text, re.IGNORECASE) is not None

    def needles(self) -> list[str]:
        return sorted(self.require_names | {self.gem.lower(), "bundler"})

    def find_imports(self, rel: str, name: str, text: str) -> list[_Hit]:
        names = _alternation(self.require_names)

        def spec(group: int) -> str:
            return rf"""(['"])(?:{names})(?:/[^'"\n]*)?\{group}"""

        # require 'x' / require("x/sub") / Kernel.require; autoload :X, 'x/y'.
        # require_relative is the repository's own code and does not match.
        pattern = rf"\brequire\s*\(?\s*{spec(1)}|\bautoload\b[^\n]{{0,300}}?{spec(2)}"
        hits = [_Hit(m.start()) for m in re.finditer(pattern, text, re.IGNORECASE)]
        if not self.is_manifest(rel, name):  # `gem 'x'` activates the gem outside a Gemfile
            gem = rf"""\bgem\s*\(?\s*(['"]){re.escape(self.gem)}\1"""
            hits += [_Hit(m.start()) for m in re.finditer(gem, text, re.IGNORECASE)]
        return hits

    def bundler_require(self, text: str) -> list[int]:
        return [m.start() for m in re.finditer(r"\bBundler\.require\b", text)]

    def autorequired(self) -> _GemEntry | None:
        """A Gemfile entry Bundler.require loads: not dev/test-only, not `require: false`."""
        for entry in self.gem_entries:
            if entry.autorequire and not entry.dev_only:
                return entry
        return None

    def forms(self) -> str:
        return f"require/autoload of {', '.join(sorted(self.require_names))}"

    def runtime_doubt(self) -> str | None:
        why = _RUBY_RUNTIME.get(self.gem.lower())
        return f"{self.gem} is {why}." if why else None


# -------------------------------------------------------------------- unsupported

UNSUPPORTED_MANIFESTS: dict[str, tuple[str, ...]] = {
    "nuget": (
        "*.csproj",
        "*.fsproj",
        "*.vbproj",
        "packages.config",
        "packages.lock.json",
        "Directory.Packages.props",
        "Directory.Build.props",
        "*.nuspec",
        "paket.dependencies",
        "paket.lock",
    ),
    "composer": ("composer.json", "composer.lock"),
    "rust": ("Cargo.toml", "Cargo.lock"),
    "pub": ("pubspec.yaml", "pubspec.lock"),
    "swift": ("Package.swift", "Package.resolved"),
    "erlang": ("mix.exs", "mix.lock", "rebar.config", "rebar.lock"),
    "actions": (".github/workflows/*.yml", ".github/workflows/*.yaml", "action.yml", "action.yaml"),
}


class _Unsupported(_Ecosystem):
    supported = False

    def __init__(self, ecosystem: str, package: str) -> None:
        super().__init__(package)
        self.name = ecosystem
        patterns = UNSUPPORTED_MANIFESTS.get(ecosystem)
        if patterns is None:  # unknown word: any manifest of any ecosystem we know
            patterns = tuple(p for ps in UNSUPPORTED_MANIFESTS.values() for p in ps)
            patterns += tuple(p for cls in _SUPPORTED.values() for p in cls.manifest_patterns)
        self._patterns = patterns

    def is_manifest(self, rel: str, name: str) -> bool:  # type: ignore[override]
        return self._matches(self._patterns, rel, name)

    def is_source(self, name: str) -> bool:
        return False

    def names_package(self, rel: str, name: str, text: str) -> bool:
        regex = _word_regex([self.package], allow_dot_after=True)
        return bool(regex and regex.search(text))


_SUPPORTED: dict[str, type[_Ecosystem]] = {
    "npm": _Npm,
    "pip": _Pip,
    "maven": _Maven,
    "go": _Go,
    "rubygems": _Rubygems,
}
SUPPORTED_ECOSYSTEMS = frozenset(_SUPPORTED)
_ALIASES = {
    "pypi": "pip",
    "python": "pip",
    "golang": "go",
    "gomod": "go",
    "gem": "rubygems",
    "ruby": "rubygems",
    "bundler": "rubygems",
    "gradle": "maven",
    "cargo": "rust",
    "packagist": "composer",
    "hex": "erlang",
    "github-actions": "actions",
}


def _ecosystem(word: str, package: str) -> _Ecosystem:
    key = word.strip().lower()
    key = _ALIASES.get(key, key)
    cls = _SUPPORTED.get(key)
    return cls(package) if cls else _Unsupported(key, package)


def _is_any_manifest(rel: str, name: str) -> bool:
    """A manifest of a supported ecosystem, or a lockfile-like file of another one."""
    if any(cls.is_manifest(rel, name) for cls in _SUPPORTED.values()):
        return True
    return any(
        _Ecosystem._matches(patterns, rel, name)
        for eco, patterns in UNSUPPORTED_MANIFESTS.items()
        if eco != "actions"  # workflows run programs: they are run files, not manifests
    )


# Files that run programs or name modules to load: a package named there may be used
# without any import (a server in a Procfile, a CLI in CI, a class name in Spring XML).
_RUN_SUFFIXES = frozenset(
    {".sh", ".bash", ".zsh", ".ksh", ".fish", ".ps1", ".bat", ".cmd", ".mk", ".service"}
    | {".conf", ".ini", ".cfg", ".properties", ".xml", ".html", ".htm", ".yml", ".yaml"}
    | {".toml", ".dockerfile"}
)
_RUN_PATTERNS = (
    "procfile*",
    "dockerfile*",
    "containerfile*",
    "makefile",
    "gnumakefile",
    "jenkinsfile",
    "vagrantfile",
    "justfile",
    "earthfile",
    "tiltfile",
    "tsconfig*.json",
    "jsconfig*.json",
    "babel.config.json",
    ".babelrc*",
    ".eslintrc*",
    ".swcrc",
    ".mocharc*",
    ".postcssrc*",
    "nodemon.json",
    "devcontainer.json",
    ".devcontainer.json",
)


# Bot configuration names packages to ignore or group, not to run.
_NOT_RUN_FILES = frozenset({"dependabot.yml", "dependabot.yaml", "renovate.json", ".renovaterc"})


def _is_run_file(name: str) -> bool:
    lower = name.lower()
    if lower in _NOT_RUN_FILES:
        return False
    if PurePosixPath(lower).suffix in _RUN_SUFFIXES:
        return True
    return any(fnmatch.fnmatchcase(lower, p) for p in _RUN_PATTERNS)


# --------------------------------------------------------------------------- walk


@dataclass
class _Tree:
    sources: list[tuple[str, Path]] = field(default_factory=list)
    manifests: list[tuple[str, Path]] = field(default_factory=list)
    run_files: list[tuple[str, Path]] = field(default_factory=list)
    skipped: Counter[str] = field(default_factory=Counter)
    blocked: dict[str, str] = field(default_factory=dict)  # source path → why not read
    incomplete: list[str] = field(default_factory=list)  # why the walk missed files
    notes: list[str] = field(default_factory=list)


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def _walk(root: Path, eco: _Ecosystem, max_entries: int) -> _Tree:
    """Every file under root, classified, without following any symlink out of it."""
    tree = _Tree()
    stack: list[tuple[Path, str]] = [(root, "")]
    visited = 0
    while stack:
        directory, rel_dir = stack.pop()
        try:
            with os.scandir(directory) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            tree.incomplete.append(
                f"directory {rel_dir or '.'} could not be listed ({exc.strerror or exc})"
            )
            continue
        subdirs: list[tuple[Path, str]] = []
        for entry in entries:
            visited += 1
            if visited > max_entries:
                tree.incomplete.append(
                    f"the walk stopped after {max_entries} entries, so later files were not seen"
                )
                return tree
            rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
            path = Path(entry.path)
            try:
                if entry.is_symlink():
                    _symlink(root, rel, path, eco, tree)
                elif entry.is_dir(follow_symlinks=False):
                    if entry.name in SKIPPED_DIRS or (path / "pyvenv.cfg").is_file():
                        label = entry.name if entry.name in SKIPPED_DIRS else "virtualenv"
                        tree.skipped[label] += 1
                        # Go's vendor/modules.txt is a manifest; the vendored code is not ours.
                        modules = path / "modules.txt"
                        if (
                            entry.name == "vendor"
                            and not modules.is_symlink()
                            and modules.is_file()
                        ):
                            _classify(f"{rel}/modules.txt", modules, eco, tree)
                    else:
                        subdirs.append((path, rel))
                elif entry.is_file(follow_symlinks=False):
                    _classify(rel, path, eco, tree)
                elif eco.is_source(entry.name):
                    tree.blocked[rel] = "is not a regular file"
            except OSError as exc:
                if eco.is_source(entry.name):
                    tree.blocked[rel] = f"cannot be examined ({exc.strerror or exc})"
                else:
                    tree.notes.append(f"{rel} could not be examined ({exc.strerror or exc}).")
        stack.extend(reversed(subdirs))
    return tree


def _missing_submodules(root: Path, max_file_bytes: int) -> list[str]:
    """Submodules a shallow clone did not fetch: their code exists but was not scanned."""
    text, _ = _read_text(root / ".gitmodules", max_file_bytes)
    if text is None:
        return []
    missing = []
    for rel in re.findall(r"^\s*path\s*=\s*(.+?)\s*$", text, re.MULTILINE):
        path = root / rel
        try:
            empty = not path.is_dir() or path.is_symlink() or not any(path.iterdir())
        except OSError:
            empty = True
        if empty and _inside(Path(os.path.realpath(path)), root):
            missing.append(rel)
    if not missing:
        return []
    return [f"git submodule(s) {', '.join(sorted(missing))} were not in the clone"]


def _symlink(root: Path, rel: str, link: Path, eco: _Ecosystem, tree: _Tree) -> None:
    target = Path(os.path.realpath(link))
    inside = _inside(target, root)
    try:
        st: os.stat_result | None = os.stat(link)
    except OSError:
        st = None
    name = PurePosixPath(rel).name
    if st is not None and stat.S_ISDIR(st.st_mode):
        if name in SKIPPED_DIRS:
            tree.skipped[name] += 1
        elif inside:
            tree.notes.append(
                f"Directory symlink {rel} was not followed; its target inside the repository "
                "is scanned where it lies."
            )
        else:
            tree.incomplete.append(
                f"directory symlink {rel} points outside the repository and was not followed"
            )
        return
    looks_source = eco.is_source(name) or eco.is_source(target.name)
    if not inside:
        if looks_source:
            tree.blocked[rel] = "is a symlink to a file outside the repository (not followed)"
        return
    if st is None:
        tree.notes.append(f"Dangling symlink {rel} ignored (its target does not exist).")
        return
    if stat.S_ISREG(st.st_mode):
        _classify(rel, target, eco, tree, source_name=target.name if looks_source else None)


def _classify(
    rel: str, path: Path, eco: _Ecosystem, tree: _Tree, source_name: str | None = None
) -> None:
    name = PurePosixPath(rel).name
    if name in GENERATED_FILES:
        tree.skipped[name] += 1
        return
    is_manifest = eco.is_manifest(rel, name)
    is_source = eco.is_source(source_name or name)
    if (
        not is_source
        and not is_manifest
        and eco.shebang_words
        and "." not in name
        and not _is_run_file(name)
    ):
        is_source = _shebang_matches(path, eco.shebang_words)
    if is_source:
        tree.sources.append((rel, path))
    if is_manifest:
        tree.manifests.append((rel, path))
    if not is_source and not is_manifest and _is_run_file(name) and not _is_any_manifest(rel, name):
        tree.run_files.append((rel, path))


# ---------------------------------------------------------------- vulnerable calls


@dataclass(frozen=True)
class _Vulnerable:
    """Call-site patterns of the advisory's vulnerable functions."""

    shorts: frozenset[str]  # `template` from `_.template` / `lodash.template`
    qualified: frozenset[str]  # `_.template`, `Yaml.load`: specific enough to search anywhere

    @classmethod
    def parse(cls, functions: Sequence[str]) -> _Vulnerable:
        shorts: set[str] = set()
        qualified: set[str] = set()
        for raw in functions:
            parts = [p for p in re.split(r"[.#/:]+|::", raw.strip().removesuffix("()")) if p]
            parts = [p for p in parts if re.fullmatch(r"[\w$]+", p)]
            if not parts:
                continue
            shorts.add(parts[-1])
            if len(parts) >= 2:
                qualified.add(f"{parts[-2]}.{parts[-1]}")
        return cls(frozenset(shorts), frozenset(qualified))

    def __bool__(self) -> bool:
        return bool(self.shorts)

    @staticmethod
    def call_regex(names: Iterable[str], ruby: bool = False) -> re.Pattern[str] | None:
        names = set(names)
        if not names:
            return None
        alt = _alternation(names)
        # `name(` and `.name(`, not a definition. Ruby calls need no parentheses.
        pattern = rf"(?<![\w$])(?<!def )(?<!function )(?:{alt})\s*\("
        if ruby:
            pattern += rf"|\.(?:{alt})\b(?!\s*=[^=])"
        return re.compile(pattern)

    def qualified_regex(self) -> re.Pattern[str] | None:
        if not self.qualified:
            return None
        return re.compile(rf"(?<![\w$.])(?:{_alternation(self.qualified)})\s*\(")

    def aliases(self, bindings: Iterable[tuple[str, str]]) -> set[str]:
        """Local names bound to a vulnerable function (`{ template as t }`, subpath default)."""
        return {local for imported, local in bindings if imported in self.shorts}


def _calls(regex: re.Pattern[str] | None, text: str, rel: str, lines: _Lines) -> list[str]:
    return [] if regex is None else [f"{rel}:{lines(m.start())}" for m in regex.finditer(text)]


# ----------------------------------------------------------------------- the pass


def collect_evidence(
    root: Path,
    ecosystem: str,
    package: str,
    vulnerable_functions: Sequence[str] = (),
    *,
    max_file_bytes: int = 2_000_000,
    max_files: int = 50_000,
) -> Evidence:
    """Read the clone at `root` as text and decide whether `package` is used.

    `ecosystem` and `package` are GitHub's words (`npm`/`lodash`, `pip`/`PyYAML`,
    `maven`/`org.yaml:snakeyaml`, `go`/`golang.org/x/net`, `rubygems`/`activesupport`).
    `max_files` bounds the source files read (and, times ten, the directory entries walked);
    hitting either bound makes the scan incomplete, never silently "not_used".
    """
    root = Path(root).resolve(strict=True)
    if not root.is_dir():
        raise NotADirectoryError(f"not a directory: {root}")
    package = package.strip()
    if not package:
        raise ValueError("package name is empty")
    eco = _ecosystem(ecosystem, package)
    tree = _walk(root, eco, max_entries=max_files * 10)
    tree.incomplete.extend(_missing_submodules(root, max_file_bytes))
    reasons: list[str] = []
    if tree.skipped:
        listed = ", ".join(f"{name} ({n})" for name, n in sorted(tree.skipped.items()))
        reasons.append(
            "Skipped dependency, vendored, generated and VCS directories, whose code is not "
            f"this repository's own: {listed}."
        )

    manifest_texts: dict[str, str] = {}
    for rel, path in sorted(tree.manifests):
        text, why = _read_text(path, max_file_bytes)
        if text is None:
            reasons.append(f"Manifest {rel} {why}; it was not checked.")
        else:
            manifest_texts[rel] = text
    for rel, text in manifest_texts.items():
        eco.learn(rel, PurePosixPath(rel).name, text)
    manifests = [
        rel
        for rel, text in manifest_texts.items()
        if eco.names_package(rel, PurePosixPath(rel).name, text)
    ]

    if not eco.supported:
        return _unsupported(eco, package, manifests, reasons)
    return _supported(
        eco,
        package,
        tree,
        manifests,
        manifest_texts,
        vulnerable_functions,
        reasons,
        max_file_bytes=max_file_bytes,
        max_files=max_files,
    )


def _unsupported(
    eco: _Ecosystem, package: str, manifests: list[str], reasons: list[str]
) -> Evidence:
    head = [
        f"The {eco.name or 'unnamed'} ecosystem is not supported by the evidence pass, so no "
        "source was scanned and usage cannot be proven either way: maybe_used."
    ]
    if manifests:
        head.append(f"{package} is named in {len(manifests)} manifest(s), e.g. {manifests[0]}.")
    listed = _finish(manifests, "manifests", reasons)
    return Evidence(
        ecosystem=eco.name,
        package=package,
        supported=False,
        manifests=listed,
        imports=[],
        vulnerable_calls=[],
        files_scanned=0,
        files_unreadable=[],
        scan_complete=False,
        usage=Usage.MAYBE_USED,
        reasons=head + reasons,
    )


def _supported(
    eco: _Ecosystem,
    package: str,
    tree: _Tree,
    manifests: list[str],
    manifest_texts: dict[str, str],
    vulnerable_functions: Sequence[str],
    reasons: list[str],
    *,
    max_file_bytes: int,
    max_files: int,
) -> Evidence:
    vuln = _Vulnerable.parse(vulnerable_functions)
    ruby = isinstance(eco, _Rubygems)
    needles = eco.needles()
    call_needles = [n.lower() for n in vuln.shorts]
    qualified = vuln.qualified_regex()

    imports: list[str] = []
    calls: list[str] = []
    mentions: list[str] = []
    bundler: list[str] = []
    unreadable: dict[str, str] = dict(tree.blocked)
    all_bindings: list[tuple[str, str]] = []
    importing: set[str] = set()
    readable: list[tuple[str, Path]] = []
    scanned = 0

    sources = sorted(tree.sources)
    over_limit = max(0, len(sources) - max_files)
    for rel, path in sources[:max_files]:
        text, why = _read_text(path, max_file_bytes)
        if text is None:
            unreadable[rel] = why
            continue
        scanned += 1
        readable.append((rel, path))
        lower = text.lower()
        lines = _Lines(text)
        name = PurePosixPath(rel).name
        if any(n in lower for n in needles):
            hits = eco.find_imports(rel, name, text)
            if hits:
                importing.add(rel)
                imports.extend(f"{rel}:{lines(h.offset)}" for h in hits)
                bindings = [b for h in hits for b in h.bindings]
                all_bindings.extend(bindings)
                if vuln:
                    local = vuln.shorts | vuln.aliases(bindings)
                    calls += _calls(_Vulnerable.call_regex(local, ruby), text, rel, lines)
            if isinstance(eco, _Rubygems):
                bundler.extend(f"{rel}:{lines(o)}" for o in eco.bundler_require(text))
        if isinstance(eco, _Go):
            mentions.extend(f"{rel}:{lines(o)}" for o in eco.go_generate(text))
        if rel not in importing and qualified is not None and any(n in lower for n in call_needles):
            calls += _calls(qualified, text, rel, lines)

    # Names bound from the package somewhere (destructuring, named imports, aliases) may be
    # re-exported and called anywhere: look for their calls in every other source file.
    anywhere = vuln.aliases(all_bindings) if vuln else set()
    anywhere_regex = _Vulnerable.call_regex(anywhere, ruby)
    if anywhere_regex is not None:
        lowered = [a.lower() for a in anywhere]
        for rel, path in readable:
            if rel in importing:
                continue
            text, _ = _read_text(path, max_file_bytes)
            if text is not None and any(a in text.lower() for a in lowered):
                calls += _calls(anywhere_regex, text, rel, _Lines(text))

    mentions += _mentions(eco, tree, manifest_texts, max_file_bytes, reasons)

    incomplete = list(tree.incomplete)
    if over_limit:
        incomplete.append(
            f"{len(sources)} source files exceed the {max_files}-file limit; "
            f"{over_limit} were not scanned"
        )
    if unreadable:
        first = min(unreadable)
        incomplete.append(
            f"{len(unreadable)} source file(s) could not be scanned, e.g. {first} "
            f"{unreadable[first]}"
        )
    scan_complete = not incomplete

    head: list[str] = []
    autorequired = eco.autorequired() if isinstance(eco, _Rubygems) else None
    if imports:
        usage = Usage.USED
        first_import = min(imports, key=_location_key)
        head.append(
            f"{package} is imported: {len(set(imports))} import(s) found ({eco.forms()}), "
            f"first at {first_import}."
        )
    elif autorequired is not None and bundler:
        usage = Usage.USED
        imports = list(bundler)
        head.append(
            f"{autorequired.where} lists {package} outside the development/test groups and "
            f"{min(bundler, key=_location_key)} calls Bundler.require, which requires every "
            "such gem at boot."
        )
    else:
        doubts = [f"the scan is incomplete: {why}" for why in incomplete]
        if not sources:
            doubts.append(
                f"no {eco.name} source file exists, so the package can only be used as a "
                "program or by other dependencies, which imports cannot show"
            )
        if not eco.certain:
            doubts.append("its import names are guessed, not known")
        runtime = eco.runtime_doubt()
        if runtime:
            doubts.append(runtime.rstrip("."))
        if mentions:
            doubts.append(
                f"it is named in {len(set(mentions))} run/config place(s), e.g. "
                f"{min(mentions, key=_location_key)}: it may run as a program or be loaded by name"
            )
        if not manifests:
            doubts.append(
                "no manifest or lockfile names it, so the name forms searched may not be the "
                "ones this repository uses"
            )
        if doubts:
            usage = Usage.MAYBE_USED
            head.append(
                f"No import of {package} found ({eco.forms()}), but not_used is not proven: "
                + "; ".join(doubts)
                + "."
            )
        else:
            usage = Usage.NOT_USED
            head.append(
                f"Not used: every one of {scanned} {eco.name} source file(s) was scanned and "
                f"none imports {package} ({eco.forms()})."
            )
        if isinstance(eco, _Rubygems) and eco.gem_entries and autorequired is None:
            head.append(
                f"The Gemfile lists {package} only for development/test or with require: false, "
                "so Bundler.require does not load it in production."
            )

    notes = list(eco.notes) + tree.notes
    if usage is Usage.USED and incomplete:
        notes.append(
            f"The scan was incomplete ({'; '.join(incomplete)}); that cannot undo a found import."
        )
    if manifests and all(eco.is_lockfile(m, PurePosixPath(m).name) for m in manifests):
        notes.append(
            f"{package} is named only in lockfiles, so it is a transitive dependency: this "
            "pass sees only the repository's own code, and other dependencies may still call it."
        )
    if calls:
        notes.append(
            f"{len(set(calls))} call(s) of the advisory's vulnerable functions "
            f"({', '.join(sorted(vuln.shorts))}) found, first at {min(calls, key=_location_key)}."
        )
    elif vuln:
        notes.append(
            f"No call of the advisory's vulnerable functions ({', '.join(sorted(vuln.shorts))}) "
            "was found; calls through other names cannot be ruled out."
        )

    caps: list[str] = []
    evidence = Evidence(
        ecosystem=eco.name,
        package=package,
        supported=True,
        manifests=_finish(manifests, "manifests", caps),
        imports=_finish(imports, "imports", caps),
        vulnerable_calls=_finish(calls, "vulnerable_calls", caps),
        files_scanned=scanned,
        files_unreadable=_finish(unreadable, "files_unreadable", caps),
        scan_complete=scan_complete,
        usage=usage,
        reasons=head + notes + reasons + caps,
        mentions=_finish(mentions, "mentions", caps),
    )
    return evidence


def _mentions(
    eco: _Ecosystem,
    tree: _Tree,
    manifest_texts: dict[str, str],
    max_file_bytes: int,
    reasons: list[str],
) -> list[str]:
    """Run and config files, and package.json outside its dependency sections, naming it."""
    words = _word_regex(eco.word_terms)
    prefixes = _word_regex(eco.prefix_terms, allow_dot_after=True)
    regexes = [r for r in (words, prefixes) if r is not None]
    found: list[str] = []
    unread: list[str] = []
    for rel, path in sorted(tree.run_files):
        text, _why = _read_text(path, max_file_bytes)
        if text is None:
            unread.append(rel)
            continue
        lines = _Lines(text)
        for regex in regexes:
            found.extend(f"{rel}:{lines(m.start())}" for m in regex.finditer(text))
    if unread:
        reasons.append(
            f"{len(unread)} run/config file(s) could not be read for mentions, e.g. {unread[0]}."
        )
    if isinstance(eco, _Npm):
        for rel, text in manifest_texts.items():
            if PurePosixPath(rel).name == "package.json":
                found.extend(_package_json_mentions(rel, text, regexes))
    return found


_NPM_NOT_MENTIONS = frozenset(
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


def _package_json_mentions(rel: str, text: str, regexes: list[re.Pattern[str]]) -> list[str]:
    """package.json naming the package outside its dependency sections and `name`: scripts
    that run its CLI, eslint/babel/jest/prettier config that loads it as a plugin."""
    try:
        document = json.loads(text)
    except ValueError:
        document = None
    if not isinstance(document, dict):  # unparsable: every line counts (errs towards doubt)
        return [
            f"{rel}:{n}"
            for n, line in enumerate(text.splitlines(), 1)
            if any(r.search(line) for r in regexes)
        ]
    found: list[str] = []
    lines = text.splitlines()
    for key, value in document.items():
        if key in _NPM_NOT_MENTIONS:
            continue
        for string in _json_strings({key: value}):
            if not any(r.search(string) for r in regexes):
                continue
            encoded = json.dumps(string)[1:-1]
            number = next((n for n, line in enumerate(lines, 1) if encoded in line), 1)
            found.append(f"{rel}:{number}")
    return found
