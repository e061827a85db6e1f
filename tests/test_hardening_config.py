"""Hostile and out-of-range configuration (issue 15): owner names that would change the URLs
they are put into, repository globs that are not repository names, refs typed on the command
line, numbers beyond any sane bound, credentials in a clone URL, a TOML nested too deep, a
heartbeat URL that is not http(s). Each is refused with the config's one line
`PATH: key.sub: reason`, never a traceback.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from secagent_tui.config import ConfigError, load_config
from secagent_tui.domain.owner import Owner, OwnerKind
from secagent_tui.domain.refs import FindingRef, RefError


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    home = tmp_path / "home"
    home.mkdir()
    return {"HOME": str(home)}


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def refusal(path: Path, env: dict[str, str]) -> str:
    with pytest.raises(ConfigError) as caught:
        load_config(path, env=env)
    message = str(caught.value)
    assert "\n" not in message
    return message


def owner_toml(name: str, repos: str = "[]") -> str:
    escaped = name.replace("\\", "\\\\").replace('"', '\\"')
    return f'[[owners]]\nkind = "org"\nname = "{escaped}"\nrepos = {repos}\n'


# --------------------------------------------------------------------------- owner names


@pytest.mark.parametrize(
    "name",
    [
        "..",
        ".",
        "acme?per_page=1&x=",
        "acme#frag",
        "acme%2F..",
        "ac me",
        "acme\u202egnp",  # right-to-left override
        "acme\u200b",  # zero-width space
        "-acme",
        "acme-",
        "ac--me",
        "acme_corp",
        "acme.corp",
        "a" * 40,
        "ácme",
    ],
)
def test_an_owner_name_that_is_not_a_github_login_is_refused(
    tmp_path: Path, env: dict[str, str], name: str
) -> None:
    path = write(tmp_path, owner_toml(name))
    message = refusal(path, env)
    assert message.startswith(f"{path}: owners.0.name: "), message
    assert "GitHub login" in message


@pytest.mark.parametrize("name", ["acme", "a", "Acme-Corp-2", "a" * 39, "0day"])
def test_github_logins_are_accepted_as_owner_names(
    tmp_path: Path, env: dict[str, str], name: str
) -> None:
    config = load_config(write(tmp_path, owner_toml(name)), env=env)
    assert config.owners[0].name == name


def test_the_owner_value_itself_refuses_a_name_that_is_not_a_login() -> None:
    with pytest.raises(ValueError, match="GitHub login"):
        Owner(OwnerKind.ORG, "..")
    with pytest.raises(ValueError, match="GitHub login"):
        Owner(OwnerKind.USER, "acme?per_page=1")


@pytest.mark.parametrize(
    "pattern",
    [
        "acme/..",
        "acme/.",
        "acme/web app",
        "acme/web\u202e",
        "acme/web?x=1&y",  # `?` is a glob character, `=` and `&` are in no repository name
        "acme/" + "a" * 101,
        "acme/web/extra",
        "ac me/web",
    ],
)
def test_a_repos_entry_that_is_not_a_repository_name_glob_is_refused(
    tmp_path: Path, env: dict[str, str], pattern: str
) -> None:
    path = write(tmp_path, owner_toml("acme", f'["{pattern}"]'))
    message = refusal(path, env)
    assert message.startswith(f"{path}: owners.0.repos.0: "), message


@pytest.mark.parametrize(
    "pattern", ["acme/web", "acme/web-*", "acme/.github", "acme/a.b_c-d", "ac*/api", "acme/[ab]*"]
)
def test_repository_name_globs_are_accepted(
    tmp_path: Path, env: dict[str, str], pattern: str
) -> None:
    config = load_config(write(tmp_path, owner_toml("acme", f'["{pattern}"]')), env=env)
    assert config.owners[0].repos == [pattern]


# --------------------------------------------------------------------------- refs


@pytest.mark.parametrize(
    "text",
    [
        "../web#1",
        "acme/..#1",
        "acme/.#1",
        "acme/web?per_page=1#1",
        "acme/web%2F..#1",
        "acme/web/../x#1",
        "acme/web#1?x=1",
        "acme/web#1/../2",
        "ac me/web#1",
        "acme/web\u202e#1",
        "acme/web#١",  # an Arabic-Indic digit
        "acme/web#99999999999",
        "-acme/web#1",
    ],
)
def test_a_ref_that_would_change_a_url_is_refused(text: str) -> None:
    with pytest.raises(RefError, match="bad reference"):
        FindingRef.parse(text)
