"""A command-palette provider listing every action reachable from where the palette was
opened (the screen's bindings, the focused widget's and the app's), each with its key, and
the progress panes that need no selection (the latest sync, the latest batch of decisions)
and the campaign view (over the queue's filter), from anywhere."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from functools import partial

from textual.binding import Binding
from textual.command import DiscoveryHit, Hit, Hits, Matcher, Provider
from textual.content import Content
from textual.dom import DOMNode

from secagent_tui.domain.filters import FindingFilter
from secagent_tui.tui.screens.campaigns import CampaignsScreen
from secagent_tui.tui.screens.progress import ProgressScreen, ProgressTarget
from secagent_tui.tui.screens.queue import QueueScreen

_SKIP = {"command_palette", "app.command_palette"}
PANES = (
    ("Sync progress", ProgressTarget.sync, "The repositories of the latest sync started here"),
    (
        "Latest batch progress",
        ProgressTarget.latest_batch,
        "The pushes of the latest dismiss or reopen you decided",
    ),
)
CAMPAIGNS = (
    "Campaigns",
    "The queue's findings grouped by advisory across repositories, riskiest first",
)


class ActionsProvider(Provider):
    def _actions(self) -> Iterator[tuple[str, str, DOMNode, Binding]]:
        seen: set[tuple[int, str]] = set()
        for key, active in self.screen.active_bindings.items():
            binding = active.binding
            if binding.action in _SKIP or not binding.description or not active.enabled:
                continue
            marker = (id(active.node), binding.action)
            if marker in seen:
                continue
            seen.add(marker)
            display = self.app.get_key_display(binding.with_key(key))
            yield binding.description, display, active.node, binding

    def _run(self, node: DOMNode, action: str) -> None:
        self.app.call_later(self.app.run_action, action, node)

    def _open(self, target: Callable[[], ProgressTarget]) -> None:
        self.app.push_screen(ProgressScreen(target()))

    def _campaigns(self) -> None:
        """Over the queue's current filter, so the campaigns count what the queue lists."""
        queues = [s for s in self.app.screen_stack if isinstance(s, QueueScreen)]
        flt = queues[0].state.filter if queues else FindingFilter()
        self.app.push_screen(CampaignsScreen(flt))

    async def discover(self) -> Hits:
        for description, key, node, binding in self._actions():
            yield DiscoveryHit(
                Content(_label(description, key)),
                partial(self._run, node, binding.action),
                text=description,
                help=binding.tooltip or None,
            )
        for title, target, why in PANES:
            yield DiscoveryHit(Content(title), partial(self._open, target), text=title, help=why)
        title, why = CAMPAIGNS
        yield DiscoveryHit(Content(title), self._campaigns, text=title, help=why)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for description, key, node, binding in self._actions():
            label = _label(description, key)
            score = matcher.match(label)
            if score > 0:
                yield Hit(
                    score,
                    _highlight(matcher, label),
                    partial(self._run, node, binding.action),
                    text=description,
                    help=binding.tooltip or None,
                )
        for title, target, why in PANES:
            score = matcher.match(title)
            if score > 0:
                yield Hit(
                    score, _highlight(matcher, title), partial(self._open, target), title, why
                )
        title, why = CAMPAIGNS
        score = matcher.match(title)
        if score > 0:
            yield Hit(score, _highlight(matcher, title), self._campaigns, title, why)


def _label(description: str, key: str) -> str:
    return f"{description}  [{key}]"


def _highlight(matcher: Matcher, label: str) -> Content:
    """The label as literal text with the matched letters styled. Read as markup (which the
    matcher's own highlight does), `[V]` and `[S]` are style tags and vanished: the palette
    listed "Range mark" and "Reverse sort" without their keys."""
    content = Content(label)
    _, offsets = matcher.fuzzy_search.match(matcher.query, label)
    for offset in offsets:
        if not label[offset].isspace():
            content = content.stylize(matcher.match_style, offset, offset + 1)
    return content
