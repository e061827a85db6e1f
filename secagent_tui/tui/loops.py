"""The set of refresh loops alive in one app, so that quitting stops every one of them
without the app knowing which screens own which loops."""

from __future__ import annotations

from typing import Protocol


class Stoppable(Protocol):
    def stop(self) -> None: ...


class LoopRegistry:
    def __init__(self) -> None:
        self._loops: set[Stoppable] = set()

    def add(self, loop: Stoppable) -> None:
        self._loops.add(loop)

    def discard(self, loop: Stoppable) -> None:
        self._loops.discard(loop)

    def stop_all(self) -> None:
        for loop in list(self._loops):
            loop.stop()
        self._loops.clear()

    def __len__(self) -> int:
        return len(self._loops)
