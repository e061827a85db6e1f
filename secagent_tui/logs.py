"""Structured JSON logging to a file, with correlation ids and token redaction.

The TUI owns the terminal, so logs go only to a file, one JSON object per line, which
`jq` and log shippers read without a parser of ours. A correlation id kept in a
`contextvars.ContextVar` follows one finding through triage → sandbox → extraction →
dismissal, across `await`s, without being passed through every call.

Secrets must never reach the file (docs/architecture.md, "Secrets"): a filter on the handler scrubs
every record — message after %-formatting, `extra` fields, exception and stack text —
so a careless `log.info("%s", headers)` anywhere in the program, ours or a library's, is
still safe. `redact` is public so transcripts and error messages use the same rules.
"""

from __future__ import annotations

import contextvars
import json
import logging
import logging.handlers
import os
import re
import threading
import uuid
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

__all__ = [
    "CorrelationFilter",
    "JsonFormatter",
    "RedactTokens",
    "add_secret",
    "correlation",
    "correlation_id",
    "get_logger",
    "new_correlation_id",
    "redact",
    "redact_data",
    "route_library_loggers",
    "setup_logging",
]

MASK = "***"

# --------------------------------------------------------------------------- redaction

# Ordered: header values first, so "Authorization: Bearer ghp_x" keeps its scheme word
# and loses only the credential, and the later patterns see "***" (idempotent).
#
# Linear by construction: every pattern starts with a literal or, for the URL scheme, at the
# start of a run of scheme characters (the lookbehind), so no position is rescanned from
# every earlier one. The old userinfo pattern could start inside a run, so "a" * 40,000 made
# it scan the rest of the run from each of its letters (2.2 s; a 10 MB advisory description
# took hours). Each pattern also has a gate, a literal that every match contains and that no
# earlier replacement can create (they only insert "***"): text without it skips the pattern,
# so the common case costs a substring search (bench/redact_bench.py).


@dataclass(frozen=True, slots=True)
class _Redaction:
    pattern: re.Pattern[str]
    how: str
    gate: Callable[[str], object]


def _any_of(*literals: str) -> Callable[[str], bool]:
    return lambda text: any(literal in text for literal in literals)


def _all_of(*literals: str) -> Callable[[str], bool]:
    return lambda text: all(literal in text for literal in literals)


_REDACTIONS: tuple[_Redaction, ...] = (
    # Authorization / Proxy-Authorization header values, also as they appear in a dict
    # repr or JSON ('Authorization': 'token abc'). The scheme word is kept for debugging.
    _Redaction(
        re.compile(
            r"""(?P<key>authorization["']?\s*[:=]\s*["']?)"""
            r"""(?:(?P<scheme>bearer|token|basic)\s+)?"""
            r"""(?P<value>[^\s"',;]+)""",
            re.IGNORECASE,
        ),
        "__header__",
        # Same flags as the pattern, so every spelling IGNORECASE accepts passes the gate.
        re.compile("authorization", re.IGNORECASE).search,
    ),
    # "bearer xyz" anywhere, e.g. in an exception message that quotes a header.
    _Redaction(
        re.compile(r"\b(?P<scheme>bearer)\s+(?!\*\*\*)[^\s\"',;]+", re.IGNORECASE),
        "__bearer__",
        re.compile("bearer", re.IGNORECASE).search,
    ),
    # GitHub token shapes: classic PAT, OAuth, user-to-server, server-to-server, refresh.
    # No minimum length: a false positive costs a log reader a word, a miss leaks a key.
    _Redaction(re.compile(r"gh[pousr]_[A-Za-z0-9_]+"), MASK, _any_of("gh")),
    # Fine-grained personal access tokens.
    _Redaction(re.compile(r"github_pat_[A-Za-z0-9_]+"), MASK, _any_of("github_pat_")),
    # Credentials in URL userinfo (clone URLs: https://x-access-token:TOKEN@github.com/...).
    # Greedy up to the last "@" of the authority, so a raw "@" in a password is covered.
    # The scheme group takes the whole run of scheme characters before "://" (a leading
    # digit included, which RFC 3986 would not allow): it is kept as written, so the output
    # is the same as when the match started at the run's first letter.
    _Redaction(
        re.compile(r"(?<![A-Za-z0-9+.\-])(?P<scheme>[A-Za-z0-9+.\-]+://)[^/?#\s\"'<>]+@"),
        "__userinfo__",
        _all_of("://", "@"),
    ),
    # OAuth-style secrets in query strings.
    _Redaction(
        re.compile(r"(?P<key>\b(?:access_token|client_secret|refresh_token)=)[^&\s\"'#]+"),
        "__query__",
        _any_of("_token=", "_secret="),
    ),
)

# `extra` keys whose string values are secrets whatever they look like. Exact names, so
# counters such as `prompt_tokens` are not masked.
_SENSITIVE_KEYS = frozenset(
    {
        "authorization",
        "proxy-authorization",
        "token",
        "access_token",
        "refresh_token",
        "github_token",
        "password",
        "secret",
        "client_secret",
        "api_key",
        "cookie",
        "set-cookie",
    }
)


def _replace(match: re.Match[str], how: str) -> str:
    if how == "__header__":
        scheme = match.group("scheme")
        return f"{match.group('key')}{scheme + ' ' if scheme else ''}{MASK}"
    if how == "__bearer__":
        return f"{match.group('scheme')} {MASK}"
    if how == "__userinfo__":
        return f"{match.group('scheme')}{MASK}@"
    if how == "__query__":
        return f"{match.group('key')}{MASK}"
    return how


# The secrets this process holds (the GitHub token), masked exactly whatever their shape:
# the patterns know GitHub's token formats, but an older GitHub Enterprise token is 40 hex
# digits with no prefix, and an error message that quotes one names no header or scheme.
_known_secrets: tuple[str, ...] = ()
_known_lock = threading.Lock()
# Shorter values would mask ordinary words; no real token is this short.
_MIN_SECRET_CHARS = 8


def add_secret(value: str | None) -> None:
    """Have `redact` mask `value` wherever it appears from now on, in this process.

    Called where the token enters the program (`secrets.resolve_token`, the GitHub client),
    so the log file, stored errors and terminal lines hide it even when no pattern would.
    """
    global _known_secrets
    value = (value or "").strip()
    if len(value) < _MIN_SECRET_CHARS or value in _known_secrets:
        return
    with _known_lock:
        # Longest first, so a secret that contains another is masked whole.
        _known_secrets = tuple(sorted({*_known_secrets, value}, key=len, reverse=True))


def redact(text: str) -> str:
    """Mask credentials in free text.

    Idempotent and free of side effects (it reads only the text and the secrets added so
    far), so callers may apply it at every boundary (log file, stored transcripts, error
    lines shown to the user) without coordinating who already did.
    """
    for secret in _known_secrets:
        if secret in text:
            text = text.replace(secret, MASK)
    for redaction in _REDACTIONS:
        if redaction.gate(text):
            how = redaction.how
            text = redaction.pattern.sub(lambda m, how=how: _replace(m, how), text)
    return text


def _redact_value(value: Any, key: str | None = None) -> Any:
    """Redact a structured `extra` value, keeping JSON-native types as they are.

    Other objects are turned into their redacted `str` here, because the formatter's
    `default=str` would otherwise stringify them after redaction had run.
    """
    if isinstance(value, str):
        if key is not None and key.lower() in _SENSITIVE_KEYS:
            return MASK
        return redact(value)
    if value is None or isinstance(value, bool | int | float):
        return value
    if isinstance(value, dict):
        return {str(k): _redact_value(v, str(k)) for k, v in value.items()}
    if isinstance(value, list | tuple | set | frozenset):
        return [_redact_value(v) for v in value]
    return redact(str(value))


def redact_data(value: Any) -> Any:
    """`redact` for a JSON-shaped value (an audit line's detail, a sync run's per-repository
    figures): every string redacted, strings under secret keys masked, numbers kept."""
    return _redact_value(value)


# Attributes every LogRecord has; anything else on a record came from `extra=`.
_RECORD_ATTRS = frozenset(logging.LogRecord("", 0, "", 0, "", (), None).__dict__) | {
    "message",
    "asctime",
    "taskName",
    "correlation_id",
}


def _extra_fields(record: logging.LogRecord) -> dict[str, Any]:
    return {k: v for k, v in record.__dict__.items() if k not in _RECORD_ATTRS}


class RedactTokens(logging.Filter):
    """Scrub secrets from a record in place before any formatter sees it.

    It sits on the handler, not on a logger, because handler filters see records
    propagated from every logger (PyGithub, httpx, ours); logger filters see only that
    logger's own calls. The message is rendered (msg % args) and the args dropped, so a
    token passed as an argument cannot be re-inserted by a later `getMessage()`.
    """

    _formatter = logging.Formatter()

    def filter(self, record: logging.LogRecord) -> bool:
        try:
            message = record.getMessage()
        except Exception:  # a bad format string must not hide the secret in the args
            message = f"{record.msg!s} {record.args!r}"
        record.msg = redact(message)
        record.args = ()
        for key, value in _extra_fields(record).items():
            setattr(record, key, _redact_value(value, key))
        if record.exc_info and not record.exc_text:
            record.exc_text = self._formatter.formatException(record.exc_info)
        if record.exc_text:
            record.exc_text = redact(record.exc_text)
        if record.stack_info:
            record.stack_info = redact(record.stack_info)
        return True


# ------------------------------------------------------------------------ correlation

_CORRELATION_ID: contextvars.ContextVar[str | None] = contextvars.ContextVar(
    "secagent_correlation_id", default=None
)


def new_correlation_id() -> str:
    """A short random id: long enough to be unique in one database, short enough to grep."""
    return uuid.uuid4().hex[:12]


def correlation_id() -> str | None:
    """The id of the unit of work running in this context, if any.

    Jobs store it so a retried job logs under the id its finding started with.
    """
    return _CORRELATION_ID.get()


@contextmanager
def correlation(cid: str | None = None) -> Iterator[str]:
    """Run a block under a correlation id (given, or new), restoring the previous one.

    A ContextVar rather than a global, so concurrent asyncio tasks each keep their own
    id. Plain `threading.Thread`s start with an empty context: run their target through
    `contextvars.copy_context().run` (asyncio.to_thread already does) to carry it over.
    """
    value = cid or new_correlation_id()
    token = _CORRELATION_ID.set(value)
    try:
        yield value
    finally:
        _CORRELATION_ID.reset(token)


class CorrelationFilter(logging.Filter):
    """Stamp each record with the current correlation id.

    Done at emit time in the caller's context, which is where the ContextVar holds the
    right value. An explicit `extra={"correlation_id": ...}` wins, so code acting for a
    stored job can log under that job's id without entering its context.
    """

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "correlation_id", None) is None:
            record.correlation_id = _CORRELATION_ID.get()
        return True


# -------------------------------------------------------------------------- formatting


class JsonFormatter(logging.Formatter):
    """One JSON object per line; fixed keys first so lines read well unparsed too."""

    def format(self, record: logging.LogRecord) -> str:
        payload: dict[str, Any] = {
            "ts": datetime.fromtimestamp(record.created, UTC).isoformat(timespec="milliseconds"),
            "level": record.levelname,
            "logger": record.name,
            "msg": record.getMessage(),
            "correlation_id": getattr(record, "correlation_id", None),
        }
        for key, value in _extra_fields(record).items():
            # Never let an extra field overwrite a fixed key that log tooling relies on.
            payload[f"extra_{key}" if key in payload else key] = value
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            payload["exc"] = record.exc_text
        if record.stack_info:
            payload["stack"] = record.stack_info
        return json.dumps(payload, default=str, ensure_ascii=False)


# ------------------------------------------------------------------------------- setup


class _JsonFileHandler(logging.handlers.WatchedFileHandler):
    """The file handler installed by `setup_logging`.

    WatchedFileHandler rather than RotatingFileHandler: several processes (TUI, workers
    from cron) may append to one file, and rotating from inside each of them races;
    logrotate rotates and this handler reopens. A failed write is counted, not printed:
    logging's default prints a traceback to stderr, which would scribble over the TUI.
    """

    dropped: int = 0

    def handleError(self, record: logging.LogRecord) -> None:
        self.dropped += 1


def _parse_level(level: str) -> int:
    mapping = logging.getLevelNamesMapping()
    try:
        return mapping[level.strip().upper()]
    except KeyError:
        names = ", ".join(sorted(n for n in mapping if n != "NOTSET"))
        raise ValueError(f"unknown log level {level!r} (use one of {names})") from None


# Libraries whose records must reach only our (redacting) handlers. PyGithub adds a
# `StreamHandler` to stderr on its "github" logger when it is imported: its retry lines
# ("Request GET … failed with 403", "Retrying after 3 seconds") skipped the redaction
# filter and, under the TUI, drew over the screen. urllib3 is listed for its connection
# retry warnings (`urllib3.add_stderr_logger` would add the same kind of handler).
_LIBRARY_LOGGERS = ("github", "urllib3")


def _is_console(handler: logging.Handler) -> bool:
    # The exact class: FileHandler and our own handlers subclass StreamHandler.
    return type(handler) is logging.StreamHandler


class _NoConsoleHandlers(list[logging.Handler]):
    """A library logger's handler list that refuses console handlers, so one the library
    adds later (PyGithub is imported after logging is set up by most commands) never
    lands; `Logger.addHandler` appends."""

    def append(self, handler: logging.Handler) -> None:
        if not _is_console(handler):
            super().append(handler)


def route_library_loggers() -> None:
    """Send the libraries' records through the root logger's handlers only: their console
    handlers are dropped now and refused from now on, and they propagate to the root."""
    for name in _LIBRARY_LOGGERS:
        logger = logging.getLogger(name)
        if not isinstance(logger.handlers, _NoConsoleHandlers):
            kept = [h for h in logger.handlers if not _is_console(h)]
            logger.handlers = _NoConsoleHandlers(kept)
        logger.propagate = True


def setup_logging(log_file: Path, level: str = "INFO") -> None:
    """Send all logging (ours and libraries') to `log_file` as redacted JSON lines.

    Installed on the root logger so library records are captured too, and so logging's
    last-resort stderr handler never fires; libraries that bring a console handler of their
    own are routed here too (`route_library_loggers`). Safe to call again (e.g. after the
    config is reloaded with another path or level): the previous handler is replaced, never
    doubled. Other handlers on the root (pytest's capture, say) are left alone.
    """
    numeric_level = _parse_level(level)
    path = Path(log_file).expanduser()
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists():
        # Owner-only from the first byte: logs describe private repositories.
        os.close(os.open(path, os.O_CREAT | os.O_WRONLY | os.O_APPEND, 0o600))

    root = logging.getLogger()
    for old in [h for h in root.handlers if isinstance(h, _JsonFileHandler)]:
        root.removeHandler(old)
        old.close()

    handler = _JsonFileHandler(path, encoding="utf-8")
    handler.setLevel(numeric_level)
    # Correlation first, so redaction sees the final record.
    handler.addFilter(CorrelationFilter())
    handler.addFilter(RedactTokens())
    handler.setFormatter(JsonFormatter())
    root.addHandler(handler)
    root.setLevel(numeric_level)
    route_library_loggers()


def get_logger(name: str) -> logging.Logger:
    """Loggers named by module (`get_logger(__name__)`) so `logger` in a line says where."""
    return logging.getLogger(name)
