"""The local GitHub: a protocol-faithful Dependabot REST server and the data it serves.

The server (:class:`GitHubServer`, steered by :class:`Fault` rules) and the generated
dataset (:func:`generate_dataset`, a :class:`Dataset`) are what ``secagent demo``, the
benchmarks and the test suite run against; this package exports what they use.
"""

from __future__ import annotations

from .alert_template import ALERT_TEMPLATE
from .faults import Fault
from .generate import generate_dataset
from .model import Account, Repo
from .request_log import RequestRecord
from .server import DEMO_TOKEN, GitHubServer
from .store import Dataset
from .timestamps import DEFAULT_NOW, iso, parse_iso
from .vocabulary import (
    DISMISSED_REASONS,
    ECOSYSTEMS,
    RELATIONSHIPS,
    SCOPES,
    SEVERITIES,
    STATES,
)

__all__ = [
    "ALERT_TEMPLATE",
    "DEFAULT_NOW",
    "DEMO_TOKEN",
    "DISMISSED_REASONS",
    "ECOSYSTEMS",
    "RELATIONSHIPS",
    "SCOPES",
    "SEVERITIES",
    "STATES",
    "Account",
    "Dataset",
    "Fault",
    "GitHubServer",
    "Repo",
    "RequestRecord",
    "generate_dataset",
    "iso",
    "parse_iso",
]
