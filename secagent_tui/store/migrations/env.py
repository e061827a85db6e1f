"""Alembic environment: always handed a live connection by `secagent_tui.store.migrate`."""

from __future__ import annotations

from alembic import context

from secagent_tui.store.schema import metadata

connection = context.config.attributes.get("connection")
if connection is None:
    raise RuntimeError("run migrations through `secagent db upgrade`: it supplies the connection")

context.configure(
    connection=connection,
    target_metadata=metadata,
    render_as_batch=connection.dialect.name == "sqlite",
    compare_type=True,
)
with context.begin_transaction():
    context.run_migrations()
