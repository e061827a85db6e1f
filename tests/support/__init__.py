"""Helpers for the test-suite: an isolated command-line sandbox and a test keyring."""
