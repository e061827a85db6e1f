"""Hostile and out-of-range configuration (issue 15): owner names that would change the URLs
they are put into, repository globs that are not repository names, refs typed on the command
line, numbers beyond any sane bound, credentials in a clone URL, a TOML nested too deep, a
heartbeat URL that is not http(s). Each is refused with the config's one line
`PATH: key.sub: reason`, never a traceback.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

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


def test_a_managed_users_login_is_an_owner_name_for_a_user_not_an_org(
    tmp_path: Path, env: dict[str, str]
) -> None:
    """Enterprise Managed Users are `handle_shortcode`; organizations have no underscore."""
    user = write(tmp_path, owner_toml("mona_acme").replace('kind = "org"', 'kind = "user"'))
    assert load_config(user, env=env).owners[0].name == "mona_acme"
    org = write(tmp_path, owner_toml("mona_acme"))
    assert "GitHub login" in refusal(org, env)


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


# --------------------------------------------------------------------------- numbers

# Every numeric key: (table, key, a value past its upper bound). Floats also get inf and nan.
NUMERIC_KEYS = [
    ("github", "request_timeout_seconds", "1e9"),
    ("github", "max_retries", "1000"),
    ("llm", "timeout_seconds", "1e9"),
    ("llm", "triage_timeout_seconds", "1e9"),
    ("llm", "extraction_timeout_seconds", "1e9"),
    ("sla", "critical_days", "99999999999999999999"),
    ("sla", "high_days", "100000"),
    ("sla", "medium_days", "100000"),
    ("sla", "low_days", "100000"),
    ("analysis", "max_concurrent_per_owner", "99999999999999999999"),
    ("analysis", "lease_seconds", "99999999999"),
    ("analysis", "running_stale_minutes", "99999999999"),
    ("analysis", "max_attempts", "1000000"),
    ("analysis", "backoff_seconds", "1e12"),
    ("analysis", "max_repo_bytes", "99999999999999999999"),
    ("analysis", "agent_max_steps", "1000000"),
    ("analysis", "agent_max_bytes", "99999999999999"),
    ("analysis", "agent_max_seconds", "1e12"),
    ("analysis", "dismiss_writes_per_second", "1e6"),
    ("sync", "concurrency", "1000"),
    ("sync", "max_pages_per_run", "99999999999999"),
    ("sync", "overlap_seconds", "99999999999"),
    ("sync", "rate_limit_floor", "99999999999"),
    ("ui", "sync_minutes", "99999999999"),
]
FLOAT_KEYS = [(t, k) for t, k, v in NUMERIC_KEYS if "." in v or "e" in v]


def test_every_numeric_key_of_the_config_is_in_the_bounds_table() -> None:
    from secagent_tui.config import Config

    found = set()
    for table, field in Config.model_fields.items():
        model = field.annotation
        for key, sub in getattr(model, "model_fields", {}).items():
            if sub.annotation in (int, float):
                found.add((table, key))
    assert found == {(t, k) for t, k, _ in NUMERIC_KEYS}


@pytest.mark.parametrize(("table", "key", "value"), NUMERIC_KEYS)
def test_a_number_past_its_upper_bound_is_refused(
    tmp_path: Path, env: dict[str, str], table: str, key: str, value: str
) -> None:
    path = write(tmp_path, f"[{table}]\n{key} = {value}\n")
    message = refusal(path, env)
    assert message.startswith(f"{path}: {table}.{key}: Input should be less than"), message


@pytest.mark.parametrize(("table", "key"), FLOAT_KEYS)
@pytest.mark.parametrize("value", ["inf", "-inf", "nan"])
def test_an_infinite_or_nan_float_is_refused(
    tmp_path: Path, env: dict[str, str], table: str, key: str, value: str
) -> None:
    path = write(tmp_path, f"[{table}]\n{key} = {value}\n")
    assert refusal(path, env).startswith(f"{path}: {table}.{key}: ")


@pytest.mark.parametrize(
    ("table", "key", "value"),
    [
        ("analysis", "dismiss_writes_per_second", "1e-320"),
        ("analysis", "dismiss_writes_per_second", "0.0"),
        ("analysis", "agent_max_seconds", "1e-300"),
        ("github", "request_timeout_seconds", "1e-300"),
        ("llm", "timeout_seconds", "0.0"),
    ],
)
def test_a_float_too_small_to_mean_anything_is_refused(
    tmp_path: Path, env: dict[str, str], table: str, key: str, value: str
) -> None:
    path = write(tmp_path, f"[{table}]\n{key} = {value}\n")
    assert refusal(path, env).startswith(f"{path}: {table}.{key}: Input should be greater")


def test_the_example_config_documents_every_upper_bound() -> None:
    """An analyst reading config.example.toml learns the bound before meeting the refusal:
    it is in the key's own comment (the line's, or the comment block just above it)."""
    import re

    from secagent_tui.config import Config

    text = Path(__file__).resolve().parent.parent.joinpath("config.example.toml").read_text()
    lines = text.splitlines()
    for table, key, _ in NUMERIC_KEYS:
        model: Any = Config.model_fields[table].annotation
        field = model.model_fields[key]
        bound = next(m.le for m in field.metadata if getattr(m, "le", None) is not None)
        index = next(i for i, line in enumerate(lines) if line.startswith(f"{key} = "))
        comment = lines[index].partition("#")[2]
        above = index - 1
        while above >= 0 and lines[above].startswith("#"):
            comment += " " + lines[above]
            above -= 1
        numbers = {float(n.replace("_", "")) for n in re.findall(r"\d[\d_]*(?:\.\d+)?", comment)}
        assert float(bound) in numbers, (key, bound, comment)


# --------------------------------------------------------------------------- other gaps


def test_credentials_in_the_clone_url_template_are_refused_without_echoing_them(
    tmp_path: Path, env: dict[str, str]
) -> None:
    path = write(
        tmp_path,
        '[github]\nclone_url_template = "https://bob:hunter2secret@github.com/{repo}.git"\n',
    )
    message = refusal(path, env)
    assert message.startswith(f"{path}: github.clone_url_template: "), message
    assert "credentials" in message
    assert "hunter2secret" not in message and "bob" not in message


def test_a_token_only_userinfo_in_the_clone_url_template_is_refused(
    tmp_path: Path, env: dict[str, str]
) -> None:
    path = write(tmp_path, '[github]\nclone_url_template = "https://ghp_x@github.com/{repo}"\n')
    assert "credentials" in refusal(path, env)


def test_a_toml_nested_too_deeply_is_one_line_naming_the_file(
    tmp_path: Path, env: dict[str, str]
) -> None:
    path = write(tmp_path, "a = " + "[" * 50_000 + "]" * 50_000 + "\n")
    message = refusal(path, env)
    assert message.startswith(f"{path}: "), message
    assert "nested too deeply" in message
    assert "RecursionError" not in message


def test_deep_inline_tables_are_one_line_naming_the_file(
    tmp_path: Path, env: dict[str, str]
) -> None:
    path = write(tmp_path, "a = " + "{b = " * 20_000 + "1" + "}" * 20_000 + "\n")
    assert refusal(path, env).startswith(f"{path}: ")


@pytest.mark.parametrize(
    "url",
    [
        "file:///etc/passwd",
        "ftp://monitor.example.com/x",
        "http:///nohost",
        "javascript:alert(1)",
        "/etc/passwd",
    ],
)
def test_a_heartbeat_url_in_the_config_must_be_http_with_a_host(
    tmp_path: Path, env: dict[str, str], url: str
) -> None:
    path = write(tmp_path, f'[observability]\nheartbeat_url = "{url}"\n')
    message = refusal(path, env)
    assert message.startswith(f"{path}: observability.heartbeat_url: "), message


@pytest.mark.parametrize("url", ["file:///etc/passwd", "ftp://h/x", "http:///x", "hc-ping.com/x"])
def test_the_heartbeat_ping_refuses_what_is_not_http_with_a_host(url: str) -> None:
    from secagent_tui.heartbeat import HeartbeatUrlError, check_url, ping

    with pytest.raises(HeartbeatUrlError):
        check_url(url)
    problem = ping(url, ok=True)
    assert problem is not None and "http" in problem


@pytest.mark.parametrize("command", [("sync",), ("worker", "--once")])
@pytest.mark.parametrize("url", ["file:///etc/passwd", "gopher://h/x", "https://"])
def test_a_heartbeat_url_option_that_is_not_http_is_one_line_and_changes_nothing(
    tmp_path: Path, command: tuple[str, ...], url: str
) -> None:
    from support.cli import CliSandbox, root_logging_restored

    sandbox = CliSandbox(tmp_path)
    # Nothing listens on port 9: a run that went ahead would fail fast, not hang.
    config = sandbox.config_with_db(
        '[github]\napi_url = "http://127.0.0.1:9"\n' + owner_toml("acme")
    )
    before = sandbox.files()
    with root_logging_restored():
        result = sandbox.invoke(
            "--config", str(config), *command, "--heartbeat-url", url, env={"GITHUB_TOKEN": "t"}
        )
    assert result.exit_code == 2
    lines = result.output.strip().splitlines()
    assert len(lines) == 1 and "--heartbeat-url" in lines[0] and "http" in lines[0], lines
    assert "Traceback" not in result.output
    assert sandbox.files() == before
