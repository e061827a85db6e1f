"""The filter menu (`f`): every condition of a FindingFilter, changed from the keyboard.

↑/↓ picks a condition, ←/→ or space cycles its value, the repository glob is typed in its
box (tab), enter applies, esc cancels, `r` resets to open findings.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import Any, ClassVar

from rich.text import Text
from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, OptionList, Static
from textual.widgets.option_list import Option
from textual.worker import Worker

from secagent_tui.domain.decision import SnoozeState
from secagent_tui.domain.filters import UNASSIGNED, FindingFilter
from secagent_tui.domain.finding import GITHUB_ECOSYSTEMS, AlertState, Scope, Severity
from secagent_tui.tui.host import host_of
from secagent_tui.tui.widgets.inputs import StableInput

TRI = (None, True, False)


@dataclass(frozen=True)
class Field:
    key: str
    label: str
    values: Sequence[Any]
    show: Callable[[Any], str]
    get: Callable[[FindingFilter], Any]
    set: Callable[[FindingFilter, Any], FindingFilter]


def _tri(value: bool | None) -> str:
    return "any" if value is None else ("yes" if value else "no")


def _states_value(flt: FindingFilter) -> tuple[AlertState, ...]:
    states = tuple(flt.states)
    return states if states else tuple(AlertState)


STATE_CHOICES: tuple[tuple[AlertState, ...], ...] = (
    (AlertState.OPEN,),
    (AlertState.DISMISSED,),
    (AlertState.FIXED,),
    (AlertState.AUTO_DISMISSED,),
    (AlertState.DISMISSED, AlertState.AUTO_DISMISSED),
    tuple(AlertState),
)


def _show_states(states: tuple[AlertState, ...]) -> str:
    if set(states) == set(AlertState):
        return "all"
    return ",".join(s.value for s in states)


def _bool_field(key: str, label: str) -> Field:
    return Field(
        key,
        label,
        TRI,
        _tri,
        lambda f, k=key: getattr(f, k),  # type: ignore[misc]
        lambda f, v, k=key: f.with_changes(**{k: v}),  # type: ignore[misc]
    )


def _assignee_field(me: str) -> Field:
    """Anyone, the analyst's own login (`mine`: the login they act as, services' `my_login`)
    or nobody; a login set elsewhere (a saved view, the CLI's) shows as itself."""
    values: tuple[str | None, ...] = (None, me, UNASSIGNED) if me else (None, UNASSIGNED)

    def show(value: str | None) -> str:
        if value is None:
            return "any"
        if value == UNASSIGNED:
            return "unassigned"
        return f"mine ({value})" if value == me else value

    return Field(
        "assignee",
        "Assignee",
        values,
        show,
        lambda f: f.assignee,
        lambda f, v: f.with_changes(assignee=v),
    )


def filter_fields(ecosystems: Sequence[str] = GITHUB_ECOSYSTEMS, me: str = "") -> tuple[Field, ...]:
    """Every condition of the menu; the ecosystems offered are an argument because the data
    may hold ones GitHub added after this list was written, and `me` (the analyst's login)
    because only the services know it."""
    return (
        Field(
            "states",
            "State",
            STATE_CHOICES,
            _show_states,
            _states_value,
            lambda f, v: f.with_changes(states=v),
        ),
        Field(
            "min_severity",
            "Min severity",
            (None, Severity.LOW, Severity.MEDIUM, Severity.HIGH, Severity.CRITICAL),
            lambda v: "any" if v is None else v.value,
            lambda f: f.min_severity,
            lambda f, v: f.with_changes(min_severity=v, severities=()),
        ),
        Field(
            "ecosystems",
            "Ecosystem",
            ((), *((e,) for e in ecosystems)),
            lambda v: ",".join(v) if v else "any",
            lambda f: tuple(f.ecosystems),
            lambda f, v: f.with_changes(ecosystems=v),
        ),
        Field(
            "scope",
            "Scope",
            (None, Scope.RUNTIME, Scope.DEVELOPMENT),
            lambda v: "any" if v is None else v.value,
            lambda f: f.scope,
            lambda f, v: f.with_changes(scope=v),
        ),
        _bool_field("has_verdict", "Has verdict"),
        _bool_field("exploitable", "Exploitable"),
        _bool_field("overdue", "Overdue"),
        _bool_field("pending_push", "Pending push"),
        _assignee_field(me),
        Field(
            "snooze",
            "Snooze",
            (None, SnoozeState.SNOOZED, SnoozeState.PATCH_AVAILABLE),
            lambda v: "any" if v is None else v.value.replace("_", " "),
            lambda f: f.snooze,
            lambda f, v: f.with_changes(snooze=v),
        ),
    )


class FilterScreen(ModalScreen[FindingFilter | None]):
    DEFAULT_CSS = """
    FilterScreen {
        align: center middle;
    }
    FilterScreen > Vertical {
        width: 56;
        max-width: 100%;
        height: auto;
        max-height: 100%;
        border: thick $accent;
        background: $surface;
        padding: 0 1;
    }
    FilterScreen #fields {
        height: auto;
        border: none;
        padding: 0;
    }
    FilterScreen .label {
        color: $text-muted;
    }
    """

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "right,space,l",
            "cycle(1)",
            "Next value",
            id="filters.next",
            tooltip="The next value of the focused filter",
        ),
        Binding(
            "left,h",
            "cycle(-1)",
            "Previous value",
            id="filters.previous",
            tooltip="The previous value of the focused filter",
        ),
        Binding(
            "r", "reset", "Reset", id="filters.reset", tooltip="Every filter back to its default"
        ),
        Binding(
            "ctrl+s",
            "apply",
            "Apply",
            priority=True,
            id="filters.apply",
            tooltip="Apply these filters to the queue",
        ),
        Binding(
            "escape",
            "cancel",
            "Cancel",
            id="filters.cancel",
            tooltip="Close without changing the queue's filter",
        ),
    ]

    def __init__(self, flt: FindingFilter) -> None:
        super().__init__()
        self.filter = flt
        self.fields = filter_fields()
        self._me = ""

    def compose(self) -> ComposeResult:
        with Vertical() as box:
            box.border_title = "Filter"
            yield OptionList(*self._options(), id="fields")
            yield Static("Repository glob (owner/name, * and ?)", classes="label")
            yield StableInput(self.filter.repo_glob or "", placeholder="e.g. acme/web-*", id="glob")
            yield Static(
                "↑/↓ pick · ←/→/space change · r reset · enter apply · esc cancel",
                classes="label",
            )

    def on_mount(self) -> None:
        self.query_one("#fields", OptionList).focus()
        services = host_of(self).services
        if services is not None:
            self._me = services.my_login
            self.fields = filter_fields(me=self._me)
            self._redraw()
            self._load_ecosystems()

    @work(group="filter-ecosystems", exit_on_error=False)
    async def _load_ecosystems(self) -> None:
        services = host_of(self).services
        assert services is not None
        found = await services.ecosystems()
        if tuple(found) != GITHUB_ECOSYSTEMS:
            self.fields = filter_fields(found, self._me)
            self._redraw()

    @on(Worker.StateChanged)
    def _worker_state(self, event: Worker.StateChanged) -> None:
        """Worker messages do not bubble: hand them to the host's one error handler."""
        host_of(self).report_worker_error(event)

    def _options(self) -> list[Option]:
        return [
            Option(
                Text.assemble((f"{field.label:<14}", "bold"), field.show(field.get(self.filter))),
                id=field.key,
            )
            for field in self.fields
        ]

    def _redraw(self) -> None:
        fields = self.query_one("#fields", OptionList)
        highlighted = fields.highlighted
        for field, option in zip(self.fields, self._options(), strict=True):
            fields.replace_option_prompt(field.key, option.prompt)
        fields.highlighted = highlighted

    def action_cycle(self, step: int) -> None:
        fields = self.query_one("#fields", OptionList)
        if not fields.has_focus or fields.highlighted is None:
            return
        field = self.fields[fields.highlighted]
        current = field.get(self.filter)
        values = list(field.values)
        index = values.index(current) if current in values else 0
        self.filter = field.set(self.filter, values[(index + step) % len(values)])
        self._redraw()

    def action_reset(self) -> None:
        if not self.query_one("#fields", OptionList).has_focus:
            return
        self.filter = FindingFilter(text=self.filter.text)
        self.query_one("#glob", Input).value = ""
        self._redraw()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Letters belong to the glob box while it has focus.
        return not (action in ("cycle", "reset") and isinstance(self.focused, Input))

    @on(OptionList.OptionSelected, "#fields")
    @on(Input.Submitted, "#glob")
    def action_apply(self) -> None:
        glob = self.query_one("#glob", Input).value.strip()
        self.dismiss(self.filter.with_changes(repo_glob=glob or None))

    def action_cancel(self) -> None:
        self.dismiss(None)
