"""``python -m secagent_tui.demo.ollama``: serve the demo model until Ctrl-C."""

from __future__ import annotations

from .server import main

if __name__ == "__main__":
    main()
