"""GitHub-looking identifiers: GHSA ids and GraphQL node ids.

They only need to look like GitHub's and be stable for a seed; kept apart so the payload
builders and the advisory pool draw them the same way.
"""

from __future__ import annotations

import random
import string

__all__ = ["ghsa_id", "node_id"]

_GHSA_ALPHABET = "23456789cfghjmpqrvwx"


def _ghsa_part(rng: random.Random) -> str:
    return "".join(rng.choice(_GHSA_ALPHABET) for _ in range(4))


def ghsa_id(rng: random.Random) -> str:
    """A fresh ``GHSA-xxxx-xxxx-xxxx`` from GitHub's alphabet."""
    first = _ghsa_part(rng)
    second = _ghsa_part(rng)
    return f"GHSA-{first}-{second}-{_ghsa_part(rng)}"


def node_id(n: int) -> str:
    """A deterministic node id suffix for the numeric id ``n``."""
    alphabet = string.ascii_letters + string.digits
    out = []
    n = n * 7919 + 104729
    while n:
        n, r = divmod(n, len(alphabet))
        out.append(alphabet[r])
    return "kgDO" + "".join(out)
