"""The TOML configuration: every key, its default, and the one-line error a bad value earns.

The config is the only place an analyst tunes the tool, and it is read before anything touches
GitHub or the database, so everything here is strict: an unknown key is a typo that would
otherwise be silently ignored, and "3" for a number or `true` for a count is refused rather
than coerced. Errors are one line, `PATH: key.path: reason`, because they are printed at start
instead of a traceback (docs/architecture.md, "Fixed interfaces" → "Config"). Secrets never
live here: the GitHub token comes from the environment or the OS keyring only.
"""

from __future__ import annotations

import difflib
import fnmatch
import os
import re
import tomllib
from collections.abc import Mapping
from pathlib import Path
from typing import Annotated, Any, Literal
from urllib.parse import urlsplit

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PrivateAttr,
    ValidationError,
    ValidationInfo,
    field_validator,
    model_validator,
)
from pydantic.fields import FieldInfo

from secagent_tui.domain.errors import SecagentError
from secagent_tui.domain.filters import FindingFilter
from secagent_tui.domain.finding import (
    MAX_COMMENT_CHARS,
    AlertState,
    DismissReason,
    Scope,
    Severity,
)
from secagent_tui.domain.owner import (
    MAX_LOGIN_CHARS,
    MAX_REPO_NAME_CHARS,
    Owner,
    OwnerKind,
    login_problem,
)
from secagent_tui.domain.rules import RuleAction, TriageRule
from secagent_tui.domain.sla import SlaDays
from secagent_tui.domain.triage import Confidence

__all__ = [
    "AnalysisConfig",
    "AutoDismissConfig",
    "Config",
    "ConfigError",
    "DatabaseConfig",
    "GithubConfig",
    "LlmConfig",
    "ObservabilityConfig",
    "OwnerConfig",
    "SlaConfig",
    "SyncConfig",
    "TriageConfig",
    "TriageRuleConfig",
    "UiConfig",
    "ViewConfig",
    "default_config_path",
    "expand_path",
    "github_token_from_env",
    "load_config",
]

SQLITE_PREFIX = "sqlite+aiosqlite://"
POSTGRES_PREFIX = "postgresql+asyncpg://"
DEFAULT_OLLAMA_PORT = 11434

ENV_CONFIG = "SECAGENT_CONFIG"
ENV_DATABASE_URL = "SECAGENT_DATABASE_URL"
ENV_OLLAMA_HOST = "OLLAMA_HOST"
ENV_GITHUB_TOKEN = "GITHUB_TOKEN"

_XDG_DEFAULTS = {
    "XDG_CONFIG_HOME": ".config",
    "XDG_DATA_HOME": ".local/share",
    "XDG_CACHE_HOME": ".cache",
    "XDG_STATE_HOME": ".local/state",
}
_VAR = re.compile(r"\$(?:\{(\w+)\}|(\w+))")


class ConfigError(SecagentError):
    """A config problem the user must fix; its str is the whole one-line message to print."""


class _KeyProblem(ValueError, SecagentError):
    """A validator's complaint about a key below the one it validates.

    Cross-field rules (model vs allowed_models, duplicate owners) run on the enclosing table,
    where pydantic would blame the table itself; this carries the key that is actually wrong so
    the message names it.
    """

    def __init__(self, key: str, reason: str) -> None:
        super().__init__(reason)
        self.key = key
        self.reason = reason


# --------------------------------------------------------------------------- expansion


def _env_from(info: ValidationInfo | None) -> Mapping[str, str]:
    """Validators see the `env` given to load_config, so tests never touch os.environ."""
    context = info.context if info is not None else None
    if isinstance(context, Mapping) and isinstance(context.get("env"), Mapping):
        return context["env"]
    return os.environ


def _home(env: Mapping[str, str]) -> str:
    return env.get("HOME") or str(Path.home())


def _xdg(name: str, env: Mapping[str, str]) -> str:
    """The XDG spec says unset, empty or relative values mean the default, so honour that."""
    value = env.get(name, "")
    if value and os.path.isabs(value):
        return value
    return os.path.join(_home(env), _XDG_DEFAULTS[name])


def expand_path(text: str, env: Mapping[str, str] | None = None) -> str:
    """Expand `$VAR`, `${VAR}` and a leading `~` against `env`.

    Written by hand rather than with os.path.expandvars because the XDG variables must fall
    back to their defaults when undefined, and because `env` may not be os.environ. Unknown
    variables stay as written, like expandvars does, so the mistake is visible in the path.
    """
    env = os.environ if env is None else env

    def substitute(match: re.Match[str]) -> str:
        name = match.group(1) or match.group(2)
        if name in _XDG_DEFAULTS:
            return _xdg(name, env)
        if name == "HOME":
            return _home(env)
        return env.get(name, match.group(0))

    expanded = _VAR.sub(substitute, text)
    if expanded == "~" or expanded.startswith("~/"):
        return _home(env) + expanded[1:]
    return os.path.expanduser(expanded)


def default_config_path(env: Mapping[str, str] | None = None) -> Path:
    """Where the config lives when neither --config nor SECAGENT_CONFIG says otherwise."""
    env = os.environ if env is None else env
    return Path(_xdg("XDG_CONFIG_HOME", env)) / "secagent" / "config.toml"


def github_token_from_env(env: Mapping[str, str] | None = None) -> str | None:
    """GITHUB_TOKEN, if set and not blank: the token is never config, so it is read apart."""
    env = os.environ if env is None else env
    token = env.get(ENV_GITHUB_TOKEN, "").strip()
    return token or None


# --------------------------------------------------------------------------- field types


def _expanded_path(value: Any, info: ValidationInfo) -> Path:
    """Paths are written as strings in TOML; strictness still refuses numbers and booleans."""
    if isinstance(value, Path):
        value = str(value)
    if not isinstance(value, str):
        raise ValueError("Input should be a valid string")
    if not value.strip():
        raise ValueError("path must not be empty")
    return Path(expand_path(value, _env_from(info)))


ExpandedPath = Annotated[Path, BeforeValidator(_expanded_path)]
NonEmptyStr = Annotated[str, Field(min_length=1)]


def _http_url(value: str, what: str = "URL") -> str:
    """Only http(s) with a host: anything else would fail later, far from the config line."""
    parts = urlsplit(value.strip())
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"{what} must be an http:// or https:// URL with a host")
    return value.strip().rstrip("/")


def _float_field(default: float, *, ge: float, le: float) -> Any:
    """A bounded, finite float: TOML has inf and nan, and a number beyond any sane bound (or
    one so small its inverse overflows) is a typo that would surface far from the config."""
    return Field(default=default, ge=ge, le=le, allow_inf_nan=False)


def _section(**kwargs: Any) -> Any:
    """A sub-table's default, validated like a written one so env-aware defaults see `env`."""
    return Field(default_factory=dict, validate_default=True, **kwargs)


class _Section(BaseModel):
    model_config = ConfigDict(extra="forbid", strict=True)


# --------------------------------------------------------------------------- sections


class GithubConfig(_Section):
    """Where GitHub is: github.com by default, GHES by changing api_url (https://HOST/api/v3)."""

    api_url: str = "https://api.github.com"
    clone_url_template: str = Field(default="https://github.com/{repo}.git", validate_default=True)
    request_timeout_seconds: float = _float_field(30.0, ge=0.01, le=3600)
    max_retries: int = Field(default=5, ge=0, le=100)

    @field_validator("api_url")
    @classmethod
    def _check_api_url(cls, value: str) -> str:
        return _http_url(value)

    @field_validator("clone_url_template")
    @classmethod
    def _check_clone_template(cls, value: str, info: ValidationInfo) -> str:
        """Clones are read-only analysis inputs; local mirrors (file://, paths) serve demos."""
        if "{repo}" not in value:
            raise ValueError("must contain the placeholder {repo}")
        try:
            value.format(repo="owner/name")
        except (KeyError, IndexError, ValueError):
            raise ValueError("only the placeholder {repo} is allowed") from None
        scheme, sep, rest = value.partition("://")
        if sep:
            if scheme == "file":
                return "file://" + expand_path(rest, _env_from(info))
            if scheme in ("http", "https"):
                parts = urlsplit(value.replace("{repo}", "owner/name"))
                if not parts.hostname:
                    raise ValueError("URL must have a host")
                if "@" in parts.netloc:
                    raise ValueError(
                        "must not carry credentials (user:password@): secrets never live in "
                        "config; the token comes from GITHUB_TOKEN or the keyring"
                    )
                return value
            raise ValueError("must be an https://, http:// or file:// URL or a local path")
        if re.match(r"^[^/]+:", value):
            # git reads `host:path` with no slash before the colon as scp-like ssh.
            raise ValueError("must be an https://, http:// or file:// URL or a local path")
        return expand_path(value, _env_from(info))


_GLOB_CHARS = "*?[]!"
_LOGIN_GLOB = re.compile(r"[A-Za-z0-9*?\[\]!-]+")
_REPO_GLOB = re.compile(r"[A-Za-z0-9._*?\[\]!-]+")


def _glob_problem(owner_part: str, repo_part: str) -> str | None:
    """Why an `owner/name` glob can match no GitHub repository, or None.

    Glob characters are allowed on both sides; everything else must be what a login or a
    repository name may hold, and a name part without glob characters must be a valid name.
    """
    if len(owner_part) > MAX_LOGIN_CHARS or not _LOGIN_GLOB.fullmatch(owner_part):
        return "owner part must be a GitHub login or a glob over one (letters, digits, '-')"
    if not any(ch in _GLOB_CHARS for ch in owner_part) and login_problem(owner_part):
        return f"owner part {login_problem(owner_part)}"
    if (
        repo_part in (".", "..")
        or len(repo_part) > MAX_REPO_NAME_CHARS
        or not _REPO_GLOB.fullmatch(repo_part)
    ):
        return (
            "repository part must be a GitHub repository name or a glob over one "
            f"(letters, digits, '.', '_', '-'; not '.' or '..'; at most {MAX_REPO_NAME_CHARS})"
        )
    return None


class OwnerConfig(_Section):
    """One `[[owners]]` entry: a GitHub org or user, optionally narrowed to some repositories."""

    kind: OwnerKind = Field(strict=False)
    name: str
    repos: list[NonEmptyStr] = Field(default_factory=list)

    @field_validator("name")
    @classmethod
    def _check_name(cls, value: str, info: ValidationInfo) -> str:
        """The name goes into `/orgs/NAME/...` URLs: `..` or `?` there would ask for another
        resource, so only what GitHub allows in a login passes (an organization's, for an
        org: no managed user's `_shortcode`)."""
        problem = login_problem(value, user=info.data.get("kind") is not OwnerKind.ORG)
        if problem is not None:
            raise ValueError(problem)
        return value

    @model_validator(mode="after")
    def _check_repos(self) -> OwnerConfig:
        """A pattern for another owner's repositories would silently match nothing, and one
        that no repository name can match (spaces, `..`, controls) is a mistake to show."""
        for index, pattern in enumerate(self.repos):
            owner_part, slash, repo_part = pattern.partition("/")
            if not slash or not owner_part or not repo_part:
                raise _KeyProblem(f"repos.{index}", "must be an owner/name glob, e.g. 'acme/web-*'")
            problem = _glob_problem(owner_part, repo_part)
            if problem is not None:
                raise _KeyProblem(f"repos.{index}", problem)
            if not fnmatch.fnmatchcase(self.name.lower(), owner_part.lower()):
                raise _KeyProblem(
                    f"repos.{index}", f"pattern's owner part does not match {self.name!r}"
                )
        return self

    def owner(self) -> Owner:
        """The domain value the rest of the program works with."""
        return Owner(self.kind, self.name)

    def includes(self, repo: str) -> bool:
        """Whether `owner/name` is synced: an empty allow-list means every repository."""
        if not Owner(self.kind, self.name).owns(repo):
            return False
        if not self.repos:
            return True
        return any(fnmatch.fnmatchcase(repo.lower(), p.lower()) for p in self.repos)


class DatabaseConfig(_Section):
    """SQLite for one analyst, PostgreSQL for a team; both through their async drivers."""

    url: str = Field(
        default=SQLITE_PREFIX + "/$XDG_DATA_HOME/secagent/secagent.db", validate_default=True
    )
    echo: bool = False

    @field_validator("url")
    @classmethod
    def _check_url(cls, value: str, info: ValidationInfo) -> str:
        """Never echo the URL in the error: a PostgreSQL URL may carry a password."""
        value = value.strip()
        if value.startswith(SQLITE_PREFIX):
            rest = value[len(SQLITE_PREFIX) :]
            if rest and not rest.startswith("/"):
                raise ValueError(f"SQLite URL must be {SQLITE_PREFIX}/PATH (three slashes)")
            if rest not in ("", "/", "/:memory:"):
                return SQLITE_PREFIX + "/" + expand_path(rest[1:], _env_from(info))
            return value
        if value.startswith(POSTGRES_PREFIX):
            if len(value) == len(POSTGRES_PREFIX):
                raise ValueError("PostgreSQL URL names no server or database")
            return value
        raise ValueError(f"must start with {SQLITE_PREFIX} or {POSTGRES_PREFIX}")

    @property
    def sqlite_path(self) -> Path | None:
        """The database file, so callers can create its directory; None for memory/PostgreSQL."""
        if not self.url.startswith(SQLITE_PREFIX + "/"):
            return None
        path = self.url[len(SQLITE_PREFIX) + 1 :].split("?", 1)[0]
        if not path or path == ":memory:":
            return None
        return Path(path)


class LlmConfig(_Section):
    """The Ollama server and the models the analyst has agreed may see alert data."""

    host: str = "http://127.0.0.1:11434"
    model: NonEmptyStr = "qwen2.5-coder:7b"
    allowed_models: list[NonEmptyStr] = Field(default_factory=list, min_length=1)
    timeout_seconds: float = _float_field(120.0, ge=0.01, le=86400)
    triage_timeout_seconds: float = _float_field(60.0, ge=0.01, le=86400)
    extraction_timeout_seconds: float = _float_field(120.0, ge=0.01, le=86400)

    @field_validator("host")
    @classmethod
    def _check_host(cls, value: str) -> str:
        """Accept OLLAMA_HOST's bare `host[:port]` form the way the ollama client reads it."""
        value = value.strip()
        if value and "://" not in value:
            hostport = value.rstrip("/")
            if not re.search(r":\d+$", hostport):
                hostport = f"{hostport}:{DEFAULT_OLLAMA_PORT}"
            value = "http://" + hostport
        return _http_url(value)

    @model_validator(mode="before")
    @classmethod
    def _default_allowed(cls, data: Any) -> Any:
        """Unset, the allow-list is just the configured model: the safe reading of silence."""
        if isinstance(data, Mapping) and "allowed_models" not in data:
            model = data.get("model", cls.model_fields["model"].default)
            return {**data, "allowed_models": [model]}
        return data

    @model_validator(mode="after")
    def _check_model_allowed(self) -> LlmConfig:
        """The allow-list is the guard against a typo sending alerts to an unvetted model."""
        if self.model not in self.allowed_models:
            raise _KeyProblem("model", f"model {self.model!r} is not in allowed_models")
        return self

    def is_allowed(self, model: str) -> bool:
        """For models chosen at run time (TUI, CLI): the same rule as the configured one."""
        return model in self.allowed_models


def _severity_word(value: Any) -> Any:
    """Advisory databases say "moderate" where the alerts API says "medium"; take both."""
    return Severity.parse(value) if isinstance(value, str) else value


SeverityWord = Annotated[Severity, BeforeValidator(_severity_word)]


class AutoDismissConfig(_Section):
    """Off by default: dismissing on GitHub without a human is an opt-in decision. Above
    `max_severity` only an analyst dismisses (or a config rule that names the case)."""

    enabled: bool = False
    min_confidence: Confidence = Field(default=Confidence.HIGH, strict=False)
    max_severity: SeverityWord = Severity.HIGH


class TriageRuleConfig(_Section):
    """One `[[triage.rules]]` table: conditions (all must hold) and an action."""

    name: str = Field(min_length=1)
    action: RuleAction = Field(strict=False)
    reason: DismissReason | None = Field(default=None, strict=False)
    comment: str = Field(default="", max_length=MAX_COMMENT_CHARS)
    severity: list[SeverityWord] = Field(default_factory=list)
    min_severity: SeverityWord | None = None
    scope: Scope | None = Field(default=None, strict=False)
    ecosystem: list[str] = Field(default_factory=list)
    package: str | None = None
    cwe: list[str] = Field(default_factory=list)
    epss_min: float | None = Field(default=None, ge=0, le=1)
    epss_max: float | None = Field(default=None, ge=0, le=1)
    manifest: str | None = None
    patch_available: bool | None = None

    @model_validator(mode="after")
    def _dismiss_needs_reason(self) -> TriageRuleConfig:
        if self.action is RuleAction.DISMISS and self.reason is None:
            raise _KeyProblem("reason", "a dismiss rule needs one of GitHub's five reasons")
        if self.action is RuleAction.SNOOZE_UNTIL_PATCH:
            if self.reason not in (None, DismissReason.TOLERABLE_RISK):
                raise _KeyProblem(
                    "reason", "a snooze_until_patch rule always dismisses as tolerable_risk"
                )
            if self.patch_available:
                raise _KeyProblem(
                    "patch_available",
                    "a snooze_until_patch rule is for findings without a patch",
                )
        return self

    def rule(self) -> TriageRule:
        return TriageRule(
            name=self.name,
            action=self.action,
            reason=self.reason,
            comment=self.comment,
            severities=tuple(self.severity),
            min_severity=self.min_severity,
            scope=self.scope,
            ecosystems=tuple(self.ecosystem),
            package=self.package,
            cwes=tuple(self.cwe),
            epss_min=self.epss_min,
            epss_max=self.epss_max,
            manifest=self.manifest,
            patch_available=self.patch_available,
        )


class TriageConfig(_Section):
    """Tier 1: config rules first (first match wins), then the LLM unless `use_llm` is off."""

    use_llm: bool = True
    rules: list[TriageRuleConfig] = Field(default_factory=list)

    def rule_list(self) -> list[TriageRule]:
        return [r.rule() for r in self.rules]


class SlaConfig(_Section):
    """Days to fix by severity, kept in the config because SLAs are an organization's policy."""

    critical_days: int = Field(default=15, gt=0, le=3650)
    high_days: int = Field(default=30, gt=0, le=3650)
    medium_days: int = Field(default=45, gt=0, le=3650)
    low_days: int = Field(default=90, gt=0, le=3650)

    def days(self) -> SlaDays:
        return SlaDays(
            critical=self.critical_days,
            high=self.high_days,
            medium=self.medium_days,
            low=self.low_days,
        )


class AnalysisConfig(_Section):
    """Limits on the pipeline, so one owner cannot starve the others or fill the disk."""

    max_concurrent_per_owner: int = Field(default=3, ge=1, le=1000)
    lease_seconds: int = Field(default=120, ge=5, le=86400)
    running_stale_minutes: int = Field(default=30, ge=1, le=10080)
    max_attempts: int = Field(default=3, ge=1, le=100)
    backoff_seconds: float = _float_field(5.0, ge=0, le=86400)
    workspace_dir: ExpandedPath = Field(
        default="$XDG_CACHE_HOME/secagent/workspaces", validate_default=True
    )
    max_repo_bytes: int = Field(default=500 * 1024 * 1024, ge=1, le=2**40)
    agent_max_steps: int = Field(default=20, ge=1, le=10_000)
    agent_max_bytes: int = Field(default=200_000, ge=1, le=1_000_000_000)
    agent_max_seconds: float = _float_field(300.0, ge=1, le=86400)
    # The write interval is its inverse: a denormal rate made it infinite.
    dismiss_writes_per_second: float = _float_field(1.0, ge=0.001, le=100)


class SyncConfig(_Section):
    """Sync pacing: enough parallelism to be quick, a floor that keeps GitHub's limit intact."""

    concurrency: int = Field(default=8, ge=1, le=64)
    max_pages_per_run: int = Field(default=2000, ge=1, le=1_000_000)
    overlap_seconds: int = Field(default=300, ge=0, le=604800)
    rate_limit_floor: int = Field(default=100, ge=0, le=100_000)


class ViewConfig(_Section):
    """One `[[ui.views]]` table: a named filter, like a gh-dash section. Every key left out
    matches anything (`state` defaults to open)."""

    name: NonEmptyStr
    state: list[Annotated[AlertState, Field(strict=False)]] = Field(
        default_factory=lambda: [AlertState.OPEN], min_length=1
    )
    severity: list[SeverityWord] = Field(default_factory=list)
    min_severity: SeverityWord | None = None
    ecosystem: list[str] = Field(default_factory=list)
    scope: Scope | None = Field(default=None, strict=False)
    repo: str | None = None
    owner: str | None = None
    has_verdict: bool | None = None
    exploitable: bool | None = None
    overdue: bool | None = None
    pending_push: bool | None = None
    text: str = ""

    def filter(self) -> FindingFilter:
        return FindingFilter(
            states=tuple(self.state),
            severities=tuple(self.severity),
            min_severity=self.min_severity,
            ecosystems=tuple(self.ecosystem),
            scope=self.scope,
            repo_glob=self.repo,
            owner=self.owner,
            has_verdict=self.has_verdict,
            exploitable=self.exploitable,
            overdue=self.overdue,
            pending_push=self.pending_push,
            text=self.text,
        )


class UiConfig(_Section):
    """TUI preferences; `keys` rebinds actions by binding id; `views` adds saved views."""

    sync_minutes: int = Field(default=15, ge=0, le=10080)
    theme: NonEmptyStr = "textual-dark"
    relative_times: bool = True
    keys: dict[NonEmptyStr, NonEmptyStr] = Field(default_factory=dict)
    views: list[ViewConfig] = Field(default_factory=list)

    @field_validator("views")
    @classmethod
    def _unique_view_names(cls, views: list[ViewConfig]) -> list[ViewConfig]:
        seen: set[str] = set()
        for index, view in enumerate(views):
            if view.name.lower() in seen:
                raise _KeyProblem(f"{index}.name", f"duplicate view name {view.name!r}")
            seen.add(view.name.lower())
        return views


LogLevel = Literal["DEBUG", "INFO", "WARNING", "ERROR"]


class ObservabilityConfig(_Section):
    """Logs go to a file because the TUI owns the terminal."""

    log_file: ExpandedPath = Field(
        default="$XDG_STATE_HOME/secagent/secagent.log", validate_default=True
    )
    log_level: LogLevel = "INFO"
    heartbeat_url: str | None = None

    @field_validator("log_level", mode="before")
    @classmethod
    def _upper_level(cls, value: Any) -> Any:
        return value.upper() if isinstance(value, str) else value

    @field_validator("heartbeat_url")
    @classmethod
    def _check_heartbeat(cls, value: str | None) -> str | None:
        """The URL may embed a check's secret id, so the error never repeats it."""
        return None if value is None else _http_url(value)


class Config(_Section):
    """The whole file. `source` is where it came from (None: defaults only), set by loading."""

    github: GithubConfig = _section()
    owners: list[OwnerConfig] = Field(default_factory=list)
    database: DatabaseConfig = _section()
    llm: LlmConfig = _section()
    auto_dismiss: AutoDismissConfig = _section()
    triage: TriageConfig = _section()
    sla: SlaConfig = _section()
    analysis: AnalysisConfig = _section()
    sync: SyncConfig = _section()
    ui: UiConfig = _section()
    observability: ObservabilityConfig = _section()

    _source: Path | None = PrivateAttr(default=None)

    @property
    def source(self) -> Path | None:
        return self._source

    @source.setter
    def source(self, value: Path | None) -> None:
        self._source = value

    @field_validator("owners")
    @classmethod
    def _no_duplicate_owners(cls, owners: list[OwnerConfig]) -> list[OwnerConfig]:
        """GitHub logins are case-insensitive; a second entry would sync everything twice."""
        seen: dict[tuple[str, str], int] = {}
        for index, owner in enumerate(owners):
            key = (owner.kind.value, owner.name.lower())
            if key in seen:
                raise _KeyProblem(
                    f"{index}.name",
                    f"duplicate owner {owner.kind.value} {owner.name!r} "
                    f"(same as owners.{seen[key]})",
                )
            seen[key] = index
        return owners

    def owner_list(self) -> list[Owner]:
        return [o.owner() for o in self.owners]

    def owner_config(self, name: str) -> OwnerConfig | None:
        """The `[[owners]]` entry for a login, matched the way GitHub matches logins."""
        for owner in self.owners:
            if owner.name.lower() == name.lower():
                return owner
        return None


# --------------------------------------------------------------------------- errors


_TOKEN_KEYS = {"token", "github_token", "api_token", "access_token", "pat"}


def _model_at(loc: tuple[Any, ...]) -> type[BaseModel] | None:
    """The model class that owns the key at the end of `loc`, for "did you mean" hints."""
    model: type[BaseModel] | None = Config
    for part in loc[:-1]:
        if model is None:
            return None
        if isinstance(part, int):
            continue
        field: FieldInfo | None = model.model_fields.get(str(part))
        if field is None:
            return None
        model = _inner_model(field.annotation)
    return model


def _inner_model(annotation: Any) -> type[BaseModel] | None:
    if isinstance(annotation, type) and issubclass(annotation, BaseModel):
        return annotation
    for arg in getattr(annotation, "__args__", ()):
        found = _inner_model(arg)
        if found is not None:
            return found
    return None


def _reason(error: Mapping[str, Any]) -> tuple[tuple[Any, ...], str]:
    """The key path and a short reason; never the input, which could be a secret."""
    loc = tuple(error.get("loc", ()))
    kind = error.get("type", "")
    ctx = error.get("ctx") or {}
    problem = ctx.get("error")
    if isinstance(problem, _KeyProblem):
        return loc + tuple(problem.key.split(".")), problem.reason
    if kind == "extra_forbidden":
        key = str(loc[-1]) if loc else ""
        if key.lower() in _TOKEN_KEYS:
            return loc, "unknown key (tokens never live in config: use GITHUB_TOKEN or the keyring)"
        model = _model_at(loc)
        if model is not None:
            close = difflib.get_close_matches(key, list(model.model_fields), n=1)
            if close:
                return loc, f"unknown key (did you mean {close[0]!r}?)"
        return loc, "unknown key"
    if kind == "missing":
        return loc, "required key missing"
    if kind in ("model_type", "dict_type"):
        return loc, "should be a table"
    if kind == "list_type":
        return loc, "should be an array"
    message = str(error.get("msg", "invalid value"))
    for prefix in ("Value error, ", "Assertion failed, "):
        if message.startswith(prefix):
            message = message[len(prefix) :]
    return loc, message


def _one_line(where: str, exc: ValidationError, prefix: tuple[str, ...] = ()) -> str:
    errors = exc.errors(include_url=False, include_input=False)
    if not errors:
        return f"{where}: invalid configuration"
    loc, reason = _reason(errors[0])
    key = ".".join(str(p) for p in (*prefix, *loc))
    line = f"{where}: {key}: {reason}" if key else f"{where}: {reason}"
    return " ".join(line.split())


# --------------------------------------------------------------------------- loading


def _resolve(path: str | Path | None, env: Mapping[str, str]) -> tuple[Path, str | None]:
    """The file to read and, if it was asked for explicitly, by whom (missing is then an error)."""
    if path is not None and str(path) != "":
        return Path(os.path.expanduser(str(path))), "--config"
    from_env = env.get(ENV_CONFIG, "").strip()
    if from_env:
        return Path(expand_path(from_env, env)), ENV_CONFIG
    return default_config_path(env), None


def _read_toml(path: Path) -> dict[str, Any]:
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise ConfigError(f"{path}: cannot read: not UTF-8 text") from None
    except OSError as exc:
        raise ConfigError(f"{path}: cannot read: {exc.strerror or exc}") from None
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(_toml_error(path, str(exc), text)) from None
    except RecursionError:
        # tomllib parses nested arrays and inline tables recursively.
        raise ConfigError(f"{path}: arrays or tables are nested too deeply") from None


def _toml_error(path: Path, message: str, text: str) -> str:
    """tomllib only puts the position in its message before 3.14, so take it from there."""
    message = " ".join(message.split())
    found = re.search(r"\s*\(at line (\d+), column (\d+)\)$", message)
    if found:
        reason = message[: found.start()] + f" (column {found.group(2)})"
        return f"{path}: line {found.group(1)}: {reason}"
    found = re.search(r"\s*\(at end of document\)$", message)
    if found:
        line = text.count("\n") + (0 if text.endswith("\n") else 1)
        return f"{path}: line {max(line, 1)}: {message[: found.start()]} (at end of document)"
    return f"{path}: line ?: {message}"


def _override(config: Config, section: str, key: str, var: str, env: Mapping[str, str]) -> None:
    """Apply one environment override, validated by the same rules as the file."""
    value = env.get(var, "")
    if not value.strip():
        return
    current: BaseModel = getattr(config, section)
    data = current.model_dump(exclude_defaults=False)
    data[key] = value
    try:
        replaced = type(current).model_validate(data, context={"env": env})
    except ValidationError as exc:
        raise ConfigError(_one_line(f"env {var}", exc, prefix=(section,))) from None
    setattr(config, section, replaced)


def load_config(path: str | Path | None = None, env: Mapping[str, str] | None = None) -> Config:
    """Read, validate and override the config; raise ConfigError with one printable line.

    Resolution: `path`, else $SECAGENT_CONFIG, else $XDG_CONFIG_HOME/secagent/config.toml.
    Only the last may be absent (then every default applies): a path someone named that does
    not exist is almost always a typo, and silently using defaults would hide it.
    """
    env = os.environ if env is None else env
    file, named_by = _resolve(path, env)
    data: dict[str, Any] = {}
    source: Path | None = None
    if file.exists() or named_by is not None:
        if not file.exists():
            via = "" if named_by == "--config" else f" (from {named_by})"
            raise ConfigError(f"{file}: config file not found{via}")
        data = _read_toml(file)
        source = file
    try:
        config = Config.model_validate(data, context={"env": env})
    except ValidationError as exc:
        raise ConfigError(_one_line(str(file), exc)) from None
    except RecursionError:
        raise ConfigError(f"{file}: arrays or tables are nested too deeply") from None
    _override(config, "llm", "host", ENV_OLLAMA_HOST, env)
    _override(config, "database", "url", ENV_DATABASE_URL, env)
    config.source = source
    return config
