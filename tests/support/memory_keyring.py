"""A keyring backend for tests: a JSON file instead of the OS keyring.

Selected with `PYTHON_KEYRING_BACKEND=tests.support.memory_keyring.MemoryKeyring`. The file's
path comes from `SECAGENT_TEST_KEYRING_FILE`, so a `secagent` subprocess and the test that
started it see the same store; without it the store is a dict in this process.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from keyring.backend import KeyringBackend
from keyring.errors import PasswordDeleteError

FILE_VAR = "SECAGENT_TEST_KEYRING_FILE"
NAME = f"{__name__}.MemoryKeyring"

_PROCESS_STORE: dict[str, dict[str, str]] = {}


class MemoryKeyring(KeyringBackend):
    """Passwords as `{service: {username: password}}`, in a JSON file or in memory."""

    priority = 1  # type: ignore[assignment]  # "recommended": the app accepts it

    @staticmethod
    def _file() -> Path | None:
        value = os.environ.get(FILE_VAR, "")
        return Path(value) if value else None

    def _load(self) -> dict[str, dict[str, str]]:
        file = self._file()
        if file is None:
            return _PROCESS_STORE
        if not file.exists():
            return {}
        return json.loads(file.read_text(encoding="utf-8"))

    def _save(self, store: dict[str, dict[str, str]]) -> None:
        file = self._file()
        if file is None:
            return  # _PROCESS_STORE was changed in place
        file.parent.mkdir(parents=True, exist_ok=True)
        file.write_text(json.dumps(store), encoding="utf-8")

    def get_password(self, service: str, username: str) -> str | None:
        return self._load().get(service, {}).get(username)

    def set_password(self, service: str, username: str, password: str) -> None:
        store = self._load()
        store.setdefault(service, {})[username] = password
        self._save(store)

    def delete_password(self, service: str, username: str) -> None:
        store = self._load()
        if username not in store.get(service, {}):
            raise PasswordDeleteError("no such password")
        del store[service][username]
        self._save(store)


def stored(file: Path) -> dict[str, dict[str, str]]:
    """What a keyring file holds (empty when nothing was ever stored)."""
    return json.loads(file.read_text(encoding="utf-8")) if file.exists() else {}
