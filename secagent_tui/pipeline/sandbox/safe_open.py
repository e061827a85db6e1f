"""The one way sandbox code opens a file of an analysed repository.

Why one helper: the evidence pass and the agent's tools both read files planted by whoever
wrote the repository, and each copy of this logic used to differ in its flags. Every open
here is read-only, never follows a final symlink (`O_NOFOLLOW`: a link swapped in after a
check cannot redirect it), never blocks (`O_NONBLOCK`: a FIFO cannot hang the worker), and
accepts only regular files, checked on the open descriptor itself, so there is no window
between the check and the read.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path

from secagent_tui.domain.errors import SecagentError

OPEN_FLAGS = (
    os.O_RDONLY
    | getattr(os, "O_NOFOLLOW", 0)
    | getattr(os, "O_NONBLOCK", 0)
    | getattr(os, "O_BINARY", 0)
)


class NotARegularFile(OSError, SecagentError):
    """The path names a directory, device, FIFO or socket, not a regular file."""


def open_regular(path: Path | str) -> int:
    """A read-only descriptor on a regular file; the caller closes it."""
    fd = os.open(path, OPEN_FLAGS)
    try:
        if not stat.S_ISREG(os.fstat(fd).st_mode):
            raise NotARegularFile(f"{path} is not a regular file")
    except BaseException:
        os.close(fd)
        raise
    return fd


def read_bounded(path: Path | str, limit: int) -> tuple[bytes, bool]:
    """At most `limit` bytes of a regular file, and whether the file holds more.

    Raises OSError (NotARegularFile included) when the file cannot be opened or read.
    """
    fd = open_regular(path)
    try:
        chunks: list[bytes] = []
        size = 0
        while size <= limit:
            chunk = os.read(fd, min(1 << 20, limit + 1 - size))
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
    finally:
        os.close(fd)
    data = b"".join(chunks)
    return data[:limit], size > limit
