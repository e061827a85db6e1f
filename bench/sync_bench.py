"""Sync benchmark against the local GitHub server with 50 ms latency per request.

One organization of 300 repositories and 15,000 alerts. In one run:
  (a) baseline — the reviewed system's algorithm: list the repositories, then for each one
      serially read every page of its alerts (real PyGithub), upserting row by row;
  (b) `secagent` full sync into an empty database;
  (c) `secagent` incremental sync after 10 alerts changed on the server.
It prints requests and seconds for each and the ratios; the last line is one JSON object.

Run: python bench/sync_bench.py [--repos N] [--alerts-per-repo N] [--latency S]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import tempfile
import time
from pathlib import Path

from baseline import upsert_row_by_row
from github import Auth, Github

from secagent_tui.config import load_config
from secagent_tui.demo.github import GitHubServer, generate_dataset
from secagent_tui.demo.stack import folder_sections, merged, owner_tables, sqlite_url, write_config
from secagent_tui.github.parser import parse_alert
from secagent_tui.pipeline.sync import SyncService, api_factory_for
from secagent_tui.store.db import create_engine
from secagent_tui.store.migrate import upgrade

ORG = "acme"


def _config(folder: Path, server: GitHubServer, name: str) -> Path:
    sections = merged(
        folder_sections(folder, sqlite_url(folder / f"{name}.db")),
        {
            "github": {"api_url": server.base_url},
            "owners": owner_tables(orgs=[ORG]),
            "sync": {"concurrency": 16},
        },
    )
    config = write_config(folder / f"{name}.toml", sections)
    assert config.source is not None
    return config.source


def _baseline_fetch(server: GitHubServer) -> list[dict]:
    gh = Github(
        auth=Auth.Token(server.token),
        base_url=server.base_url,
        per_page=100,
        seconds_between_requests=None,
        seconds_between_writes=None,
    )
    alerts = []
    for repo in gh.get_organization(ORG).get_repos():
        alerts.extend(a.raw_data for a in repo.get_dependabot_alerts())
    gh.close()
    return alerts


async def _baseline(folder: Path, server: GitHubServer) -> tuple[float, int]:
    engine = create_engine(f"sqlite+aiosqlite:///{folder / 'baseline.db'}")
    await upgrade(engine)
    server.reset_log()
    start = time.perf_counter()
    raw = await asyncio.to_thread(_baseline_fetch, server)
    await upsert_row_by_row(engine, (parse_alert(a) for a in raw))
    seconds = time.perf_counter() - start
    await engine.dispose()
    return seconds, len(server.log)


async def _secagent(
    config_path: Path, server: GitHubServer, *, change: int
) -> tuple[float, int, int]:
    """A full sync into an empty database (change == 0), or an incremental sync measured
    after a full one and `change` alerts changed on the server."""
    config = load_config(config_path, {})
    engine = create_engine(config.database.url)
    await upgrade(engine)
    service = SyncService(engine, config, api_factory_for(config, server.token))
    if change:
        await service.sync(full=True)
        for repo in [r.full_name for r in server.dataset.repos(ORG)][:change]:
            server.dataset.set_severity(repo, 1, "critical")
    server.reset_log()
    start = time.perf_counter()
    outcomes = await service.sync(full=change == 0)
    seconds = time.perf_counter() - start
    await engine.dispose()
    assert all(o.ok for o in outcomes), [o.error for o in outcomes]
    list_requests = len(server.requests_matching("GET", r"/dependabot/alerts$"))
    return seconds, len(server.log), list_requests


async def main(repos: int, per_repo: int, latency: float) -> dict[str, object]:
    dataset = generate_dataset(orgs={ORG: repos}, users={}, alerts_per_repo=per_repo, seed=7)
    with tempfile.TemporaryDirectory() as tmp, GitHubServer(dataset) as server:
        folder = Path(tmp)
        server.latency = latency
        base_s, base_requests = await _baseline(folder, server)
        full_s, full_requests, _ = await _secagent(
            _config(folder, server, "full"), server, change=0
        )
        inc_s, inc_requests, inc_list = await _secagent(
            _config(folder, server, "inc"), server, change=10
        )
    total = repos * per_repo
    print(
        f"dataset: 1 org, {repos} repositories, {total:,} alerts, {latency * 1000:.0f} ms latency"
    )
    print(
        f"(a) baseline (serial repos, row-by-row upsert): {base_s:7.2f}s  {base_requests} requests"
    )
    print(
        f"(b) secagent full sync:                         {full_s:7.2f}s  {full_requests} requests"
    )
    print(
        f"(c) secagent incremental, 10 changed:           {inc_s:7.2f}s  {inc_requests} requests"
        f" ({inc_list} alert-list)"
    )
    print(f"full vs baseline: {base_s / full_s:.1f}x; incremental vs full: {full_s / inc_s:.1f}x")
    return {
        "bench": "sync",
        "baseline_s": round(base_s, 3),
        "baseline_requests": base_requests,
        "full_s": round(full_s, 3),
        "full_requests": full_requests,
        "incremental_s": round(inc_s, 3),
        "incremental_list_requests": inc_list,
        "full_speedup": round(base_s / full_s, 1),
        "incremental_speedup": round(full_s / inc_s, 1),
    }


if __name__ == "__main__":
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repos", type=int, default=300)
    parser.add_argument("--alerts-per-repo", type=int, default=50)
    parser.add_argument("--latency", type=float, default=0.05)
    args = parser.parse_args()
    print(json.dumps(asyncio.run(main(args.repos, args.alerts_per_repo, args.latency))))
