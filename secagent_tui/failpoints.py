"""Named points where a crash test can kill this process the way a power cut would.

Why in the product: the promise "no decision lost, no step run twice" is about what happens
*between* two writes, and only a process really killed there shows it. A test sets
`SECAGENT_FAILPOINT=<name>` for a worker it starts; at that point the process sends itself
SIGKILL (no cleanup, no flush, no finally). Unset, each point is one dictionary lookup.
"""

from __future__ import annotations

import os
import signal

ENV = "SECAGENT_FAILPOINT"

DECISION_RECORDED = "decision.recorded"  # a decision and its push job are committed
STEP_HANDLED = "step.handled"  # a handler returned; its completion is not written yet
STEP_COMPLETED = "step.completed"  # a step's completion and its successors are committed
PUSH_SENT = "push.sent"  # GitHub answered the PATCH; the confirmation is not written yet


def reached(name: str) -> None:
    if os.environ.get(ENV) == name:
        os.kill(os.getpid(), signal.SIGKILL)
