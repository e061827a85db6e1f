"""A headless TUI process for the reliability suite's many-process runs.

    python tests/support/run_tui.py CONFIG --seconds S [--screenshot]

Opens the real app (its in-process runner on, the token from GITHUB_TOKEN) in Textual's
headless driver and works it from the keyboard for S seconds: moves through the queue,
triages the row under the cursor, opens and closes findings, syncs now and then; with
`--screenshot`, presses the screenshot key (F12) in the queue and in a finding's view at the
end. Exits 0 when the app closed cleanly; whatever the app or a worker raised is on stderr.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
import time

from secagent_tui.config import load_config
from secagent_tui.logs import setup_logging
from secagent_tui.tui.app import SecagentApp

ROUND = ("j", "j", "t", "enter", "escape", "j")


async def main(config_path: str, seconds: float, screenshot: bool = False) -> int:
    config = load_config(config_path, env={})
    setup_logging(config.observability.log_file, "INFO")
    app = SecagentApp(config, token=os.environ.get("GITHUB_TOKEN"), run_pipeline=True)
    deadline = time.monotonic() + seconds
    rounds = 0
    async with app.run_test(headless=True, size=(120, 40)) as pilot:
        while time.monotonic() < deadline:
            for key in ROUND:
                await pilot.press(key)
                await pilot.pause(0.1)
            rounds += 1
            if rounds % 10 == 0:
                await pilot.press("R")
        if screenshot:
            for key in ("f12", "enter", "f12", "escape"):
                await pilot.press(key)
                await pilot.pause(0.3)
        await pilot.press("q")
        await pilot.pause()
    print(f"rounds {rounds}")
    return 0 if app.return_code in (None, 0) else 1


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("config")
    parser.add_argument("--seconds", type=float, default=20.0)
    parser.add_argument("--screenshot", action="store_true")
    options = parser.parse_args()
    sys.exit(asyncio.run(main(options.config, options.seconds, options.screenshot)))
