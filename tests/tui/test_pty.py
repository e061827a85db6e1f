"""The real `secagent demo` in a pseudo-terminal of 80x24, as an analyst on a jump host runs
it: a subprocess of the installed package with its own home, keys typed into the terminal,
the screen read back from it. It opens help, the jobs pane and a finding, quits with `q`,
and must exit 0 with no traceback on the screen. Every wait has a generous bound; nothing
here measures time."""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

COLUMNS, LINES = 80, 24
WAIT_SECONDS = 60.0
QUEUE = "[All open]"  # the queue's filter bar, painted again when a screen above it closes
# CSI and OSC sequences, and the two-byte escapes Textual writes between the characters.
_ESCAPES = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78]"
)


class Terminal:
    """One process on the slave side of a pty; what it wrote, with the escapes removed."""

    def __init__(self, argv: list[str], env: dict[str, str], cwd: Path) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", LINES, COLUMNS, 0, 0))
        self.master = master
        self.process = subprocess.Popen(
            argv,
            stdin=slave,
            stdout=slave,
            stderr=slave,
            env=env,
            cwd=cwd,
            start_new_session=True,
            close_fds=True,
        )
        os.close(slave)
        self.raw = b""

    @property
    def screen(self) -> str:
        return _ESCAPES.sub("", self.raw.decode("utf-8", errors="replace"))

    def _read(self, timeout: float) -> None:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if ready:
            try:
                self.raw += os.read(self.master, 65536)
            except OSError:  # EIO: the process closed the terminal
                time.sleep(timeout)

    def expect(self, text: str, since: int) -> int:
        """Waits until `text` shows after position `since` of the screen; returns the end."""
        deadline = time.monotonic() + WAIT_SECONDS
        while (found := self.screen.find(text, since)) < 0:
            if time.monotonic() > deadline or self.process.poll() is not None:
                raise AssertionError(f"{text!r} never appeared; the screen:\n{self.screen[-3000:]}")
            self._read(0.1)
        return found + len(text)

    def press(self, keys: str) -> int:
        """Types `keys`; returns where the screen stood before, to expect what follows."""
        mark = len(self.screen)
        os.write(self.master, keys.encode())
        return mark

    def wait_exit(self) -> int:
        deadline = time.monotonic() + WAIT_SECONDS
        while self.process.poll() is None and time.monotonic() < deadline:
            self._read(0.1)
        self._read(0.1)
        return self.process.wait(timeout=1)

    def close(self) -> None:
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()
        os.close(self.master)


@pytest.fixture
def terminal(tmp_path: Path) -> Iterator[Terminal]:
    home = tmp_path / "home"
    home.mkdir()
    env = {
        "PATH": os.environ.get("PATH", "/usr/bin:/bin"),
        "HOME": str(home),
        "XDG_CONFIG_HOME": str(home / ".config"),
        "XDG_DATA_HOME": str(home / ".local" / "share"),
        "XDG_STATE_HOME": str(home / ".local" / "state"),
        "XDG_CACHE_HOME": str(home / ".cache"),
        "TMPDIR": str(tmp_path),
        "TERM": "xterm-256color",
        "COLUMNS": str(COLUMNS),
        "LINES": str(LINES),
        "LANG": "C.UTF-8",
        "PYTHON_KEYRING_BACKEND": "keyring.backends.null.Keyring",
    }
    term = Terminal([sys.executable, "-m", "secagent_tui", "demo"], env, tmp_path)
    yield term
    term.close()


def test_the_demo_in_an_80x24_terminal_opens_help_jobs_and_a_finding_and_quits_cleanly(
    terminal: Terminal,
) -> None:
    terminal.expect("Sync ok", 0)  # the demo's first sync has filled the queue
    terminal.expect("Keys", terminal.press("?"))
    terminal.expect(QUEUE, terminal.press("\x1b"))
    terminal.expect("Jobs ·", terminal.press("J"))
    terminal.expect(QUEUE, terminal.press("\x1b"))
    at = terminal.expect("Analysis [1]", terminal.press("\r"))
    terminal.expect("Advisory [2]", at)
    terminal.expect(QUEUE, terminal.press("\x1b"))
    terminal.press("q")
    assert terminal.wait_exit() == 0
    assert "Traceback" not in terminal.screen
