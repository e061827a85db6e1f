"""``python -m secagent_tui.demo.github``: serve the default demo dataset until Ctrl-C."""

from __future__ import annotations

from .server import main

if __name__ == "__main__":
    main()
