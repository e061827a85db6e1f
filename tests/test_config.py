"""The config contract: defaults, strictness, one-line errors, expansion and env overrides."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest
from pydantic import BaseModel

from secagent_tui.config import (
    Config,
    ConfigError,
    default_config_path,
    github_token_from_env,
    load_config,
)
from secagent_tui.domain.owner import Owner, OwnerKind
from secagent_tui.domain.sla import SlaDays
from secagent_tui.domain.triage import Confidence

EXAMPLE = Path(__file__).resolve().parent.parent / "config.example.toml"


@pytest.fixture
def env(tmp_path: Path) -> dict[str, str]:
    """A HOME of our own and no XDG variables, so defaults are predictable."""
    home = tmp_path / "home"
    home.mkdir()
    return {"HOME": str(home)}


def write(tmp_path: Path, text: str, name: str = "config.toml") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(path: Path, env: dict[str, str]) -> str:
    with pytest.raises(ConfigError) as caught:
        load_config(path, env=env)
    message = str(caught.value)
    assert "\n" not in message
    return message


# --------------------------------------------------------------------------- example & defaults


def test_example_config_loads_with_its_two_owners(env: dict[str, str]) -> None:
    config = load_config(EXAMPLE, env=env)

    assert config.source == EXAMPLE
    assert [o.owner() for o in config.owners] == [
        Owner(OwnerKind.ORG, "acme"),
        Owner(OwnerKind.USER, "octocat"),
    ]
    assert config.github.api_url == "https://api.github.com"
    assert config.llm.model == "qwen2.5-coder:7b"
    assert config.sla.days() == SlaDays(critical=15, high=30, medium=45, low=90)
    assert config.auto_dismiss.min_confidence is Confidence.HIGH
    assert config.analysis.max_concurrent_per_owner == 3


def test_example_config_values_equal_the_defaults_apart_from_owners(
    env: dict[str, str],
) -> None:
    # Owners and the one example triage rule are illustrations, not defaults.
    skip = {"owners": True, "triage": {"rules"}, "ui": {"views"}}
    example = load_config(EXAMPLE, env=env).model_dump(exclude=skip)
    defaults = load_config(env=env).model_dump(exclude=skip)
    assert example == defaults


def test_example_config_documents_every_key() -> None:
    text = EXAMPLE.read_text(encoding="utf-8")
    lines = text.splitlines()

    def check(model: type[BaseModel], where: str) -> None:
        for name, field in model.model_fields.items():
            annotation = field.annotation
            inner = getattr(annotation, "__args__", (annotation,))[0]
            if isinstance(annotation, type) and issubclass(annotation, BaseModel):
                assert f"[{where}{name}]" in text, f"missing table [{where}{name}]"
                check(annotation, f"{where}{name}.")
                continue
            if isinstance(inner, type) and issubclass(inner, BaseModel):
                assert f"[[{where}{name}]]" in text, f"missing [[{where}{name}]]"
                check(inner, f"{where}{name}.")
                continue
            if name == "keys":
                continue  # [ui.keys] is a table of its own
            index = next(
                (i for i, line in enumerate(lines) if line.lstrip("# ").startswith(f"{name} =")),
                None,
            )
            assert index is not None, f"{where}{name} is not in the example"
            commented = lines[index - 1].startswith("#") or " # " in lines[index]
            assert commented, f"{where}{name} has no comment"

    check(Config, "")
    assert "[ui.keys]" in text


def test_missing_default_config_file_means_all_defaults(env: dict[str, str]) -> None:
    config = load_config(env=env)
    home = env["HOME"]

    assert config.source is None
    assert config.owners == []
    assert config.github.clone_url_template == "https://github.com/{repo}.git"
    assert config.github.request_timeout_seconds == 30.0
    assert config.github.max_retries == 5
    assert config.database.url == f"sqlite+aiosqlite:///{home}/.local/share/secagent/secagent.db"
    assert config.database.sqlite_path == Path(home, ".local/share/secagent/secagent.db")
    assert config.database.echo is False
    assert config.llm.host == "http://127.0.0.1:11434"
    assert config.llm.allowed_models == ["qwen2.5-coder:7b"]
    assert (config.llm.triage_timeout_seconds, config.llm.extraction_timeout_seconds) == (60, 120)
    assert config.auto_dismiss.enabled is False
    assert config.analysis.workspace_dir == Path(home, ".cache/secagent/workspaces")
    assert config.analysis.max_repo_bytes == 500 * 1024 * 1024
    assert config.sync.concurrency == 8
    assert config.sync.rate_limit_floor == 100
    assert config.ui.sync_minutes == 15
    assert config.ui.keys == {}
    assert config.observability.log_file == Path(home, ".local/state/secagent/secagent.log")
    assert config.observability.log_level == "INFO"
    assert config.observability.heartbeat_url is None


def test_allowed_models_defaults_to_the_configured_model(
    tmp_path: Path, env: dict[str, str]
) -> None:
    path = write(tmp_path, '[llm]\nmodel = "llama3.1:8b"\n')
    config = load_config(path, env=env)
    assert config.llm.allowed_models == ["llama3.1:8b"]
    assert config.llm.is_allowed("llama3.1:8b")
    assert not config.llm.is_allowed("qwen2.5-coder:7b")


def test_config_built_in_code_has_the_same_defaults(env: dict[str, str]) -> None:
    assert Config().sla.days() == SlaDays()
    assert Config().llm.allowed_models == ["qwen2.5-coder:7b"]


def test_int_is_accepted_where_a_float_is_expected(tmp_path: Path, env: dict[str, str]) -> None:
    path = write(tmp_path, "[analysis]\nbackoff_seconds = 0\ndismiss_writes_per_second = 2\n")
    config = load_config(path, env=env)
    assert config.analysis.backoff_seconds == 0.0
    assert config.analysis.dismiss_writes_per_second == 2.0


def test_ui_keys_table_maps_binding_ids_to_keys(tmp_path: Path, env: dict[str, str]) -> None:
    path = write(tmp_path, '[ui.keys]\ndismiss = "ctrl+d"\nreopen = "ctrl+r"\n')
    config = load_config(path, env=env)
    assert config.ui.keys == {"dismiss": "ctrl+d", "reopen": "ctrl+r"}


def test_owner_repo_globs_narrow_what_is_synced(tmp_path: Path, env: dict[str, str]) -> None:
    path = write(
        tmp_path,
        '[[owners]]\nkind = "org"\nname = "Acme"\nrepos = ["acme/web-*"]\n'
        '[[owners]]\nkind = "user"\nname = "octocat"\n',
    )
    config = load_config(path, env=env)
    acme = config.owner_config("acme")
    assert acme is not None
    assert acme.includes("acme/web-app")
    assert not acme.includes("acme/api")
    assert not acme.includes("other/web-app")
    octocat = config.owner_config("OctoCat")
    assert octocat is not None and octocat.includes("octocat/anything")
    assert config.owner_list() == [Owner(OwnerKind.ORG, "Acme"), Owner(OwnerKind.USER, "octocat")]


# --------------------------------------------------------------------------- errors


@pytest.mark.parametrize(
    ("text", "key", "reason"),
    [
        ("unknown_section = 1\n", "unknown_section", "unknown key"),
        ('[github]\ntokne = "x"\n', "github.tokne", "unknown key"),
        ('[[owners]]\nkind = "org"\nname = "a"\nrepo = []\n', "owners.0.repo", "unknown key"),
        ('[sla]\nhigh_days = "30"\n', "sla.high_days", "Input should be a valid integer"),
        ("[sla]\nhigh_days = true\n", "sla.high_days", "Input should be a valid integer"),
        ("[sla]\nhigh_days = 30.0\n", "sla.high_days", "Input should be a valid integer"),
        ("[database]\necho = 1\n", "database.echo", "Input should be a valid boolean"),
        ("[sla]\nhigh_days = -1\n", "sla.high_days", "Input should be greater than 0"),
        ("[sync]\nconcurrency = 65\n", "sync.concurrency", "less than or equal to 64"),
        ("[analysis]\nlease_seconds = 4\n", "analysis.lease_seconds", "greater than or equal"),
        (
            '[auto_dismiss]\nmin_confidence = "certain"\n',
            "auto_dismiss.min_confidence",
            "Input should be 'high', 'medium' or 'low'",
        ),
        (
            '[[owners]]\nkind = "org"\nname = "a"\n[[owners]]\nkind = "team"\nname = "b"\n',
            "owners.1.kind",
            "Input should be 'org' or 'user'",
        ),
        ('[[owners]]\nkind = "org"\nname = "a/b"\n', "owners.0.name", "not owner/repo"),
        ('[[owners]]\nkind = "org"\n', "owners.0.name", "required key missing"),
        (
            '[[owners]]\nkind = "org"\nname = "acme"\nrepos = ["web-*"]\n',
            "owners.0.repos.0",
            "owner/name glob",
        ),
        (
            '[[owners]]\nkind = "org"\nname = "acme"\n[[owners]]\nkind = "org"\nname = "ACME"\n',
            "owners.1.name",
            "duplicate owner org 'ACME'",
        ),
        (
            '[llm]\nmodel = "llama3"\nallowed_models = ["qwen2.5-coder:7b"]\n',
            "llm.model",
            "model 'llama3' is not in allowed_models",
        ),
        ('[database]\nurl = "mysql://u:p@h/db"\n', "database.url", "must start with"),
        ('[database]\nurl = "sqlite:///x.db"\n', "database.url", "must start with"),
        ('[github]\napi_url = "ftp://example.com"\n', "github.api_url", "http:// or https://"),
        (
            '[github]\nclone_url_template = "https://github.com/x.git"\n',
            "github.clone_url_template",
            "{repo}",
        ),
        (
            '[github]\nclone_url_template = "git@github.com:{repo}.git"\n',
            "github.clone_url_template",
            "local path",
        ),
        ('[observability]\nlog_level = "LOUD"\n', "observability.log_level", "'DEBUG'"),
        (
            '[observability]\nheartbeat_url = "hc-ping.com/x"\n',
            "observability.heartbeat_url",
            "http:// or https://",
        ),
        ("sla = 3\n", "sla", "should be a table"),
    ],
)
def test_bad_config_is_one_line_naming_file_key_and_reason(
    tmp_path: Path, env: dict[str, str], text: str, key: str, reason: str
) -> None:
    path = write(tmp_path, text)
    message = error_of(path, env)
    assert message.startswith(f"{path}: {key}: "), message
    assert reason in message


def test_only_the_first_of_several_errors_is_reported(tmp_path: Path, env: dict[str, str]) -> None:
    path = write(tmp_path, '[sla]\ncritical_days = 0\nhigh_days = "x"\n')
    assert error_of(path, env) == f"{path}: sla.critical_days: Input should be greater than 0"


def test_unknown_key_suggests_the_near_miss(tmp_path: Path, env: dict[str, str]) -> None:
    path = write(tmp_path, '[github]\napi_ulr = "https://x"\n')
    assert error_of(path, env) == f"{path}: github.api_ulr: unknown key (did you mean 'api_url'?)"


def test_a_token_in_the_config_is_refused_without_echoing_it(
    tmp_path: Path, env: dict[str, str]
) -> None:
    path = write(tmp_path, '[github]\ntoken = "ghp_secretvalue"\n')
    message = error_of(path, env)
    assert message.startswith(f"{path}: github.token: unknown key")
    assert "ghp_secretvalue" not in message


def test_bad_database_url_error_does_not_leak_the_password(
    tmp_path: Path, env: dict[str, str]
) -> None:
    path = write(tmp_path, '[database]\nurl = "postgresql://user:hunter2@db/x"\n')
    assert "hunter2" not in error_of(path, env)


def test_toml_syntax_error_names_the_line(tmp_path: Path, env: dict[str, str]) -> None:
    path = write(tmp_path, "[sla]\nhigh_days = 30\nlow_days 90\n")
    message = error_of(path, env)
    assert message.startswith(f"{path}: line 3: ")


def test_toml_duplicate_key_is_a_syntax_error(tmp_path: Path, env: dict[str, str]) -> None:
    path = write(tmp_path, "[sla]\nhigh_days = 30\nhigh_days = 31\n")
    assert error_of(path, env).startswith(f"{path}: line 3: ")


def test_explicit_missing_file_is_an_error(tmp_path: Path, env: dict[str, str]) -> None:
    path = tmp_path / "nope.toml"
    assert error_of(path, env) == f"{path}: config file not found"


def test_unreadable_config_is_one_line(tmp_path: Path, env: dict[str, str]) -> None:
    assert error_of(tmp_path, env).startswith(f"{tmp_path}: cannot read: ")


def test_non_utf8_config_is_one_line(tmp_path: Path, env: dict[str, str]) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(b"[ui]\ntheme = '\xff'\n")
    assert error_of(path, env) == f"{path}: cannot read: not UTF-8 text"


# --------------------------------------------------------------------------- path expansion


def test_tilde_is_expanded_in_paths(tmp_path: Path, env: dict[str, str]) -> None:
    path = write(
        tmp_path,
        '[database]\nurl = "sqlite+aiosqlite:///~/db/s.db"\n'
        '[analysis]\nworkspace_dir = "~/ws"\n'
        '[observability]\nlog_file = "~/logs/s.log"\n'
        '[github]\nclone_url_template = "~/mirrors/{repo}"\n',
    )
    config = load_config(path, env=env)
    home = env["HOME"]
    assert config.database.url == f"sqlite+aiosqlite:///{home}/db/s.db"
    assert config.database.sqlite_path == Path(home, "db/s.db")
    assert config.analysis.workspace_dir == Path(home, "ws")
    assert config.observability.log_file == Path(home, "logs/s.log")
    assert config.github.clone_url_template == f"{home}/mirrors/{{repo}}"


def test_xdg_variables_are_expanded_from_the_given_environment(
    tmp_path: Path, env: dict[str, str]
) -> None:
    env |= {"XDG_DATA_HOME": "/data", "XDG_CACHE_HOME": "/cache", "XDG_STATE_HOME": "/state"}
    config = load_config(env=env)
    assert config.database.url == "sqlite+aiosqlite:////data/secagent/secagent.db"
    assert config.analysis.workspace_dir == Path("/cache/secagent/workspaces")
    assert config.observability.log_file == Path("/state/secagent/secagent.log")


def test_xdg_variable_written_in_the_file_is_expanded(tmp_path: Path, env: dict[str, str]) -> None:
    env["XDG_DATA_HOME"] = str(tmp_path / "xdg-data")
    path = write(tmp_path, '[database]\nurl = "sqlite+aiosqlite:///${XDG_DATA_HOME}/x.db"\n')
    config = load_config(path, env=env)
    assert config.database.url == f"sqlite+aiosqlite:///{tmp_path}/xdg-data/x.db"


def test_relative_xdg_value_falls_back_to_the_default(env: dict[str, str]) -> None:
    env["XDG_DATA_HOME"] = "relative/dir"
    config = load_config(env=env)
    assert config.database.sqlite_path == Path(env["HOME"], ".local/share/secagent/secagent.db")


def test_file_clone_template_path_is_expanded(tmp_path: Path, env: dict[str, str]) -> None:
    path = write(tmp_path, '[github]\nclone_url_template = "file://$HOME/m/{repo}.git"\n')
    config = load_config(path, env=env)
    assert config.github.clone_url_template == f"file://{env['HOME']}/m/{{repo}}.git"


def test_postgres_url_is_kept_verbatim(tmp_path: Path, env: dict[str, str]) -> None:
    url = "postgresql+asyncpg://u:pa$$word@db:5432/secagent"
    path = write(tmp_path, f'[database]\nurl = "{url}"\n')
    config = load_config(path, env=env)
    assert config.database.url == url
    assert config.database.sqlite_path is None


# --------------------------------------------------------------------------- environment


def test_ollama_host_env_overrides_the_file(tmp_path: Path, env: dict[str, str]) -> None:
    path = write(tmp_path, '[llm]\nhost = "http://10.0.0.1:11434"\n')
    env["OLLAMA_HOST"] = "http://gpu-box:11434"
    assert load_config(path, env=env).llm.host == "http://gpu-box:11434"


def test_bare_ollama_host_gets_scheme_and_default_port(env: dict[str, str]) -> None:
    env["OLLAMA_HOST"] = "gpu-box"
    assert load_config(env=env).llm.host == "http://gpu-box:11434"


def test_bad_ollama_host_env_is_blamed_on_the_variable(env: dict[str, str]) -> None:
    env["OLLAMA_HOST"] = "ftp://gpu-box"
    with pytest.raises(ConfigError) as caught:
        load_config(env=env)
    assert str(caught.value).startswith("env OLLAMA_HOST: llm.host: ")


def test_database_url_env_overrides_the_file(tmp_path: Path, env: dict[str, str]) -> None:
    path = write(tmp_path, '[database]\nurl = "sqlite+aiosqlite:///file.db"\n')
    env["SECAGENT_DATABASE_URL"] = "postgresql+asyncpg://team@db/secagent"
    assert load_config(path, env=env).database.url == "postgresql+asyncpg://team@db/secagent"


def test_database_url_env_is_expanded_like_the_file(env: dict[str, str]) -> None:
    env["SECAGENT_DATABASE_URL"] = "sqlite+aiosqlite:///~/team.db"
    config = load_config(env=env)
    assert config.database.url == f"sqlite+aiosqlite:///{env['HOME']}/team.db"


def test_bad_database_url_env_is_one_line_without_the_secret(env: dict[str, str]) -> None:
    env["SECAGENT_DATABASE_URL"] = "postgres://user:hunter2@db/x"
    with pytest.raises(ConfigError) as caught:
        load_config(env=env)
    message = str(caught.value)
    assert message.startswith("env SECAGENT_DATABASE_URL: database.url: must start with")
    assert "hunter2" not in message
    assert "\n" not in message


def test_empty_env_override_is_ignored(env: dict[str, str]) -> None:
    env |= {"OLLAMA_HOST": "", "SECAGENT_DATABASE_URL": " "}
    config = load_config(env=env)
    assert config.llm.host == "http://127.0.0.1:11434"
    assert config.database.url.startswith("sqlite+aiosqlite:///")


def test_secagent_config_env_names_the_file(tmp_path: Path, env: dict[str, str]) -> None:
    path = write(tmp_path, "[sla]\nlow_days = 7\n", name="elsewhere.toml")
    env["SECAGENT_CONFIG"] = str(path)
    config = load_config(env=env)
    assert config.sla.low_days == 7
    assert config.source == path


def test_explicit_path_wins_over_secagent_config(tmp_path: Path, env: dict[str, str]) -> None:
    env["SECAGENT_CONFIG"] = str(write(tmp_path, "[sla]\nlow_days = 7\n", name="env.toml"))
    explicit = write(tmp_path, "[sla]\nlow_days = 8\n", name="arg.toml")
    assert load_config(explicit, env=env).sla.low_days == 8


def test_missing_secagent_config_file_is_an_error(tmp_path: Path, env: dict[str, str]) -> None:
    env["SECAGENT_CONFIG"] = str(tmp_path / "gone.toml")
    with pytest.raises(ConfigError) as caught:
        load_config(env=env)
    assert str(caught.value).startswith(f"{tmp_path / 'gone.toml'}: config file not found")


def test_default_path_follows_xdg_config_home(tmp_path: Path, env: dict[str, str]) -> None:
    env["XDG_CONFIG_HOME"] = str(tmp_path / "cfg")
    assert default_config_path(env) == tmp_path / "cfg/secagent/config.toml"
    (tmp_path / "cfg" / "secagent").mkdir(parents=True)
    write(tmp_path / "cfg" / "secagent", "[ui]\nsync_minutes = 0\n")
    config = load_config(env=env)
    assert config.ui.sync_minutes == 0
    assert config.source == tmp_path / "cfg/secagent/config.toml"


def test_default_path_without_xdg_is_under_home(env: dict[str, str]) -> None:
    assert default_config_path(env) == Path(env["HOME"], ".config/secagent/config.toml")


def test_github_token_comes_from_env_only(env: dict[str, str]) -> None:
    assert github_token_from_env(env) is None
    assert github_token_from_env({"GITHUB_TOKEN": "  "}) is None
    assert github_token_from_env({"GITHUB_TOKEN": "ghp_x\n"}) == "ghp_x"


def test_example_is_valid_toml() -> None:
    tomllib.loads(EXAMPLE.read_text(encoding="utf-8"))


def test_saved_views_become_filters_and_names_must_be_unique(tmp_path: Path) -> None:
    from secagent_tui.domain.finding import AlertState, Scope, Severity

    path = tmp_path / "views.toml"
    path.write_text(
        '[[ui.views]]\nname = "Mine"\nstate = ["open", "dismissed"]\n'
        'min_severity = "high"\nscope = "runtime"\nrepo = "acme/*"\npending_push = true\n'
    )
    (view,) = load_config(path, env={}).ui.views
    flt = view.filter()
    assert flt.states == (AlertState.OPEN, AlertState.DISMISSED)
    assert flt.min_severity is Severity.HIGH and flt.scope is Scope.RUNTIME
    assert flt.repo_glob == "acme/*" and flt.pending_push is True

    path.write_text('[[ui.views]]\nname = "A"\n[[ui.views]]\nname = "a"\n')
    with pytest.raises(ConfigError) as caught:
        load_config(path, env={})
    assert str(caught.value) == f"{path}: ui.views.1.name: duplicate view name 'a'"
