"""A database that holds the demo dataset as a sync would have stored it, without running
the sync: what the TUI tests and bench/live_bench.py start from."""

from __future__ import annotations

from datetime import datetime

from secagent_tui.demo.github import generate_dataset
from secagent_tui.github.parser import parse_alert
from secagent_tui.store.db import create_engine
from secagent_tui.store.findings import upsert_findings
from secagent_tui.store.migrate import upgrade


async def seed_demo_database(url: str, now: datetime, *, seed: int = 0) -> None:
    """Migrates the database at `url` and stores every alert of the demo dataset of `seed`
    (its fixed clock `now`, so screenshots and snapshots stay the same)."""
    engine = create_engine(url)
    try:
        await upgrade(engine)
        dataset = generate_dataset(seed=seed)
        found = [parse_alert(alert, repo.full_name) for repo, alert in dataset.iter_alerts()]
        await upsert_findings(engine, found, now=now)
    finally:
        await engine.dispose()
