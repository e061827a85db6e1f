"""Open a URL in a browser, or — on a jump host with no browser — show it and put it on the
clipboard through the terminal (OSC 52), which works over SSH."""

from __future__ import annotations

import os
import sys
import webbrowser
from collections.abc import Mapping


def has_display(env: Mapping[str, str] | None = None, platform: str | None = None) -> bool:
    """On Linux/BSD a GUI browser needs X11 or Wayland. Without one, `webbrowser` would pick
    a text browser that takes over the terminal the TUI is drawing on, so never try it."""
    env = os.environ if env is None else env
    platform = platform or sys.platform
    if platform.startswith(("win", "darwin")):
        return True
    return bool(env.get("DISPLAY") or env.get("WAYLAND_DISPLAY"))


def try_open(url: str) -> bool:
    """Blocking (it may start a process): call it from a thread worker."""
    if not has_display():
        return False
    try:
        return bool(webbrowser.open(url, new=2))
    except webbrowser.Error:
        return False
