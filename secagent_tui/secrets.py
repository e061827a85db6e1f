"""Where the GitHub token comes from: `GITHUB_TOKEN`, else the OS keyring. Never config, never
the database, never a log line."""

from __future__ import annotations

import os
from collections.abc import Mapping
from dataclasses import dataclass

import keyring
import keyring.errors
from keyring.backends import fail

from secagent_tui.domain.errors import SecagentError
from secagent_tui.logs import add_secret

SERVICE = "secagent-tui"
USERNAME = "github-token"


class KeyringUnavailable(SecagentError):
    """This machine has no usable keyring backend (common on headless jump hosts)."""

    def __str__(self) -> str:
        return "no usable OS keyring on this machine; set GITHUB_TOKEN in the environment instead"


@dataclass(frozen=True, slots=True)
class TokenSource:
    token: str | None
    where: str  # "env GITHUB_TOKEN", "keyring (<backend>)" or "none"

    @property
    def masked(self) -> str:
        """Enough to tell token kinds apart, nothing that helps use it."""
        if not self.token:
            return "-"
        prefix = self.token.split("_", 1)[0] + "_" if "_" in self.token[:12] else ""
        return f"{prefix}****"


def _backend() -> keyring.backend.KeyringBackend:
    backend = keyring.get_keyring()
    if isinstance(backend, fail.Keyring) or backend.priority <= 0:
        raise KeyringUnavailable
    return backend


def store_token(token: str) -> str:
    """Saves the token; returns the backend's name for the confirmation line."""
    backend = _backend()
    try:
        backend.set_password(SERVICE, USERNAME, token)
    except keyring.errors.KeyringError as exc:
        raise KeyringUnavailable from exc
    return type(backend).__name__


def delete_token() -> bool:
    backend = _backend()
    try:
        backend.delete_password(SERVICE, USERNAME)
    except keyring.errors.PasswordDeleteError:
        return False
    return True


def resolve_token(env: Mapping[str, str] | None = None) -> TokenSource:
    """The token and where it came from. The token is handed to `logs.add_secret` at once,
    so no later error line, log record or stored text of this process can show it."""
    source = _find_token(os.environ if env is None else env)
    add_secret(source.token)
    return source


def _find_token(env: Mapping[str, str]) -> TokenSource:
    from_env = (env.get("GITHUB_TOKEN") or "").strip()
    if from_env:
        return TokenSource(from_env, "env GITHUB_TOKEN")
    try:
        backend = _backend()
        token = backend.get_password(SERVICE, USERNAME)
    except (KeyringUnavailable, keyring.errors.KeyringError):
        return TokenSource(None, "none")
    if token:
        return TokenSource(token, f"keyring ({type(backend).__name__})")
    return TokenSource(None, "none")
