"""Shapes fixed by the design (docs/architecture.md, "Fixed interfaces") that other tools read,
written once for every test that checks them (transcribed from the design, not from the code
under test)."""

from __future__ import annotations

FINDING_JSON_KEYS = frozenset(
    {
        "ref",
        "repo",
        "number",
        "state",
        "severity",
        "package",
        "ecosystem",
        "manifest_path",
        "scope",
        "ghsa_id",
        "cve_id",
        "summary",
        "cvss_score",
        "epss_percentage",
        "cwe_ids",
        "vulnerable_version_range",
        "patched_version",
        "html_url",
        "created_at",
        "updated_at",
        "sla_due_at",
        "dismissed_reason",
        "dismissed_comment",
        "pending_push",
        "analysis",
    }
)
"""docs/architecture.md, "`findings --format json`": the keys of one finding."""

FINDING_ANALYSIS_KEYS = frozenset({"status", "triage", "verdict", "error", "previous_run"})
"""The keys of a finding's `analysis` object: the design's three, the failed run's error, and
the previous run's verdict while the latest has none (null otherwise)."""
