"""secagent-tui: triage GitHub Dependabot alerts from the terminal."""

__version__ = "0.1.0"
