"""Tier 2: a read-only, confined look at a shallow clone of the repository."""
