"""Small git repositories for the demo dataset, so the sandbox has real code to read.

Each repository gets, per alert, the package in a manifest of its ecosystem; two alerts in
three also get a source file that imports the package and calls it, the third only lists it
(what the evidence pass proves "not used"). Nothing here is ever executed.
"""

from __future__ import annotations

import json
import subprocess
from collections import defaultdict
from pathlib import Path
from typing import Any

from secagent_tui.demo.github import Dataset

_PIP_MODULES = {"pyyaml": "yaml", "pillow": "PIL", "beautifulsoup4": "bs4"}


def _module(ecosystem: str, package: str) -> str:
    if ecosystem == "pip":
        return _PIP_MODULES.get(package.lower(), package.lower().replace("-", "_"))
    if ecosystem == "maven":
        return package.split(":", 1)[0]
    return package


def _is_used(number: int) -> bool:
    return number % 3 != 0


def _npm(packages: list[tuple[str, bool]]) -> dict[str, str]:
    deps = {name: "^1.0.0" for name, _ in packages}
    body = [
        f"const m{i} = require('{name}');\nm{i}.run && m{i}.run();"
        for i, (name, used) in enumerate(packages)
        if used
    ]
    return {
        "package.json": json.dumps({"name": "demo", "dependencies": deps}, indent=2),
        "src/index.js": "\n".join(body) + "\n",
    }


def _pip(packages: list[tuple[str, bool]]) -> dict[str, str]:
    reqs = "".join(f"{name}==1.0\n" for name, _ in packages)
    body = [f"import {_module('pip', name)}" for name, used in packages if used]
    return {"requirements.txt": reqs, "app/main.py": "\n".join(body) + "\n\nprint('demo')\n"}


def _maven(packages: list[tuple[str, bool]]) -> dict[str, str]:
    deps = "".join(
        "    <dependency>"
        f"<groupId>{n.split(':')[0]}</groupId><artifactId>{n.split(':')[-1]}</artifactId>"
        "<version>1.0</version></dependency>\n"
        for n, _ in packages
    )
    imports = "".join(
        f"import {_module('maven', n)}.Api{i};\n" for i, (n, used) in enumerate(packages) if used
    )
    return {
        "pom.xml": f"<project>\n  <dependencies>\n{deps}  </dependencies>\n</project>\n",
        "src/main/java/demo/App.java": f"package demo;\n\n{imports}\npublic class App {{}}\n",
    }


def _go(packages: list[tuple[str, bool]]) -> dict[str, str]:
    requires = "".join(f"\t{name} v1.0.0\n" for name, _ in packages)
    imports = "".join(f'\t_ "{name}"\n' for name, used in packages if used)
    return {
        "go.mod": f"module example.com/demo\n\ngo 1.22\n\nrequire (\n{requires})\n",
        "main.go": f"package main\n\nimport (\n{imports})\n\nfunc main() {{}}\n",
    }


def _rubygems(packages: list[tuple[str, bool]]) -> dict[str, str]:
    gems = "".join(f"gem '{name}'\n" for name, _ in packages)
    requires = "".join(f"require '{name}'\n" for name, used in packages if used)
    return {"Gemfile": "source 'https://rubygems.org'\n" + gems, "lib/app.rb": requires}


def _other(ecosystem: str, packages: list[tuple[str, bool]]) -> dict[str, str]:
    return {f"deps-{ecosystem}.txt": "".join(f"{name}\n" for name, _ in packages)}


_WRITERS = {"npm": _npm, "pip": _pip, "maven": _maven, "go": _go, "rubygems": _rubygems}


def files_for(alerts: list[dict[str, Any]]) -> dict[str, str]:
    by_ecosystem: dict[str, dict[str, bool]] = defaultdict(dict)
    for alert in alerts:
        package = alert["dependency"]["package"]
        used = by_ecosystem[package["ecosystem"]].get(package["name"], False)
        by_ecosystem[package["ecosystem"]][package["name"]] = used or _is_used(alert["number"])
    files = {"README.md": "# demo repository\n"}
    for ecosystem, packages in by_ecosystem.items():
        pairs = sorted(packages.items())
        writer = _WRITERS.get(ecosystem)
        files.update(writer(pairs) if writer else _other(ecosystem, pairs))
    return files


def _git(cwd: Path, *args: str) -> None:
    subprocess.run(
        ["git", "-c", "user.name=demo", "-c", "user.email=demo@example.invalid", *args],
        cwd=cwd,
        check=True,
        capture_output=True,
    )


def build_repositories(dataset: Dataset, base: Path) -> str:
    """Writes one git repository per dataset repository under `base/owner/name` and returns
    the `clone_url_template` that points at them."""
    for repo in dataset.repos():
        target = base / repo.full_name
        target.mkdir(parents=True, exist_ok=True)
        for relative, text in files_for(list(repo.alerts.values())).items():
            path = target / relative
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_text(text)
        _git(target, "init", "-q", "-b", "main")
        _git(target, "add", "-A")
        _git(target, "commit", "-q", "-m", "demo")
    return str(base / "{repo}")
