"""content hash as xxh3-128

The upsert tells changed alerts from unchanged ones by a hash of the stored payload. It was
SHA-1; it is now xxh3-128 (`bulk_sql`), a sixth of the cost on a sync's first write. Stored
hashes are recomputed from the stored payload here, so the first sync after the upgrade
finds its alerts unchanged instead of rewriting every row and reporting it updated.

Revision ID: 0004
Revises: 0003
Create Date: 2026-11-26
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

import sqlalchemy as sa
import xxhash
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_PAGE = 1000


def _rehash(digest: Callable[[bytes], str]) -> None:
    """Set every finding's content_hash to `digest` of its stored raw_json, page by page."""
    conn = op.get_bind()
    page = sa.text("SELECT id, raw_json FROM findings WHERE id > :after ORDER BY id LIMIT :page")
    store = sa.text("UPDATE findings SET content_hash = :hash WHERE id = :id")
    after = 0
    while rows := conn.execute(page, {"after": after, "page": _PAGE}).all():
        conn.execute(store, [{"id": i, "hash": digest(raw.encode())} for i, raw in rows])
        after = rows[-1][0]


def _xxh3_128(data: bytes) -> str:
    # What bulk_sql.FindingBulkSql.values computes for an incoming alert.
    return xxhash.xxh3_128_hexdigest(data)


def _sha1(data: bytes) -> str:
    return hashlib.sha1(data, usedforsecurity=False).hexdigest()


def upgrade() -> None:
    _rehash(_xxh3_128)


def downgrade() -> None:
    _rehash(_sha1)
