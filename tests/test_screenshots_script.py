"""scripts/screenshots.py, which draws the README's screenshots from the code: its list of
screens is exactly the SVGs in screenshots/ and the pictures the README shows, and a run —
the real demo app driven by Pilot, about ten seconds — writes every screen with its title,
the same bytes each time."""

from __future__ import annotations

import ast
import html
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "screenshots.py"
RUN_SECONDS = 300


def _shots() -> dict[str, str]:
    """The script's SHOTS as name → the text each must show, read from its source (importing
    it would load Textual and the demo just to list five names)."""
    tree = ast.parse(SCRIPT.read_text(encoding="utf-8"))
    for node in tree.body:
        if isinstance(node, ast.AnnAssign) and getattr(node.target, "id", "") == "SHOTS":
            assert isinstance(node.value, ast.Tuple)
            shots = {}
            for call in node.value.elts:
                assert isinstance(call, ast.Call)
                name, shows = (ast.literal_eval(arg) for arg in call.args[:2])
                shots[name] = shows
            return shots
    raise AssertionError("scripts/screenshots.py defines no SHOTS")


def _screen_text(svg: str) -> str:
    """The characters of an SVG screenshot, line by line (Textual writes one <text> per run
    of one style, positioned by x and y)."""
    lines: dict[float, list[tuple[float, str]]] = {}
    for x, y, text in re.findall(r'<text[^>]*?x="([\d.]+)" y="([\d.]+)"[^>]*>(.*?)</text>', svg):
        lines.setdefault(float(y), []).append((float(x), html.unescape(text)))
    return "\n".join(
        "".join(t for _, t in sorted(parts)).replace("\xa0", " ")
        for _, parts in sorted(lines.items())
    )


def test_the_script_lists_exactly_the_committed_screenshots() -> None:
    committed = sorted(p.stem for p in (ROOT / "screenshots").glob("*.svg"))
    assert committed == sorted(_shots())


def test_the_readme_shows_every_screenshot_in_its_screenshots_section() -> None:
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## Screenshots", 1)[1].split("\n## ", 1)[0]
    shown = re.findall(r"!\[[^\]]+\]\(screenshots/([\w-]+)\.svg\)", section)
    assert sorted(shown) == sorted(_shots())
    assert "scripts/screenshots.py" in section  # how to regenerate them


@pytest.fixture(scope="module")
def drawn(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("screenshots")
    _run(out)
    return out


def _run(out: Path) -> None:
    done = subprocess.run(
        [sys.executable, str(SCRIPT), "--out", str(out)],
        cwd=ROOT,
        capture_output=True,
        text=True,
        timeout=RUN_SECONDS,
        check=False,
    )
    assert done.returncode == 0, done.stderr[-3000:]
    assert "Traceback" not in done.stderr


def test_a_run_draws_every_screen_with_its_title(drawn: Path) -> None:
    shots = _shots()
    assert sorted(p.stem for p in drawn.glob("*.svg")) == sorted(shots)
    for name, shows in shots.items():
        svg = (drawn / f"{name}.svg").read_text(encoding="utf-8")
        assert svg.startswith("<svg") and svg.rstrip().endswith("</svg>")
        assert shows in _screen_text(svg), f"{name}.svg does not show {shows!r}"


def test_two_runs_draw_the_same_bytes(drawn: Path, tmp_path: Path) -> None:
    _run(tmp_path)
    for first in sorted(drawn.glob("*.svg")):
        assert (tmp_path / first.name).read_bytes() == first.read_bytes(), first.name
