"""A responder that answers from a script, so a test decides exactly what the model says.

Pipeline tests need the model to say one precise thing, or fail in one precise way, on one
call of one tier; under concurrency the tiers' calls interleave in no fixed order, so the
script can be keyed by predicate or tier as well as consumed in arrival order.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable, Sequence

from .protocol import ChatRequest, Predicate, Reply, ReplySpec, tier_of

__all__ = ["ScriptExhaustedError", "ScriptedResponder"]

_TIERS = frozenset({"triage", "sandbox", "extraction", "chat"})


class ScriptExhaustedError(RuntimeError):
    """A scripted responder was asked for more replies than it was given. The server answers
    500 and records it in :attr:`OllamaServer.errors`, so a test that under-scripted a run
    sees both a failed call and the reason."""


class ScriptedResponder:
    """Answers from a script, so a test decides exactly what the model says and when it fails.

    ``ScriptedResponder([r1, r2, ...])`` answers requests in arrival order; each item is a
    :class:`Reply` or a callable ``ChatRequest -> Reply`` (to look at the prompt). When the
    script runs out it raises :class:`ScriptExhaustedError` (the server answers 500 and
    records the error), unless ``default`` is given, which then answers everything else.

    Keyed scripts, for pipelines that interleave tiers under concurrency (where arrival order
    across tiers is not deterministic):

    * :meth:`by_match` takes ``[(predicate, spec), ...]``; a request uses the first rule whose
      predicate is true *and* that still has replies. ``spec`` is a Reply or callable (used
      for every match) or a list of them (consumed in order, one per match).
    * :meth:`by_tier` is ``by_match`` keyed by :func:`tier_of`:
      ``ScriptedResponder.by_tier(triage=[...], sandbox=[...], extraction=Reply(...))``.

    :attr:`requests` holds every request seen, :attr:`remaining` the replies left (lists).
    Thread-safe: the server calls it from many threads at once.
    """

    def __init__(
        self, replies: Iterable[ReplySpec] = (), *, default: ReplySpec | None = None
    ) -> None:
        self._rules: list[tuple[Predicate, list[ReplySpec] | ReplySpec]] = [
            (_always, list(replies))
        ]
        self.default = default
        self.requests: list[ChatRequest] = []
        self._lock = threading.Lock()

    @classmethod
    def by_match(
        cls,
        rules: Iterable[tuple[Predicate, Sequence[ReplySpec] | ReplySpec]],
        *,
        default: ReplySpec | None = None,
    ) -> ScriptedResponder:
        """Rules tried in order; see the class docstring."""
        script = cls(default=default)
        script._rules = [
            (pred, list(spec) if isinstance(spec, list | tuple) else spec) for pred, spec in rules
        ]
        return script

    @classmethod
    def by_tier(
        cls, *, default: ReplySpec | None = None, **tiers: Sequence[ReplySpec] | ReplySpec
    ) -> ScriptedResponder:
        """Scripts keyed by tier name (``triage``, ``sandbox``, ``extraction``, ``chat``)."""
        unknown = set(tiers) - _TIERS
        if unknown:
            raise ValueError(f"unknown tier(s): {', '.join(sorted(unknown))}")
        rules = [(_tier_is(name), spec) for name, spec in tiers.items()]
        return cls.by_match(rules, default=default)

    @property
    def remaining(self) -> int:
        """Replies left in list-valued rules (single-reply rules never run out)."""
        with self._lock:
            return sum(len(spec) for _, spec in self._rules if isinstance(spec, list))

    def __call__(self, request: ChatRequest) -> Reply:
        with self._lock:
            self.requests.append(request)
            spec = self._take(request)
        if spec is None:
            raise ScriptExhaustedError(
                f"scripted responder has no reply left for a {request.tier} request "
                f"(request #{len(self.requests)}, model {request.model!r})"
            )
        return spec if isinstance(spec, Reply) else spec(request)

    def _take(self, request: ChatRequest) -> ReplySpec | None:
        """The spec of the first matching rule with replies left (consumed), else the
        default; the caller holds the lock."""
        for predicate, rule in self._rules:
            if isinstance(rule, list) and not rule:
                continue
            if not predicate(request):
                continue
            return rule.pop(0) if isinstance(rule, list) else rule
        return self.default


def _always(_: ChatRequest) -> bool:
    return True


def _tier_is(name: str) -> Predicate:
    def predicate(request: ChatRequest) -> bool:
        return tier_of(request) == name

    predicate.__name__ = f"tier_is_{name}"
    return predicate
