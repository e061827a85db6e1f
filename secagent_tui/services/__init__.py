"""The service layer: what an analyst can do, for every front end (CLI, TUI)."""
