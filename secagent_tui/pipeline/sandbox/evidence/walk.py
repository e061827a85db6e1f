"""Every file of a clone, without following a symlink out of it.

Why no folder is skipped by name: an app whose `app.py` imported `build/loader.py`, which
imported `yaml`, was called "not using" PyYAML because `build/` was skipped. Vendored,
generated and bundled code that loads a package is use of it. The one folder left out is
`.git` itself: the clone's own metadata, written by git, not by the repository.
"""

from __future__ import annotations

import os
import re
import stat
from dataclasses import dataclass, field
from pathlib import Path

from .reading import read_text


@dataclass
class Tree:
    files: list[tuple[str, Path]] = field(default_factory=list)
    incomplete: list[str] = field(default_factory=list)  # why some content was not seen
    notes: list[str] = field(default_factory=list)
    blocked: dict[str, str] = field(default_factory=dict)  # file → why it was not read
    aliases: dict[str, list[str]] = field(default_factory=dict)
    """In-clone file symlinks by target: the target is read once, where it lies, but it is
    reached by each link's path too (a production link to a test helper is production)."""


def _inside(path: Path, root: Path) -> bool:
    return path == root or root in path.parents


def walk(root: Path, max_entries: int) -> Tree:
    """Depth-first, sorted, bounded by `max_entries` directory entries."""
    tree = Tree()
    stack: list[tuple[Path, str]] = [(root, "")]
    visited = 0
    while stack:
        directory, rel_dir = stack.pop()
        try:
            with os.scandir(directory) as listing:
                entries = sorted(listing, key=lambda e: e.name)
        except OSError as exc:
            tree.incomplete.append(
                f"directory {rel_dir or '.'} could not be listed ({exc.strerror or exc})"
            )
            continue
        subdirs: list[tuple[Path, str]] = []
        for entry in entries:
            visited += 1
            if visited > max_entries:
                tree.incomplete.append(
                    f"the walk stopped after {max_entries} entries, so later files were not seen"
                )
                return tree
            rel = f"{rel_dir}/{entry.name}" if rel_dir else entry.name
            path = Path(entry.path)
            try:
                if entry.is_symlink():
                    _symlink(root, rel, path, tree)
                elif entry.is_dir(follow_symlinks=False):
                    if entry.name == ".git" and not rel_dir:
                        continue
                    subdirs.append((path, rel))
                elif entry.is_file(follow_symlinks=False):
                    tree.files.append((rel, path))
                else:
                    tree.blocked[rel] = "is not a regular file"
            except OSError as exc:
                tree.incomplete.append(f"{rel} could not be examined ({exc.strerror or exc})")
        stack.extend(reversed(subdirs))
    return tree


def _symlink(root: Path, rel: str, link: Path, tree: Tree) -> None:
    target = Path(os.path.realpath(link))
    try:
        st: os.stat_result | None = os.stat(link)
    except OSError:
        st = None
    if st is None:
        tree.notes.append(f"Dangling symlink {rel} ignored (its target does not exist).")
        return
    if not _inside(target, root):
        if stat.S_ISDIR(st.st_mode):
            tree.incomplete.append(
                f"directory symlink {rel} points outside the repository and was not followed"
            )
        else:
            tree.blocked[rel] = "is a symlink to a file outside the repository (not followed)"
        return
    if stat.S_ISDIR(st.st_mode):
        tree.notes.append(
            f"Directory symlink {rel} was not followed; its target inside the repository "
            "is scanned where it lies."
        )
    else:
        tree.aliases.setdefault(target.relative_to(root).as_posix(), []).append(rel)


def missing_submodules(root: Path, max_file_bytes: int) -> list[str]:
    """Submodules a shallow clone did not fetch: their code exists but was not scanned."""
    text = read_text(root / ".gitmodules", max_file_bytes).text
    if text is None:
        return []
    missing = []
    for rel in re.findall(r"^\s*path\s*=\s*(.+?)\s*$", text, re.MULTILINE):
        path = root / rel
        try:
            empty = not path.is_dir() or path.is_symlink() or not any(path.iterdir())
        except OSError:
            empty = True
        if empty and _inside(Path(os.path.realpath(path)), root):
            missing.append(rel)
    if not missing:
        return []
    return [f"git submodule(s) {', '.join(sorted(missing))} were not in the clone"]
