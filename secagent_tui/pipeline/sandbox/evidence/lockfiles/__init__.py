"""Lockfile readers that turn untrusted lockfile text into a `DependencyGraph` (or None)."""
